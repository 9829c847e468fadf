# expressions of constants on both sides of CPython's compile-time folding
# limits (ints up to 128 bits and strings up to 4096 characters are folded,
# larger ones are computed at run time): the values must not depend on it.
print(2 ** 64, 2 ** 127, 2 ** 128, 2 ** 129, 2 ** 200)
print(-(2 ** 128) - 1, (2 ** 64) * (2 ** 64), (2 ** 65) * (2 ** 64), 1 << 127, 1 << 128, 1 << 1000 >> 990)
print(len("ab" * 2048), len("ab" * 2049), len("x" * 4096), len("x" * 4097))
print(3 ** 80, 3 ** 81, 10 ** 38, 10 ** 39, 7 * 11 * 13 * 2 ** 100)
print(~(2 ** 128), -(-(2 ** 128)), (2 ** 128) // 3, (2 ** 128) % 1000, (2 ** 300) >> 290)
print(1.5 * 2, 10 / 4, 2 ** -3, 1e308 * 10, -(0.0), 0.1 + 0.2, "a" + "b" * 3)
