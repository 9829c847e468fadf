# ordinary arithmetic on small ints: precedence, parentheses, mixed operators.
a = 17
b = 5
print(a + b, a - b, b - a, a * b, a // b, a % b, a / b, a ** b)
print(a << b, a >> 2, a & b, a | b, a ^ b, ~a, -a, - -a)
print(a + b * 2, (a + b) * 2, a - b - 2, a - (b - 2), 2 ** 3 ** 2, (2 ** 3) ** 2)
print(-2 ** 2, (-2) ** 2, -a // b, -(a // b), a * -b, a - -b)
print(1 + 2 * 3 - 4 // 2 % 3, 1 << 2 + 1, 6 & 3 | 8, 6 ^ 3 & 1)
c = 0
i = 1
while i <= 20:
    c = c * 3 + i
    i = i + 1
print(c)
