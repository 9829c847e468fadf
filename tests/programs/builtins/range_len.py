# range objects: len() for every argument form, and how a range prints.
print(len(range(10)), len(range(2, 10)), len(range(0, 10, 3)), len(range(10, 0, -3)), len(range(5, 1)))
print(len(range(-5)), len(range(0)), len(range(-10, 10, 7)), len(range(2 ** 40, 2 ** 40 + 5)))
print(range(5), range(1, 5), range(1, 10, 2), range(10, 0, -1), range(0))
print(str(range(-3, 3)), repr(range(2 ** 64, 2 ** 65, 2 ** 63)))
