# expect: unsupported
# **kwargs parameters are outside the subset.
def show(**kwargs):
    print(len(kwargs))


show(a=1, b=2)
