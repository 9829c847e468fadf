# expect: unsupported
# assert statements are outside the subset.
x = 2
assert x > 1, "x too small"
print(x)
