def outer(x, y):
    z = 1

    def mid(a):
        def inner():
            nonlocal z
            z += a + x
            return z
        return inner

    class K:
        v = x

        def m(self):
            return y + self.v

        def sup(self):
            return super().m()

    return mid, K


def arg_cell(p, q):
    return lambda: p + q


def shadow():
    x = 1

    def f():
        x = 2
        return x

    def g():
        return x
    return f, g


def gen_closure(n):
    return (i * n for i in range(n))


def deleted():
    c = 0

    def f():
        return c
    del c
    return f


class WithClassCell:
    def a(self):
        return __class__

    def b(self):
        return super()


def gl():
    global GG
    GG = 1
    del GG


GG = 0
