# abs() of floats, ints and bools.
print(abs(-1.5), abs(1.5), abs(-0.0), abs(0.0), abs(float("-inf")), abs(float("nan")))
print(abs(-7), abs(7), abs(0), abs(-(2 ** 63)), abs(-(2 ** 64)), abs(2 ** 64), abs(-(2 ** 30)))
print(abs(True), abs(False), abs(-1e308), abs(-5e-324))
