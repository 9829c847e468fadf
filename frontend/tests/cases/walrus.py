data = [1, 2, 3, 4]
if (n := len(data)) > 3:
    print(n)
total = [y := x * 2 for x in data]
print(y, total)


def f(xs):
    found = [m for x in xs if (m := x % 3)]
    return m, found


def g(xs):
    global gg
    return [gg := x for x in xs]


def h(xs):
    def inner():
        return [(z := q) for q in xs]
    r = inner()
    return r


while (chunk := data.pop()) > 2:
    pass
