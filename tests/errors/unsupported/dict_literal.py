# expect: unsupported
# dict literals are outside the subset.
name = "a"
d = {name: 1, "b": 2}
print(d)
