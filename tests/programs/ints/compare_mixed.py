# comparisons between small ints, big ints, floats and bools: int/float
# comparison is exact (2**53 + 1 is not equal to the float 2.0**53).
INTS = [0, 1, -1, 2 ** 31, 2 ** 53, 2 ** 53 + 1, 2 ** 63 - 1, 2 ** 63, -2 ** 63, 2 ** 64, 10 ** 30]
FLOATS = [0.0, -0.0, 0.5, -0.5, 1.0, 2.0 ** 31, 2.0 ** 53, 2.0 ** 53 + 2.0, 2.0 ** 63, -2.0 ** 63, 2.0 ** 64, 1e30,
          float("inf"), float("-inf"), float("nan")]
for a in INTS:
    for b in FLOATS:
        print(a, b, a < b, a <= b, a == b, a != b, a > b, a >= b)
for b in FLOATS:
    for a in INTS:
        print(b, a, b < a, b <= a, b == a, b != a, b > a, b >= a)
BOOLS = [True, False]
OTHERS = [0, 1, 2, -1, 0.0, 1.0, 0.5, 2 ** 64, True, False]
for a in BOOLS:
    for b in OTHERS:
        print(a, b, a < b, a <= b, a == b, a != b, a > b, a >= b)
print(10 ** 400 > 1e308, -10 ** 400 < -1e308, 10 ** 400 < float("inf"), -10 ** 400 > float("-inf"))
print(1e308 == 10 ** 308, int(1e308) == 1e308, 2 ** 1024 > 1e308, 2 ** 1024 == float("inf"), -(2 ** 1024) < -1e308)
