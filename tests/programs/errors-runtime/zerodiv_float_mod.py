# ZeroDivisionError from int % 0.0.
print(7 % 2.5)
print(7 % 0.0)
