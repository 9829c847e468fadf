# digit sum of 2**1000 and 100! both via str() and via repeated // and %.
def digit_sum_arith(n):
    s = 0
    while n > 0:
        s = s + n % 10
        n = n // 10
    return s


def digit_sum_str(n):
    text = str(n)
    s = 0
    i = 0
    while i < len(text):
        s = s + int(text[i])
        i = i + 1
    return s


f = 1
for i in range(1, 101):
    f *= i
print(digit_sum_arith(2 ** 1000), digit_sum_str(2 ** 1000))
print(digit_sum_arith(f), digit_sum_str(f))
print(len(str(2 ** 1000)), len(str(f)), digit_sum_arith(2 ** 10000), len(str(2 ** 10000)))
