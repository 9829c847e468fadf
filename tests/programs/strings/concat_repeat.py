# string + and *, including repetition by zero, negative and bool counts,
# and building a string in a loop.
a = "ab"
b = "cd"
print(a + b, b + a, a + "" + b, "" + "", a * 3, 3 * a, a * 0, a * -2, a * 1, a * True, a * False)
print(repr(a * 0), repr("" * 100), len("xyz" * 100))
s = ""
for i in range(10):
    s = s + str(i)
print(s, len(s))
t = "-"
t *= 5
print(t)
u = "x"
u += "y"
u += "z" * 3
print(u)
line = "=" * 20
print(line)
acc = ""
n = 0
while n < 5:
    acc += "<" + str(n * n) + ">"
    n += 1
print(acc)
