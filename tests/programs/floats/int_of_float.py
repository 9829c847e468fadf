# int() of floats truncates toward zero; large floats become big ints exactly.
for x in [2.9, -2.9, 0.5, -0.5, 0.0, -0.0, 1.0, 1e15, 1e16, 1e20, -1e20, 2.0 ** 63, -2.0 ** 63,
          2.0 ** 64, 1.5e300, 123456789.987, 4503599627370495.5, 2.0 ** 62 - 0.5 * 2 ** 10]:
    print(x, int(x))
print(int(1e20) == 10 ** 20, int(2.0 ** 100) == 2 ** 100, int(-1e-300), int(0.9999999999999999))
