# expect: unsupported
# lambda expressions are outside the subset.
n = 3
double = lambda x: x * 2
print(double(n))
