# expect: syntaxerror
# break outside any loop.
x = 1
if x:
    break
print(x)
