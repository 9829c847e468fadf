# TypeError from arithmetic on None (a function that forgot to return).
def half(n):
    n // 2


r = half(10)
print(r)
print(r + 1)
