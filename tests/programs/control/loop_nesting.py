# deeply nested loops mixing while and for, with break/continue at each level.
count = 0
for a in range(4):
    b = 0
    while b < 4:
        b += 1
        if b == 2:
            continue
        for c in [1, 2, 3]:
            if c == a:
                break
            count += a * 100 + b * 10 + c
        else:
            count += 1
    if a == 3:
        break
print(count)
table = []
for i in range(1, 6):
    row = []
    for j in range(1, 6):
        row.append(i * j)
    table.append(row)
for row in table:
    for v in row:
        print(v, end="\t")
    print()
