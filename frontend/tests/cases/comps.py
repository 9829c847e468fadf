xs = [1, 2, 3]
a = [x * 2 for x in xs]
b = {x: x * x for x in xs if x > 1}
c = {x for x in xs}
d = list(x for x in xs)
e = [(x, y) for x in xs for y in xs if x != y]
f = [y for x in xs for y in [x]]
g = sum(x for x in range(10))


def inner(n):
    return [i + n for i in range(n)]


def nested(m):
    return [[j for j in range(i)] for i in range(m)]
