# primes.py - the primes below N with the sieve of Eratosthenes.
# Usage: pyaot run examples/primes.py [-- N]     (default N = 100)
import sys


def sieve(n):
    is_prime = [True] * n
    is_prime[0] = False
    is_prime[1] = False
    i = 2
    while i * i < n:
        if is_prime[i]:
            for multiple in range(i * i, n, i):
                is_prime[multiple] = False
        i += 1
    primes = []
    for k in range(n):
        if is_prime[k]:
            primes.append(k)
    return primes


def main():
    n = 100
    if len(sys.argv) > 1:
        n = int(sys.argv[1])
    if n < 2:
        print("no primes below", n)
        sys.exit(1)
    primes = sieve(n)
    print(len(primes), "primes below", n)
    print("largest:", primes[-1])
    if len(primes) <= 30:
        print(primes)


main()
