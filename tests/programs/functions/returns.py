# return values: none, early returns, returning lists, functions without
# return, nested calls as arguments.
def nothing():
    return


def implicit():
    x = 1


def sign(n):
    if n > 0:
        return 1
    if n < 0:
        return -1
    return 0


def first_negative(lst):
    for x in lst:
        if x < 0:
            return x
    return None


def pair(a, b):
    return [a, b]


def twice(x):
    return x * 2


print(nothing(), implicit(), sign(-5), sign(0), sign(2 ** 64))
print(first_negative([3, 4, -2, -9]), first_negative([1, 2]))
print(pair(1, "a"), pair(pair(1, 2), pair(3, 4)))
print(twice(twice(twice(3))), twice("ab"), twice([1]), twice(2 ** 63), twice(0.5))
print(sign(twice(-4)) + sign(twice(5)) * 10)
