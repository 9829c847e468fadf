# for over range with one, two and three arguments, negative steps, empty
# ranges, and big bounds.
for i in range(5):
    print(i, end=" ")
print()
for i in range(2, 7):
    print(i, end=" ")
print()
for i in range(1, 20, 4):
    print(i, end=" ")
print()
for i in range(10, 0, -3):
    print(i, end=" ")
print()
for i in range(-5, 5, 2):
    print(i, end=" ")
print()
for i in range(0, -10, -4):
    print(i, end=" ")
print()
for i in range(0):
    print("empty 1")
for i in range(5, 5):
    print("empty 2")
for i in range(5, 1):
    print("empty 3")
for i in range(1, 5, -1):
    print("empty 4")
for i in range(-3):
    print("empty 5")
for i in range(2 ** 64, 2 ** 64 + 3):
    print(i, end=" ")
print()
for i in range(2 ** 31 - 2, 2 ** 31 + 2):
    print(i, end=" ")
print()
for i in range(2 ** 63 + 1, 2 ** 63 - 3, -2):
    print(i, end=" ")
print()
for i in range(True, 3):
    print(i, end=" ")
print()
total = 0
for i in range(1000):
    total += i
print(total, i)
n = 3
for i in range(n):
    n = 10
    print(i, n)
