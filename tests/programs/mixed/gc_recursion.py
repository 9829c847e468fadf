# values held only in the locals of deep recursive calls must survive while
# the calls below them allocate a lot (the collector must see every frame).
def descend(n, acc):
    here = [n, "level" + str(n), 2 ** 70 + n]
    if n == 0:
        junk = 0
        for i in range(2000):
            junk += len([i, i, i]) + len(str(i))
        return junk
    result = descend(n - 1, acc)
    acc.append(here[0] + here[2] - 2 ** 70)
    if here[1] != "level" + str(n):
        print("corrupted at", n)
    return result


acc = []
print(descend(600, acc))
print(len(acc), acc[0], acc[-1])
s = 0
for v in acc:
    s += v
print(s)
