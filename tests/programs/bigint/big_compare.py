# ordering of big ints of different lengths and signs, and against small ints.
V = [0, 1, -1, 2 ** 64, -(2 ** 64), 2 ** 64 + 1, 2 ** 128, -(2 ** 128), 10 ** 40, -(10 ** 40), 2 ** 63 - 1]
for a in V:
    row = []
    for b in V:
        if a < b:
            row.append("<")
        elif a == b:
            row.append("=")
        else:
            row.append(">")
    print(a, row)
print(2 ** 100 == 2 ** 100, 2 ** 100 is not None, 2 ** 100 != 2 ** 100 + 1)
print(max(2 ** 64, 2 ** 63, -(2 ** 70)), min(2 ** 64, 2 ** 63, -(2 ** 70)))
print(1 < 2 ** 64 < 2 ** 65 < 2 ** 66, 2 ** 64 < 1 < 2)
