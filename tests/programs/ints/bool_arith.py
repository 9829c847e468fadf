# bools are ints: arithmetic and bitwise operators on True and False.
t = True
f = False
print(t + t, t - f, t * 5, t / 2, t // 2, t % 2, t ** 3, -t, ~t, ~f, -f)
print(t & f, t | f, t ^ t, t & t, f | f)
print(t + 2 ** 64, f - 2 ** 63, t << 64, 2 ** 64 * t, 1.5 + t)
print(t == 1, f == 0, t == 1.0, t is True, f is False, t != f)
print(t + 0.5, f * 2.5, abs(-t))
