# an error in the middle of a loop: the iterations before it printed.
values = [4, 2, 1, 0, 5]
total = 0
for v in values:
    total += 12 // v
    print("running total", total)
