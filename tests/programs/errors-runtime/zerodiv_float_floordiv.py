# ZeroDivisionError from float // 0 (an int zero divisor).
print(7.5 // 2)
print(7.5 // 0)
