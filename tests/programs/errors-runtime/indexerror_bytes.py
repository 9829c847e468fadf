# IndexError from indexing bytes past the end.
b = bytes([1, 2, 3])
print(b[2], b[-3])
print(b[3])
