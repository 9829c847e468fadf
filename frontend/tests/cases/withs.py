class CM:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def use():
    with CM() as c, CM():
        print(c)
    with CM():
        return 5


def loop():
    for i in range(3):
        with CM() as (a):
            if i:
                break
            continue


with open(__file__) as f:
    data = f.read()
