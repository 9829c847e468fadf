# ZeroDivisionError from 0 ** -1 (a negative power of zero).
print(2 ** -1)
print(0 ** -1)
