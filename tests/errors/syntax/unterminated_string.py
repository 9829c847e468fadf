# expect: syntaxerror
# a string literal that is not closed before the end of the line.
print("ok")
s = "no end
print(s)
