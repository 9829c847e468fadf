# list literals and how lists print (repr of each element).
print([])
print([1, 2, 3])
print([1, "a", 'b"', "it's", 2.5, -0.0, None, True, False])
print([[1, 2], [3, [4, [5, []]]]])
print([2 ** 64, -(2 ** 70), 1e16, 1e-07, float("inf"), float("nan")])
print(["é", "日本", "😀", "\n", "\t", "\\"])
print([bytes([65, 0])])
x = [1, 2]
print(str(x), repr(x), len(str(x)))
print([[]], [[], []], [[[]]])
