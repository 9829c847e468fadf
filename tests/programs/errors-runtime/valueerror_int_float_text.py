# ValueError from int("1.5") (int() does not parse floats).
print(int("15"))
print(int("1.5"))
