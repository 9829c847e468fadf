# expect: unsupported
# the sorted() builtin is outside the subset.
lst = [3, 1, 2]
print(sorted(lst))
