# TypeError from unary minus on a string.
s = "abc"
print(-len(s))
print(-s)
