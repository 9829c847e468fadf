i = 0
while i < 10:
    i += 1
    if i == 3:
        continue
    if i == 8:
        break
else:
    print("no break")

for j in range(5):
    if j == 2:
        continue
    print(j)
else:
    print("done")

while True:
    break

while 1:
    i -= 1
    if not i:
        break

for k in []:
    pass

x = 0
while x < 3 and i > -5 or x == 100:
    x += 1

if x:
    pass
elif i:
    pass
elif not x:
    print()
else:
    print(x if i else -x)


def f(seq):
    for a in seq:
        for b in seq:
            if a == b:
                return a
    return None
