# expect: syntaxerror
# a dedent to a column that matches no outer indentation level.
if True:
        x = 1
    y = 2
print(x)
