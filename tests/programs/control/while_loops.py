# while loops with break, continue and else.
i = 0
while i < 5:
    print("i =", i)
    i += 1
else:
    print("while finished normally, i =", i)
n = 0
while True:
    n += 1
    if n % 2 == 0:
        continue
    if n > 9:
        break
    print("odd", n)
else:
    print("never printed")
print("n =", n)
k = 10
while k:
    k -= 3
    if k < 0:
        break
print("k =", k)
j = 0
while j < 0:
    print("never")
else:
    print("else of a loop that never ran")
outer = 0
while outer < 3:
    inner = 0
    while inner < 3:
        if inner == outer:
            break
        print(outer, inner)
        inner += 1
    else:
        print("inner completed for", outer)
    outer += 1
