# classic recursive functions: factorial, fibonacci, ackermann, hanoi, power.
def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))


moves = [0]


def hanoi(n, src, dst, via):
    if n == 0:
        return
    hanoi(n - 1, src, via, dst)
    moves[0] += 1
    if n >= 4:
        print("move disk", n, "from", src, "to", dst)
    hanoi(n - 1, via, dst, src)


def power(b, e):
    if e == 0:
        return 1
    half = power(b, e // 2)
    if e % 2:
        return half * half * b
    return half * half


print(fact(0), fact(1), fact(20), fact(21), fact(30))
print(fib(0), fib(1), fib(10), fib(20))
print(ack(2, 3), ack(3, 3))
hanoi(5, "A", "C", "B")
print(moves[0])
print(power(3, 200), power(2, 64), power(-2, 63))
