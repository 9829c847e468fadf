# expect: unsupported
# f-strings are outside the subset.
x = 42
print(f"x is {x}")
