# expect: syntaxerror
# an unexpected indent in the middle of a block.
def f():
    a = 1
        b = 2
    return a + b


print(f())
