# float // and %: all sign combinations, signed zeros, inf and nan operands,
# and remainders that round up to the divisor.
V = [7.5, -7.5, 2.0, -2.0, 0.5, -0.5, 3, -3]
for a in V:
    for b in V:
        print(a, b, a // b, a % b)
inf = float("inf")
nan = float("nan")
print(0.0 % 5.0, -0.0 % 5.0, 0.0 % -5.0, -0.0 % -5.0, 0.0 // 5.0, -0.0 // 5.0, 0.0 // -5.0)
print(1.0 % inf, -1.0 % inf, 1.0 % -inf, -1.0 % -inf, 1.0 // inf, -1.0 // inf, 1.0 // -inf)
print(inf // 1.0, inf % 1.0, nan // 1.0, nan % 1.0, 5.0 // nan, 5.0 % nan)
print(-1e-20 % 1.0, 1e-20 % -1.0, 1e300 // 1e-300, 2 ** 64 // 0.5, 2 ** 64 % 0.75)
print(5.5 % 2, 5 % 2.5, -5 % 2.5, 10 // 3.0, -10 // 3.0, 10.0 // -3, 0.3 // 0.1, 0.3 % 0.1)
