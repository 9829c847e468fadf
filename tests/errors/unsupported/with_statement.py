# expect: unsupported
# the with statement is outside the subset.
print("opening")
with open("/dev/null") as f:
    print("inside")
