# repr() of non-ASCII: printable characters stay as they are, control and
# non-printable code points get \x, \u or \U escapes.
print(repr("é"), repr("日本"), repr("😀"), repr("Ω"), repr("ß"))
print(repr("\x80"), repr("\x9f"), repr("\xa0"), repr("\xad"), repr("\xff"))
print(repr("\u200b"), repr("\u2028"), repr("\ufeff"), repr("\U000e0001"), repr("\U0010ffff"))
print(repr("\u00e9\u0301"), repr("\u3000"), repr("a\u0300"))
