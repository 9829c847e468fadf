# + and - on every pair of values around the small/big int boundaries
# (2**30, 2**31, 2**32, 2**62, 2**63, 2**64, their negatives, and +-1 around them).
VALUES = [0, 1, -1, 2, -3, 7]
for e in [30, 31, 32, 62, 63, 64]:
    p = 2 ** e
    VALUES.append(p - 1)
    VALUES.append(p)
    VALUES.append(p + 1)
    VALUES.append(-p + 1)
    VALUES.append(-p)
    VALUES.append(-p - 1)

for a in VALUES:
    for b in VALUES:
        print(a, "+", b, "=", a + b)
for a in VALUES:
    for b in VALUES:
        print(a, "-", b, "=", a - b)
