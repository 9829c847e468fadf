# augmented assignment with every int operator, crossing into big ints and back.
x = 1
x += 2 ** 62
print(x)
x -= 2 ** 62
print(x)
x *= 2 ** 40
print(x)
x *= 2 ** 40
print(x)
x //= 2 ** 70
print(x)
x <<= 70
print(x)
x >>= 69
print(x)
x **= 65
print(x)
x %= 1000007
print(x)
x |= 2 ** 64
print(x)
x &= 2 ** 64 - 1
print(x)
x ^= -1
print(x)
x /= 4
print(x)
n = 0
i = 0
while i < 100:
    n += i * i
    n -= i
    i += 1
print(n, i)
s = 3
s **= 3
s **= 3
print(s)
