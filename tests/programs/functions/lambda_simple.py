# lambdas that capture nothing compile like functions.
n = 3
double = lambda x: x * 2
print(double(n))
add = lambda a, b=10: a + b
print(add(1), add(1, 2), (lambda: "no args")())
