# results that cross the small/big boundary in both directions: big - big
# is small again and behaves like any other small int.
a = 2 ** 64 + 5
b = 2 ** 64
d = a - b
print(d, d + 1, d * 2, d == 5, d < 6, [0, 1, 2, 3, 4, 5, 6][d])
x = 2 ** 62 - 1
y = x + 1
print(x, y, y - 1 == x, y - x)
m = 2 ** 31 * 2 ** 33
print(m, m // 2 ** 33, m >> 60, m % 1000)
n = 12345678901234567890123 // 10 ** 20
print(n, n + 1, n * n)
big = 10 ** 30
small = big // big
print(small, small - 1, -small)
neg = -(2 ** 70) + 2 ** 70 - 7
print(neg, neg * neg, neg // 2, neg % 3)
lst = [2 ** 64 - 2 ** 64, 2 ** 63 // 2 ** 62, (2 ** 100 + 3) % 2 ** 100]
print(lst)
i = 2 ** 64 + 3
count = 0
while i > 2 ** 64 - 3:
    i = i - 1
    count = count + 1
print(i, count)
