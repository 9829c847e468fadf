# mixing ints and floats: mean, variance (Newton square root), harmonic sums,
# perfect numbers and digit reversals.
def sqrt(x):
    if x == 0:
        return 0.0
    g = x / 2
    for i in range(60):
        g = (g + x / g) / 2
    return g


def isqrt(n):
    # integer square root of a (possibly big) int by Newton's method
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


data = [2, 4, 4, 4, 5, 5, 7, 9]
total = 0
for d in data:
    total += d
mean = total / len(data)
var = 0.0
for d in data:
    var += (d - mean) ** 2
var = var / len(data)
print(total, mean, var, sqrt(var), sqrt(2.0), sqrt(1e10))
h = 0.0
for k in range(1, 101):
    h += 1 / k
print(h)
perfect = []
for n in range(2, 2000):
    s = 1
    d = 2
    while d * d <= n:
        if n % d == 0:
            s += d
            if d * d != n:
                s += n // d
        d += 1
    if s == n:
        perfect.append(n)
print(perfect)
print(isqrt(2 ** 200), isqrt(10 ** 41), isqrt(99), isqrt(2 ** 64 - 1))
r = 0
n = 1234567890123456789
while n > 0:
    r = r * 10 + n % 10
    n //= 10
print(r)
