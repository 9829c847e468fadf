# ValueError from int("1__0") (underscores only between single digits).
print(int("1_0"))
print(int("1__0"))
