# floor division and modulo of small ints: every sign combination rounds
# toward negative infinity and the remainder takes the divisor's sign.
for a in [7, -7, 6, -6, 0, 1, -1, 13, -13]:
    for b in [2, -2, 3, -3, 1, -1, 7, -7, 100, -100]:
        print(a, b, a // b, a % b, a / b)
print(7 // 2, -7 // 2, 7 // -2, -7 // -2)
print(7 % 2, -7 % 2, 7 % -2, -7 % -2)
print(0 // 5, 0 % -5, -0 // 3)
