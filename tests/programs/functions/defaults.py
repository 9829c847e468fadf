# positional parameters with default values; defaults are evaluated once,
# when the def statement runs.
LIMIT = 5


def f(a, b=2, c=LIMIT):
    return a * 100 + b * 10 + c


LIMIT = 9
print(f(1), f(1, 3), f(1, 3, 4), LIMIT)


def g(x=LIMIT):
    return x


LIMIT = 0
print(g(), g(7))


def acc(x, into=[]):
    into.append(x)
    return into


print(acc(1), acc(2), acc(3, []), acc(4))


def count_calls(n=[0]):
    n[0] += 1
    return n[0]


count_calls()
count_calls()
print(count_calls())


def big_default(x=2 ** 64, y=-0.0, z="s", w=None):
    return [x, y, z, w]


print(big_default(), big_default(1), big_default(1, 2, 3, 4))
