# min() and max() with two or more arguments or a single list; ties return
# the first; mixed ints, floats, big ints and strings.
print(min(3, 1, 2), max(3, 1, 2), min(5, 5), max(-1, -2))
print(min([4, 8, 1, 9]), max([4, 8, 1, 9]), min([7]), max([2 ** 64, 2 ** 63, 2 ** 65]))
print(min(1, 1.0), min(1.0, 1), max(1, 1.0), max(1.0, 1), max(True, 1), max(1, True))
print(min(2 ** 64, -2 ** 64, 0), max(-0.5, 0, -1), min(0.0, -0.0), max(0.0, -0.0), max(-0.0, 0.0))
print(min("b", "a", "c"), max("b", "a", "c"), min(["pear", "apple", "fig"]), max(["é", "e", "z"]))
print(max(float("inf"), 10 ** 400), min(float("-inf"), -(10 ** 400)), max(1.5, 2 ** 64))
data = []
for i in range(20):
    data.append((i * 7919) % 101 - 50)
print(data, min(data), max(data))
print(min(3, 4) + max(3, 4), max(min(1, 2), min(3, 4)))
