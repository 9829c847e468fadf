# UnboundLocalError: a local read before it is assigned (the global of the
# same name does not help).
count = 10


def bump():
    print("bumping")
    count = count + 1
    return count


print(count)
bump()
