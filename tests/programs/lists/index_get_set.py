# list indexing with positive and negative indices, assignment, and
# augmented assignment to items.
a = [10, 20, 30, 40, 50]
print(a[0], a[4], a[-1], a[-5], a[2], a[-3])
a[0] = 11
a[-1] = 55
a[2] = "thirty"
print(a)
a[1] += 1
a[-2] *= 3
a[0] -= 100
print(a)
counts = [0] * 5
for x in [1, 3, 3, 4, 0, 3, 1, 1, 1]:
    counts[x] += 1
print(counts)
m = [[1, 2, 3], [4, 5, 6]]
m[1][2] = 60
m[0][-1] += 30
m[-1][0] **= 3
print(m, m[1][-1], m[-2][0])
i = 2
a[i - 1] = a[i + 1]
print(a, a[i], a[-i])
t = [True, False]
print(t[True], t[False])
b = [0, 1]
b[0] += 2 ** 64
b[1] -= 2 ** 63
print(b)
s = ["a", "b"]
s[0] += "x"
s[1] *= 3
print(s)
