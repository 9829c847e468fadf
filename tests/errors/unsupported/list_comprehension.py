# expect: unsupported
# list comprehensions are outside the subset.
squares = [i * i for i in range(5)]
print(squares)
