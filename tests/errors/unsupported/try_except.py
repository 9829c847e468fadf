# expect: unsupported
# exception handling (try/except) is outside the subset.
x = 0
try:
    print(1 // x)
except ZeroDivisionError:
    print("caught")
