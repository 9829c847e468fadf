# ZeroDivisionError from int % 0 with a big dividend.
x = 2 ** 100
print(x % 7)
zero = x - x
print(x % zero)
