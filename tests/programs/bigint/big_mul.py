# multiplication of large operands (hundreds of digits) checked against
# independent identities.
a = 3 ** 500
b = 7 ** 400
p = a * b
print(p)
print(p // a == b, p % a, p // b == a, p % b)
sq = (2 ** 521 - 1) * (2 ** 521 - 1)
print(sq == 2 ** 1042 - 2 ** 522 + 1)
x = 10 ** 100 + 1
print(x * x, x * x * x)
print((-a) * b == -p, (-a) * (-b) == p, a * 0, 0 * a, a * 1 == a, a * -1 == -a)
