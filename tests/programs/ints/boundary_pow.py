# ** with boundary bases and small exponents (negative exponents give floats),
# and small bases with boundary-sized exponents.
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
    for n in [0, 1, 2, 3, 5]:
        print(a, "**", n, "=", a ** n)
for a in VALUES:
    if a != 0:
        print(a, "** -1 =", a ** -1, " ", a, "** -2 =", a ** -2)

for base in [2, -2, 3, -3, 10]:
    for n in [29, 30, 31, 32, 33, 61, 62, 63, 64, 65]:
        print(base, "**", n, "=", base ** n)

big = 2 ** 64
print((-1) ** big, (-1) ** (big + 1), 1 ** big, 0 ** big)
print(0 ** 0, 2 ** 0, big ** 0)
