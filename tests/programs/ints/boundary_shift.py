# << and >> of boundary values by shift counts around the word sizes.
VALUES = [0, 1, -1, 2, -3, 7]
for e in [30, 31, 32, 62, 63, 64]:
    p = 2 ** e
    VALUES.append(p - 1)
    VALUES.append(p)
    VALUES.append(p + 1)
    VALUES.append(-p + 1)
    VALUES.append(-p)
    VALUES.append(-p - 1)

COUNTS = [0, 1, 2, 29, 30, 31, 32, 33, 61, 62, 63, 64, 65, 100]
for a in VALUES:
    for n in COUNTS:
        print(a, "<<", n, "=", a << n, " ", a, ">>", n, "=", a >> n)

print(1 << 2 ** 6, -1 >> 2 ** 64, 5 >> 2 ** 64, -5 >> 2 ** 64)
