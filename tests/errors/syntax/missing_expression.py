# expect: syntaxerror
# a binary operator without its right operand.
a = 1
b = a +
print(b)
