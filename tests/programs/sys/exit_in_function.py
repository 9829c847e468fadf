# sys.exit called from nested functions inside loops stops the whole program.
import sys


def check(n):
    if n == 4:
        finish(n)
    return n * n


def finish(code):
    print("finishing with", code)
    sys.exit(code)


for i in range(10):
    print(i, check(i))
print("never printed")
