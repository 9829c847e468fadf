a = (1, 2, 3)
b = 1, 2
c = ()
d = (4,)
x, y = 1, 2
x, y = y, x
x, y, z = y, z, x
(p, q), r = (1, 2), 3
first, *rest = [1, 2, 3]
*init, last = a
m = {"a": 1, "b": 2}
m2 = {1: x, y: 2}
m3 = {**m, "c": 3}
m4 = {}
s = {1, 2, 3}
s2 = {x, y}
s3 = {*a, 4}
l = [1, 2, 3, 4]
l2 = [x, y]
l3 = [*a, *l]
l4 = []
l5 = [x] * 10
sl = l[1:2]
sl2 = l[::2]
sl3 = l[x:y:z]
l[0:1] = [9]
del l[0]
del l[1:2]
del m["a"]
l[0] += 1
m["b"] *= 2
big = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33]
bigv = [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]
t2 = (x, *l)
print(x in (1, 2), y not in [x, 1], z in {1, 2})
for i in {1, 2}:
    pass
e = ...
cx = 1 + 2j
neg = -5
inv = ~5
nt = not 1
