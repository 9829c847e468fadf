# sieve of Eratosthenes up to 20000: count, sum and the last primes; twin
# primes; primes below 100 printed as a list.
N = 20000
is_prime = [True] * (N + 1)
is_prime[0] = False
is_prime[1] = False
i = 2
while i * i <= N:
    if is_prime[i]:
        j = i * i
        while j <= N:
            is_prime[j] = False
            j += i
    i += 1
primes = []
for n in range(N + 1):
    if is_prime[n]:
        primes.append(n)
print(len(primes), primes[-1], primes[-5])
total = 0
for p in primes:
    total += p
print(total)
small = []
for p in primes:
    if p >= 100:
        break
    small.append(p)
print(small)
twins = 0
for k in range(len(primes) - 1):
    if primes[k + 1] - primes[k] == 2:
        twins += 1
print("twin pairs", twins)
product = 1
for p in small:
    product *= p
print("primorial", product)
