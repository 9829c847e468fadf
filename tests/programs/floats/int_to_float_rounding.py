# converting big ints to float rounds to nearest, ties to even, whether by
# float(), by mixing with a float, or by true division.
for k in [53, 54, 63, 64, 100]:
    b = 2 ** k
    for d in [-3, -2, -1, 0, 1, 2, 3]:
        n = b + d
        print(k, d, float(n), n + 0.0, n * 1.0, n / 1, float(n) == n, float(-n))
print(float(2 ** 53 + 1), float(2 ** 53 + 3), float(2 ** 64 - 1), float(2 ** 1023), float(10 ** 308))
print(float(2 ** 54 + 2), float(2 ** 54 + 6), float(12345678901234567890), float(-98765432109876543210))
