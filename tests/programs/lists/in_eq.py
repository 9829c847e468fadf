# `in`, `not in` and == / != on lists, including mixed numeric types and
# nested lists.
a = [1, 2.5, "x", None, [3, 4], 2 ** 64, True]
print(1 in a, 2.5 in a, "x" in a, None in a, [3, 4] in a, 2 ** 64 in a, True in a)
print(3 in a, "y" in a, [4, 3] in a, 1.0 in a, 2 ** 64 + 0.0 in a, "x" not in a, 7 not in a)
print([] in [[]], [] in [], 0 in [False], 0.0 in [0])
print([1, 2] == [1, 2], [1, 2] == [2, 1], [1, 2] != [1, 2, 3], [] == [], [[1]] == [[1]])
print([1, 2.0] == [1.0, 2], [True] == [1], ["a"] == ["a"], [None] == [None], [1] == [1, 1])
x = [1, 2]
y = x
z = [1, 2]
print(x == y, x is y, x == z, x is z, x is not z)
nan = float("nan")
n = [nan]
print(nan in n, n == n, [nan] == [nan])
