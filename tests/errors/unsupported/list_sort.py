# expect: unsupported
# list.sort() is outside the subset (only append is supported).
lst = [3, 1, 2]
lst.append(0)
lst.sort()
print(lst)
