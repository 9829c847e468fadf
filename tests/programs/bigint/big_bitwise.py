# & | ^ ~ << >> on multi-word ints, positive and negative (two's complement).
a = 2 ** 100 + 2 ** 50 + 12345
b = -(2 ** 90) - 999
c = 2 ** 128 - 1
print(a & b, a | b, a ^ b)
print(a & c, a | c, a ^ c)
print(b & c, b | c, b ^ c)
print(~a, ~b, ~c, ~-c)
print(a << 1, a << 64, a << 200, a >> 1, a >> 64, a >> 100, a >> 101)
print(b << 3, b >> 3, b >> 90, b >> 91, b >> 1000)
print(-(2 ** 64) & 0xFFFF, -(2 ** 64) | 1, (2 ** 64 - 1) ^ -1, -1 & (2 ** 70), -1 | (2 ** 70))
print((2 ** 64) & (2 ** 64 - 1), (2 ** 64) | (2 ** 64 - 1), -(2 ** 64) ^ -(2 ** 64 + 1))
x = 1
i = 0
while i < 130:
    x = (x << 1) | (i & 1)
    i += 1
print(x, x >> 65, x & 0xFFFFFFFFFFFFFFFF)
