# TypeError from len(5).
print(len("five"))
print(len(5))
