# factorials printed in full, computed by repeated multiplication.
f = 1
n = 1
while n <= 100:
    f = f * n
    if n % 10 == 0 or n == 20 or n == 21 or n == 25:
        print(n, f)
    n = n + 1
print(len(str(f)))
