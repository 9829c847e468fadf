# expect: unsupported
# a nested function that reads a variable of its enclosing function (a
# closure) is outside the subset.
def make_adder(k):
    def add(x):
        return x + k

    return add


print(make_adder(2)(3))
