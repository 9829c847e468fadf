# ZeroDivisionError from an augmented %= with a zero divisor computed at run time.
x = 17
x %= 5
print(x)
x %= x - x
