# ZeroDivisionError from int / 0.
for d in [4, 2, 1, 0]:
    print(100 / d)
