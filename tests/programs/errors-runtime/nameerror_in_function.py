# NameError for a misspelled name inside a function, raised from a nested call.
def total(values):
    s = 0
    for v in values:
        s += v
    return s + extra


def report():
    print("sum of list")
    print(total([1, 2, 3]))


report()
