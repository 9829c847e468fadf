# nested lists as a matrix: building, reading, multiplying.
def make(n, m, start):
    rows = []
    for i in range(n):
        row = []
        for j in range(m):
            row.append(start + i * m + j)
        rows.append(row)
    return rows


def mul(a, b):
    n = len(a)
    m = len(b[0])
    k = len(b)
    out = []
    for i in range(n):
        row = [0] * m
        for j in range(m):
            s = 0
            for t in range(k):
                s += a[i][t] * b[t][j]
            row[j] = s
        out.append(row)
    return out


a = make(2, 3, 1)
b = make(3, 2, 7)
print(a)
print(b)
c = mul(a, b)
print(c)
big = make(3, 3, 2 ** 40)
print(mul(big, big))
print(c[1][0], c[-1][-1], len(c), len(c[0]))
