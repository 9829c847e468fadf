# expect: unsupported
# slices are outside the subset.
a = [1, 2, 3, 4]
print(a[1:3])
