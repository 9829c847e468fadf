# ValueError from int("x").
print(int("12"))
print(int(" 7 "))
print(int("x"))
