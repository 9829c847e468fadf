# factorial.py - factorials as arbitrary-precision integers.
# Usage: pyaot run examples/factorial.py [-- N]     (default N = 50)
import sys


def factorial(n):
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result


def digit_sum(n):
    total = 0
    while n > 0:
        total += n % 10
        n //= 10
    return total


def trailing_zeros(n):
    zeros = 0
    while n % 10 == 0:
        zeros += 1
        n //= 10
    return zeros


n = 50
if len(sys.argv) > 1:
    n = int(sys.argv[1])
f = factorial(n)
print(str(n) + "! =", f)
print("digits:", len(str(f)))
print("digit sum:", digit_sum(f))
print("trailing zeros:", trailing_zeros(f))
print(str(n) + "! // 2**64 =", f // 2 ** 64)
