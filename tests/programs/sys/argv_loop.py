# args: 3 1 4 1 5 9 2 6
# iterate over the arguments with for, converting each one.
import sys

total = 0
count = 0
values = []
for a in sys.argv:
    if count > 0:
        values.append(int(a))
        total += int(a)
    count += 1
print(values, total, min(values), max(values))
