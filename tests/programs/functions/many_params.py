# functions with many positional parameters, some defaulted; argument
# evaluation order is left to right.
def six(a, b, c, d, e, f):
    return [a, b, c, d, e, f]


def opt(a, b=1, c=2, d=3, e=4):
    return a + b * 10 + c * 100 + d * 1000 + e * 10000


def noisy(x):
    print("arg", x)
    return x


print(six(1, 2, 3, 4, 5, 6))
print(opt(0), opt(0, 0), opt(0, 0, 0), opt(0, 0, 0, 0), opt(0, 0, 0, 0, 0))
print(six(noisy(1), noisy(2), noisy(3), noisy(4), noisy(5), noisy(6)))


def no_params():
    return "none"


print(no_params())
