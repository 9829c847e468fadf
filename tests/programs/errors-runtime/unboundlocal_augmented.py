# UnboundLocalError: `total += 1` in a function without `global total`.
total = 0


def add_one():
    total += 1


print("total is", total)
add_one()
