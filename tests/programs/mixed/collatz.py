# Collatz sequences: step counts below 1000, the longest chain, and a
# chain starting from a big int.
def steps(n):
    count = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        count += 1
    return count


best = 0
best_n = 0
for n in range(1, 1000):
    s = steps(n)
    if s > best:
        best = s
        best_n = n
print(best_n, best)
print(steps(27), steps(97), steps(871))
peak = 0
n = 27
while n != 1:
    if n > peak:
        peak = n
    n = n // 2 if n % 2 == 0 else 3 * n + 1
print("peak of 27:", peak)
print(steps(2 ** 100 + 1), steps(3 ** 50), steps(2 ** 64 - 1))
