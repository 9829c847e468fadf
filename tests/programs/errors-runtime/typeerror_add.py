# TypeError from 1 + "a".
print(1 + 2)
print("a" + "b")
print(1 + "a")
