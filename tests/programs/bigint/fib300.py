# Fibonacci numbers up to fib(300), iteratively, with big ints.
a = 0
b = 1
n = 0
while n < 300:
    t = a + b
    a = b
    b = t
    n = n + 1
    if n % 30 == 0 or n == 92 or n == 93:
        print(n, a)
print(a)
