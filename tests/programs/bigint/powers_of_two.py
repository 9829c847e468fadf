# big powers printed in full: 2**200, 10**50, 3**100, negatives.
print(2 ** 200)
print(-2 ** 200)
print((-2) ** 201)
print(10 ** 50)
print(3 ** 100)
print(7 ** 77)
p = 1
i = 0
while i < 300:
    p = p * 2
    i = i + 1
    if i % 25 == 0:
        print(i, p, p - 1, -p)
print(p == 2 ** 300)
