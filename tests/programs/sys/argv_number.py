# args: 30
# the classic shape: a numeric argument with a default, used as a loop bound.
import sys


def fib(n):
    a = 0
    b = 1
    for i in range(n):
        t = a + b
        a = b
        b = t
    return a


n = 10
if len(sys.argv) > 1:
    n = int(sys.argv[1])
for i in range(0, n + 1, 5):
    print(i, fib(i))
print(fib(n * 10))
