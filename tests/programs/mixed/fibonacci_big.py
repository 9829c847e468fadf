# Fibonacci with big ints three ways (loop, list memo, fast doubling) which
# must agree; fib(300) and fib(1000) printed in full.
def fib_loop(n):
    a = 0
    b = 1
    for i in range(n):
        c = a + b
        a = b
        b = c
    return a


memo = [0, 1]


def fib_memo(n):
    while len(memo) <= n:
        memo.append(memo[-1] + memo[-2])
    return memo[n]


def fib_pair(n):
    # returns [F(n), F(n+1)] by fast doubling
    if n == 0:
        return [0, 1]
    half = fib_pair(n // 2)
    a = half[0]
    b = half[1]
    c = a * (2 * b - a)
    d = a * a + b * b
    if n % 2 == 0:
        return [c, d]
    return [d, c + d]


print(fib_loop(300))
print(fib_memo(300) == fib_loop(300), fib_pair(300)[0] == fib_loop(300))
print(fib_pair(1000)[0])
ok = True
for n in range(0, 400, 7):
    if fib_loop(n) != fib_memo(n) or fib_memo(n) != fib_pair(n)[0]:
        ok = False
        print("mismatch at", n)
print("all agree:", ok)
print(len(str(fib_pair(5000)[0])))
