# mutually recursive functions, and functions that call functions defined
# later in the module.
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def first():
    return "first calls " + second()


def second():
    return "second calls " + third()


def third():
    return "third"


print(is_even(10), is_odd(10), is_even(7), is_odd(7), is_even(0), is_odd(801))
print(first())


def hofstadter_f(n):
    if n == 0:
        return 1
    return n - hofstadter_m(hofstadter_f(n - 1))


def hofstadter_m(n):
    if n == 0:
        return 0
    return n - hofstadter_f(hofstadter_m(n - 1))


fs = []
ms = []
for i in range(15):
    fs.append(hofstadter_f(i))
    ms.append(hofstadter_m(i))
print(fs)
print(ms)
