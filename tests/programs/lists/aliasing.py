# lists are shared by reference: a = b = [] and passing lists to functions.
a = b = []
a.append(1)
print(a, b, a is b)


def fill(lst, n):
    for i in range(n):
        lst.append(i)
    lst[0] = "first"


c = []
fill(c, 3)
print(c)
d = c
d[1] = "changed"
print(c)
e = [c, c]
e[0][2] = "both"
print(e)
