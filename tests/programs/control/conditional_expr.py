# conditional expressions: nested, as arguments, only one branch evaluated.
def shout(s):
    print("evaluated", s)
    return s


for n in range(-2, 3):
    print(n, "pos" if n > 0 else "neg" if n < 0 else "zero")
x = 10
y = x * 2 if x > 5 else x - 2
print(y)
print(shout("yes") if x else shout("no"))
print(shout("yes") if not x else shout("no"))
z = [1, 2][0 if x < 5 else 1]
print(z, (2 ** 64 if x else 0) + 1, abs(-3 if x > 0 else 3))
print("empty" if [] else "nonempty", "none" if None is None else "some")
