# chained comparisons evaluate the middle operand once and short-circuit.
def val(x):
    print("eval", x)
    return x


a = 1
b = 2
c = 3
print(a < b < c, a < b > c, c > b > a, a == 1 < 2, 1 < 2 < 3 < 4 < 5, 1 < 2 < 2)
print(a <= 1 <= b, 0 < 2 ** 64 <= 2 ** 64 < 2 ** 65, 1.5 < 2 < 2.5, "a" < "b" < "c")
print(val(1) < val(2) < val(3))
print(val(3) < val(2) < val(1))
print(a is not None is not b, a != b != a, 1 == 1.0 == True)
x = 5
if 0 <= x < 10:
    print("in range")
if not 0 <= x < 5:
    print("not in [0, 5)")
print(1 < 2 in [False, True], [1] == [1] != [2])
