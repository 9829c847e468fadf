# non-ASCII text: Latin-1, CJK, emoji; len counts code points; indexing
# returns one code point.
s = "café"
j = "日本語"
e = "a😀b"
print(s, j, e)
print(len(s), len(j), len(e), len("é"), len("😀👍"))
print(s[3], s[-1], j[0], j[-1], j[1], e[1], e[-1])
print(s + j + e, j * 3)
print(repr(s), repr(j), repr(e), str(j))
print("é" == "\u00e9", "日本" == "\u65e5\u672c", "😀" == "\U0001F600")
print("é" > "z", "日" > "é", "😀" > "日", "ä" < "é")
mixed = "Grüße, 世界! 🌍"
i = 0
while i < len(mixed):
    print(i, mixed[i], repr(mixed[i]))
    i += 1
