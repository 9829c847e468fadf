# len(), str() and repr() applied to each other's results.
things = ["", "abc", [], [1, [2, 3]], bytes([1, 2]), "日本", range(4)]
for t in things:
    print(len(t), str(len(t)), repr(str(len(t))))
print(len(str(2 ** 1000)), len(repr("x")), len(str(-1.5)), str(len([0] * 100)))
print(str(len("abc")) + str(len([0, 0])))
