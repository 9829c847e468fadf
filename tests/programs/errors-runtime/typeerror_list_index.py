# TypeError from indexing a list with a string.
lst = [1, 2, 3]
print(lst[1])
print(lst["1"])
