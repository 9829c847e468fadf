# loops that create lots of short-lived lists, strings and big ints; only a
# little survives each iteration, so memory use stays bounded.
keep = []
total = 0
for i in range(10000):
    tmp = [i, i + 1, [i * 2]]
    s = "item" + str(i)
    big = (2 ** 80 + i) * (2 ** 70 - i)
    total += tmp[2][0] + len(s) + big % 1000
    if i % 1000 == 0:
        keep.append(s)
print(total)
print(keep)
acc = ""
for i in range(3000):
    acc = acc + "x"
    if len(acc) > 50:
        acc = ""
print(len(acc))
row = []
for i in range(5000):
    row = [row, i]
    if i % 100 == 99:
        row = []
print(row)
f = 0.0
for i in range(10000):
    f = f + i * 0.5
print(f)
