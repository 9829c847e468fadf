# an exception raised several calls deep propagates out of every frame.
def level3(x):
    print("level3", x)
    return 100 // x


def level2(x):
    print("level2", x)
    return level3(x - 1) + 1


def level1(x):
    print("level1", x)
    return level2(x - 1) * 2


print(level1(5))
print(level1(2))
print("never printed")
