def f(g):
    try:
        g()
    except* ValueError as eg:
        print("values", eg)
    except* (TypeError, KeyError):
        print("types")
    else:
        print("fine")
    return 1


def h(g):
    try:
        g()
    except* OSError:
        pass
    finally:
        print("done")


try:
    raise ExceptionGroup("x", [ValueError(1)])
except* ValueError as e:
    print(e)
