# recursion 900 levels deep works (CPython's default limit is 1000).
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


def sum_to(n):
    if n <= 0:
        return 0
    return n + sum_to(n - 1)


def build(n):
    if n == 0:
        return []
    lst = build(n - 1)
    lst.append(n)
    return lst


print(depth(900))
print(sum_to(900))
print(len(build(900)), build(900)[899])
print(depth(10), sum_to(100))
