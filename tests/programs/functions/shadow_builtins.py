# user functions and globals may reuse builtin names; the module's binding
# wins over the builtin from the point it is made.
print(abs(-3), max(1, 2))


def abs(x):
    return "my abs of " + str(x)


print(abs(-3))
max = 99
print(max)


def uses_len(s):
    return len(s)


print(uses_len("four"))


def len(x):
    return 42


print(uses_len("four"), len([]))
