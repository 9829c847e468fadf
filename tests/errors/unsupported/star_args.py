# expect: unsupported
# *args parameters are outside the subset.
def total(*args):
    s = 0
    for a in args:
        s += a
    return s


print(total(1, 2, 3))
