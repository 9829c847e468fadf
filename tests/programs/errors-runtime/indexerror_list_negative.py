# IndexError from a negative index beyond the start of a list.
lst = [1, 2]
print(lst[-2])
print(lst[-3])
