# for loops with break, continue and else; searching primes.
for n in range(2, 30):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        print(n, "is prime")
for x in [1, 2, 3]:
    if x == 2:
        continue
    print("x", x)
else:
    print("for completed")
for x in [1, 2, 3]:
    if x == 2:
        break
else:
    print("not printed")
found = None
for word in ["a", "bb", "ccc"]:
    if len(word) == 2:
        found = word
        break
print("found", found)
for i in range(3):
    for j in range(3):
        if j > i:
            break
        if j == 1:
            continue
        print(i, j)
    else:
        print("inner else", i)
for i in []:
    pass
else:
    print("else of empty for")
