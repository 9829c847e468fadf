# pass in every block, and `global` to rebind module names from functions.
counter = 0
items = []


def bump():
    global counter
    counter += 1


def reset(v):
    global counter
    counter = v


def add(x):
    items.append(x)


def make_new():
    global fresh
    fresh = "created in function"


for i in range(5):
    bump()
    add(counter)
print(counter, items)
reset(2 ** 64)
bump()
print(counter)
make_new()
print(fresh)
if True:
    pass
else:
    pass
while False:
    pass
for i in range(2):
    pass
print(i)


def empty():
    pass


print(empty())


def shadow():
    counter = "local"
    return counter


print(shadow(), counter)
