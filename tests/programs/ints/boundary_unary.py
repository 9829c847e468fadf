# unary - and ~ and abs() around the small/big int boundaries.
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
    print(a, -a, ~a, abs(a), - -a, ~~a, -a == 0 - a, ~a == -a - 1)
