# collatz.py - the longest Collatz chain starting below N.
# Usage: pyaot run examples/collatz.py [-- N]     (default N = 100000)
import sys


def chain_length(n):
    steps = 1
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def main():
    limit = 100000
    if len(sys.argv) > 1:
        limit = int(sys.argv[1])
    best = 1
    best_length = 1
    for start in range(1, limit):
        length = chain_length(start)
        if length > best_length:
            best = start
            best_length = length
    print("below", limit, "the longest chain starts at", best, "with", best_length, "terms")


main()
