# float() of strings and numbers used in arithmetic.
print(float(" 1.5 "), float("-inf"), float("nan"), float("1e5"), float("-1.25E-2"))
print(float("3") + float("0.5"), float("1e308") * 10, float("-0") == 0, float("1_5.5"))
print(float(" -12 ") * 2, float("+.5"), float("6.02e23"), float("1.7976931348623157e308"))
print(float(1), float(2 ** 64), float(-3), float(0))
