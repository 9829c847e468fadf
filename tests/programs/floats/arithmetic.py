# float arithmetic with every operator, including overflow to inf, and
# operations that produce nan.
a = 7.5
b = -2.25
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** 2, b ** 2, b ** 3)
print(-a, -b, abs(b), a ** 0.5, 2.0 ** -1, 2.0 ** 0.5, 10.0 ** -3, 0.5 ** 10)
print(1e308 * 10, -1e308 * 10, 1e308 + 1e308, 1e-320 / 1e10, 2.0 ** 1023 * 2)
inf = float("inf")
print(inf + 1, inf - inf, inf * 0, inf / inf, -inf * -1, inf * -2.0, 1 / inf, -1 / inf)
nan = float("nan")
print(nan + 1, nan * 0, nan == nan, nan != nan, nan < 1, nan > 1)
x = 0.0
i = 0
while i < 10:
    x += 0.1
    i += 1
print(x, x == 1.0, x < 1.0)
y = 1.0
for i in range(60):
    y *= 2.0
print(y, y + 1.0, y - 1.0)
print(0.1 * 3 == 0.3, 0.5 + 0.25 == 0.75, 1e16 + 1 == 1e16, 1e16 + 2)
