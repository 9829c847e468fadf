# append grows a list; len tracks it; appending a list to itself.
a = []
print(len(a), a)
for i in range(10):
    a.append(i * i)
print(len(a), a)
b = []
i = 0
while len(b) < 1000:
    b.append(i)
    i += 3
print(len(b), b[0], b[500], b[-1])
c = [1]
c.append(c)
print(len(c), c[1] is c, len(c[1]))
d = []
d.append([])
d[0].append("nested")
d.append(None)
print(d)
r = a.append(100)
print(r, a[-1], len(a))
