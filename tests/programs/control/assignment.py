# plain, chained (a = b = c) and augmented assignment on names and items.
a = b = c = 5
print(a, b, c)
a = 6
print(a, b, c)
x = y = [1, 2]
x.append(3)
print(x, y)
p = q = 2 ** 70
q += 1
print(p, q)
s = t = "str"
s += "ing"
print(s, t)
lst = [0, 0, 0]
lst[0] = lst[1] = 7
print(lst)
i = 0
lst[i] = i = 2
print(lst, i)
n = 10
n += 5
n -= 3
n *= 4
n //= 5
n %= 7
n **= 3
n <<= 2
n >>= 1
n &= 0xFF
n |= 0x100
n ^= 0x0F
print(n)
f = 1.5
f += 1
f *= 2
f /= 4
f -= 0.25
f //= 0.5
f %= 0.75
f **= 2
print(f)
m = [[1, 2], [3, 4]]
m[1][0] += 10
m[0][1] -= 20
m[-1][-1] *= 2 ** 62
m[0][0] /= 4
print(m)
