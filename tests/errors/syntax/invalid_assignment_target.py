# expect: syntaxerror
# assignment to a literal / a call is not allowed.
x = 1
x + 1 = 2
