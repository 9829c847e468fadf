# IndexError from indexing a string past its end.
s = "héllo"
i = 0
while True:
    print(s[i])
    i += 1
