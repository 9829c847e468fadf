"""Module docstring."""
import sys

a = b = c = 1
a, b = b, a
a += 1; b -= 2; c *= 3
a //= 2
a **= 2
a %= 5
a <<= 1
a >>= 1
a &= 7
a |= 8
a ^= 1
a /= 2
a @= a if False else None
x = [1, 2, 3]
x[0] += 5
x[1:2] += [0]
class O: pass
o = O()
o.attr = 1
o.attr += 2
del o.attr
del a, b
print(-x[0], +x[1], ~x[2], not x)
print(x[-1], x[1:], x[:2], x[::-1], x[1:-1:1])
t = 1,
u = (1, 2) + (3,)
v = "abc" * 2
w = 2 ** 10
y = 10 / 4
z = 7 // 2
q = -7 % 3
r = 1.5 * 2
big = 12345678901234567890123
sz = sys.maxsize
n = None
e = ...
t2 = (1, (2, 3), "x", None, True, 1.0)
fs = frozenset()
k = {1: 2}[1]
