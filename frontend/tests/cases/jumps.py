def f(a, b, c, y):
    if a < b:
        return 1
    if a and b:
        return 2
    if not a or (b and
                 c):
        return 3
    while a < b:
        a += 1
    z = [x for x in y if x]
    w = 1 if (a <
              b) else 2
    assert a, "msg"
    return [x for x in y if x if
            a]
def g(a, b, c):
    if a < b < c:
        return 1
    while a < b <= c:
        a = 2
    return (a < b < c) if a else 3
