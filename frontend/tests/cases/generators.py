def g1():
    try:
        yield 1
    finally:
        print("fin")


def g2():
    with open("x") as f:
        yield f
        for line in f:
            yield line


def g3(it):
    x = yield from it
    y = yield
    return x, y


def g4():
    try:
        yield 1
    except ValueError:
        yield 2
    yield 3


lam = lambda: (yield)
