# ZeroDivisionError from big int // 0.
n = 3 ** 100
print(n // 3 ** 99)
print(n // 0)
