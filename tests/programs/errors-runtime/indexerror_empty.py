# IndexError from indexing an empty list and a big index.
a = []
print(len(a))
print([1][2 ** 64])
