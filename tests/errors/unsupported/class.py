# expect: unsupported
# class definitions are outside the subset.
print("before")


class Point:
    pass


print(Point)
