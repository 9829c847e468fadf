# repr/str of floats: shortest round-trip digits, the switch to exponent
# notation at 1e16 and 1e-4, signed zero, inf and nan.
print(0.1, 0.5, 1.0, 2.0, 100.0, -1.5, 0.0, -0.0)
print(1e16, 1e15, 1e-07, 1e-4, 1e-5, 0.0001, 0.00001)
print(float("inf"), float("-inf"), float("nan"))
print(1.5e300 * 1e10, -1.5e300 * 1e10)
print(0.1 + 0.2, 1 / 3, 2 / 3, 2.5e-5, 123456789.123)
print(repr(0.1), repr(-0.0), repr(1e16), repr(1e-07), str(1e22), str(1e21))
print(123456789012345678.0, 1234567890123456.0, 12345678901234567.0)
print(9007199254740993.0, 1.7976931348623157e+308, 5e-324, 2.2250738585072014e-308)
print(1.0 / 7, 100.0 / 3, 3.14159, 2.718281828459045, 1e100, 1e-100)
print(0.3, 0.7, 1.1, 2.675, 1.005, 0.1 * 3, 1.1 * 1.1)
print(1e23, 9.999999999999999e22, 123e-20, 5e-8, 4.35, 0.000123)
print(float(2 ** 53), float(2 ** 63), float(2 ** 64), float(10 ** 16), float(-(10 ** 17)))
