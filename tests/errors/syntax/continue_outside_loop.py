# expect: syntaxerror
# continue outside any loop (inside a function body).
def f(x):
    if x:
        continue
    return x
