# gcd and lcm with Euclid's algorithm on small and big ints; lcm(1..100);
# gcd of Fibonacci numbers is the Fibonacci number of the gcd of indices.
def gcd(a, b):
    if a < 0:
        a = -a
    if b < 0:
        b = -b
    while b:
        t = a % b
        a = b
        b = t
    return a


def gcd_rec(a, b):
    if b == 0:
        return a
    return gcd_rec(b, a % b)


def lcm(a, b):
    return a // gcd(a, b) * b


print(gcd(12, 18), gcd(17, 5), gcd(0, 9), gcd(-24, 36), gcd(2 ** 64, 2 ** 40 * 3), gcd(10 ** 30, 6 ** 20))
print(gcd_rec(1071, 462), gcd_rec(2 ** 100, 3 ** 60), gcd_rec(2 ** 100 * 3 ** 5, 2 ** 90 * 3 ** 60))
x = 1
for k in range(1, 101):
    x = lcm(x, k)
print(x)
fib = [0, 1]
for i in range(150):
    fib.append(fib[-1] + fib[-2])
for m in [[60, 84], [100, 150], [97, 89], [120, 144]]:
    print(m, gcd(fib[m[0]], fib[m[1]]) == fib[gcd(m[0], m[1])], gcd(fib[m[0]], fib[m[1]]))
