# `and` / `or` return one of their operands (not a bool); `not` returns a bool;
# both short-circuit.
def v(x):
    print("eval", repr(x))
    return x


print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "default", "" or [] or 0)
print([] and 1, [1] and "x", 0.0 or -0.0, 2 ** 64 and 2 ** 65, None and 1)
print(not 1, not 0, not "", not "a", not None, not [], not [0], not 0.0)
print(v(0) and v(1))
print(v(1) and v(2))
print(v(0) or v(3))
print(v(4) or v(5))
print(v(1) and v(0) or v(6))
print(v(None) or v(0) and v(7))
x = 5
print(x > 3 and x < 10, x > 3 and "big" or "small", x < 3 or x == 5, not x == 5)
name = ""
print(name or "anonymous")
print(1 and 2 and 3, 1 and 0 and 3, 0 or "" or None, 0 or "" or "last")
