# repr of many floats: powers of ten and two, values next to the notation
# thresholds (1e16 and 1e-4), and pseudo-random doubles across magnitudes.
p = 1.0
for i in range(26):
    print(p, 1 / p, -p)
    p = p * 10
h = 1.0
for i in range(70):
    h = h / 2
    if i % 5 == 0:
        print(i, h)
print(9999999999999998.0, 1e16 - 2, 1e16 + 2, 0.0001, 0.00009999, 0.000099999999999999, 1e-4 * 0.5)
print(123456789012345680.0, 999999999999999.9, 99999999999999.99, 0.1 * 0.1, 100.0 / 3.0)
scales = []
s = 1e-20
for i in range(40):
    scales.append(s)
    s = s * 10
seed = 2024
for i in range(120):
    seed = (seed * 6364136223846793005 + 1442695040888963407) % 2 ** 64
    mantissa = seed >> 11
    scale = scales[i % 40]
    print(mantissa / 2 ** 53 * scale)
