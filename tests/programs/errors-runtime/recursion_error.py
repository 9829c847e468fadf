# RecursionError from a function that recurses forever; output printed
# before the runaway call must appear.
def forever(n):
    return forever(n + 1) + 1


print("starting runaway recursion")
print(forever(0))
print("never printed")
