# // and % with big operands in every sign combination, including a big
# divisor and a small dividend, and multi-word divisors.
A = [10 ** 40 + 7, -(10 ** 40 + 7), 2 ** 100, -(2 ** 100), 3 ** 90, 5, -5, 0]
B = [3, -3, 10 ** 20 + 1, -(10 ** 20 + 1), 2 ** 64, -(2 ** 64), 2 ** 64 + 1, 7 ** 30, -(7 ** 30)]
for a in A:
    for b in B:
        q = a // b
        r = a % b
        print(a, b, q, r, q * b + r == a)
print(2 ** 200 // 2 ** 100 == 2 ** 100, (2 ** 200 + 1) % 2 ** 100)
print((10 ** 60) / (10 ** 58), (2 ** 64) / 3, 10 ** 30 / 7, -(2 ** 70) / 2 ** 10)
