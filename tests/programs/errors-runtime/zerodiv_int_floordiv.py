# ZeroDivisionError from int // 0 after some output; exit status 1.
print("computing")
a = 10
b = 0
print(a // 1)
print(a // b)
print("never printed")
