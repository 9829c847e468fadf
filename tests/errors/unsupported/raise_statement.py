# expect: unsupported
# raise statements are outside the subset.
def check(n):
    if n < 0:
        raise ValueError("negative")
    return n


print(check(3))
