# ZeroDivisionError from float division by 0.0.
x = 1.5
print(x / 3)
print(x / -0.0)
