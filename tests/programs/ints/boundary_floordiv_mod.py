# // and % on every pair (non-zero divisor) of values around the small/big
# int boundaries, all sign combinations; checks a == (a // b) * b + a % b.
VALUES = [0, 1, -1, 2, -3, 7]
for e in [30, 31, 32, 62, 63, 64]:
    p = 2 ** e
    VALUES.append(p - 1)
    VALUES.append(p)
    VALUES.append(p + 1)
    VALUES.append(-p + 1)
    VALUES.append(-p)
    VALUES.append(-p - 1)

bad = 0
for a in VALUES:
    for b in VALUES:
        if b != 0:
            q = a // b
            r = a % b
            print(a, "//", b, "=", q, " ", a, "%", b, "=", r)
            if q * b + r != a:
                bad = bad + 1
print("identity failures:", bad)
