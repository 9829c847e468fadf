# len() and indexing of strings, positive and negative, every position.
s = "Hello, World"
print(len(s), len(""), len(" "), len("a\tb"))
i = 0
while i < len(s):
    print(i, s[i], s[-1 - i], s[i - len(s)])
    i += 1
print(s[0] + s[7] + s[-1], s[len(s) - 1] == s[-1])
print(repr(s[5]), repr(s[6]), "abc"[1], "xyz"[-3])
