# IndexError from reading past the end of a list.
lst = [10, 20, 30]
for i in range(5):
    print(lst[i])
