# IndexError from assigning past the end of a list.
lst = [0] * 3
lst[2] = 5
print(lst)
lst[3] = 6
