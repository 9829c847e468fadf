# string literals with escape sequences, printed and repr'd.
print("tab:\tend")
print("newline:\nsecond line")
print("backslash: \\ quote: \' dquote: \"")
print('single \'quoted\' and "double"')
print("hex: \x41\x42\x43 \x7e")
print("unicode: \u00e9 \u65e5\u672c \U0001F600")
print("octal: \101\102 \0end")
print("bell and friends:", repr("\a\b\f\v\r"))
print(repr("\n\t\\"), repr("\x00\x01\x1f\x7f"), repr("\x41"))
print("""triple
quoted""", '''also
triple''')
print(r"raw \n \t \\", repr(r"C:\dir\new"))
print("adjacent " "literals " 'are joined')
print(len("\n"), len("\\"), len("\x41"), len("\u00e9"), len("\U0001F600"), len(r"\n"))
