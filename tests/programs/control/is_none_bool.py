# None and bools: printing, ==, is / is not, truthiness of every kind of value.
print(None, True, False)
print(None == None, None is None, None is not None, None == 0, None == False, None != [])
print(True == 1, False == 0, True is True, True is not False, True == 2)
x = None
print(x is None, x == None, not x)
VALUES = [None, True, False, 0, 1, -1, 0.0, -0.0, 0.5, float("nan"), "", "a", " ", "0", [], [0], [[]],
          2 ** 64, -(2 ** 64), 2 ** 64 - 2 ** 64]
for v in VALUES:
    if v:
        t = "truthy"
    else:
        t = "falsy"
    print(repr(v), t, not v, not not v)
a = [1]
b = a
c = [1]
print(a is b, a is c, a is not c, a == c)


def nothing():
    pass


print(nothing(), nothing() is None)
