import sys


def risky(x):
    if x < 0:
        raise ValueError("negative")
    return x * 2


def handle(x):
    try:
        r = risky(x)
    except ValueError as e:
        print("caught", e)
        r = -1
    except (TypeError, KeyError):
        r = -2
    except Exception:
        raise
    else:
        print("ok")
    finally:
        print("done")
    return r


def only_finally(f):
    try:
        return f()
    finally:
        print("cleanup")


def bare():
    try:
        x = 1 / 0
    except:
        x = 0
    return x


def nested(a):
    for i in a:
        try:
            if i:
                continue
            break
        finally:
            print(i)
    while True:
        try:
            return 1
        except KeyError:
            pass


def reraise():
    try:
        pass
    except ValueError as err:
        raise RuntimeError("x") from err


def assertions(x):
    assert x
    assert x > 0, "positive"
    del x


try:
    handle(3)
except ValueError:
    pass
print(handle(-1), only_finally(lambda: 2), bare())
