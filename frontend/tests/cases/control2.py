def f(xs):
    total = 0
    for x in xs:
        try:
            if x < 0:
                break
            elif x == 0:
                continue
            total += x
        finally:
            total -= 1
    else:
        total = -1
    return total


def g(xs):
    for x in xs:
        with open(x) as fh:
            if fh:
                return fh.read()
            else:
                continue
    return None


def h(d):
    try:
        return d[0]
    except (IndexError, KeyError) as e:
        return e
    finally:
        print("x")


def k(a, b):
    if a and (b or not a):
        return 1
    x = a if b else (a or b)
    y = a and b and not (a or b)
    z = not (a < b)
    w = not (a is None)
    v = a is not None and b in (1, 2, 3)
    return x, y, z, w, v


def m(n):
    while n:
        n -= 1
        try:
            raise ValueError
        except ValueError:
            continue
        finally:
            pass
    while n > 0:
        break
    else:
        return 2


if __name__ == "__main__":
    print(f([1, 2]), k(1, 2))
