# true division / of ints always gives a float, correctly rounded even for
# big operands.
for a in [1, 2, 3, 7, -7, 10, 0, 100]:
    for b in [1, 2, 3, -3, 7, 10, 64]:
        print(a, "/", b, "=", a / b)
print(1 / 3, 2 / 3, 10 / 3, -10 / 3, 1 / 10, 1 / 1024, 6 / 2, 0 / -5)
print(2 ** 64 / 2 ** 32, 10 ** 30 / 10 ** 10, (2 ** 53 + 1) / 1, (2 ** 54 + 3) / 2)
print(10 ** 400 / 10 ** 399, 1 / 2 ** 64, -1 / 2 ** 100, 3 ** 200 / 3 ** 199)
print(9007199254740993 / 1, 12345678901234567890 / 3)
