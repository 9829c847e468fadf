# float comparisons, chained; nan is unordered; -0.0 == 0.0.
nan = float("nan")
inf = float("inf")
V = [0.0, -0.0, 1.5, -1.5, inf, -inf, nan, 1e-300]
for a in V:
    for b in V:
        print(a, b, a < b, a <= b, a == b, a != b, a > b, a >= b)
print(0.1 + 0.2 == 0.3, 0.1 + 0.2 > 0.3, 1.0 < 2.0 < 3.0, 1.0 < 3.0 < 2.0, -inf < -1e308 < 0.0 < 5e-324 < inf)
