# expect: syntaxerror
# return at module level.
x = 1
print(x)
return x
