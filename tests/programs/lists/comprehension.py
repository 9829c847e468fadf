# list comprehensions over ranges and lists.
squares = [i * i for i in range(5)]
print(squares)
evens = [x for x in squares if x % 2 == 0]
pairs = [[i, j] for i in range(3) for j in range(i)]
print(evens, pairs, len([0 for _ in []]))
