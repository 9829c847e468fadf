# for over lists: nested loops, a list appended to while iterating,
# and items changed while iterating.
nums = [3, 1, 4, 1, 5, 9, 2, 6]
total = 0
for n in nums:
    total += n
print(total)
for row in [[1, 2], [3, 4], []]:
    for v in row:
        print(v, end=" ")
    print("|")
grow = [1, 2, 3]
for x in grow:
    if x < 20:
        grow.append(x * 10)
print(grow)
vals = [1, 2, 3, 4]
i = 0
for v in vals:
    vals[-1] = 40
    print(v, end=",")
    i += 1
print()
for word in ["alpha", "beta", "é"]:
    print(word, len(word))
for x in []:
    print("never")
