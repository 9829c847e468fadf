# expect: unsupported
# closures (inner functions using outer variables) and nonlocal are outside
# the subset.
def counter():
    n = 0

    def bump():
        nonlocal n
        n += 1
        return n

    return bump


c = counter()
print(c(), c())
