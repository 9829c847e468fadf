def f(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, kw


def g(x, /, y, *, z=1):
    return x + y + z


def deco(fn):
    return fn


@deco
@deco
def decorated(x):
    "Docstring."
    return x


def closure(n):
    total = 0

    def add(k):
        nonlocal total
        total += k
        return total

    def get():
        return n + total

    return add, get


def gen(n):
    for i in range(n):
        yield i
    x = yield
    yield from range(3)
    return x


def counter():
    count = [0]
    return lambda: count[0] + 1


square = lambda v: v * v
kw = lambda *a, **k: (a, k)
print(f(1, c=3), f(1, 2, 3, c=5, e=6), g(1, 2, z=3))
args = (1, 2)
kwargs = {"c": 3}
print(f(*args, **kwargs), f(*args, c=1, **kwargs), f(0, *args, c=2))
print(sorted([3, 1, 2], key=lambda t: -t, reverse=True))


def annotated(a: int, b: "str" = "x") -> bool:
    return True


x: int = 5
y: list


def uses_global():
    global x
    x = 6
    return x


def many_locals():
    a = b = c = 1
    del a
    return b, c
