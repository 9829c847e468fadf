# TypeError from indexing a string with a float.
s = "hello"
print(s[1])
print(s[1.0])
