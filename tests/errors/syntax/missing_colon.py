# expect: syntaxerror
# an if statement without its colon.
x = 5
if x > 3
    print("big")
