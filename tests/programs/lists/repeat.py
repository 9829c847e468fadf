# [x] * n and n * [x]; repeated inner lists are the same object.
print([0] * 5, 3 * [1, 2], [None] * 0, [7] * -1, [1] * 1, ["ab"] * 3)
row = [0] * 3
grid = [row] * 3
grid[0][0] = 9
print(grid, grid[0] is grid[2])
a = [1, 2] * 2
a[0] = 5
print(a)
big = [0] * 1000
print(len(big), big[999], big[-1000])
n = 4
print([n] * n, [[0] * 2] * 2, [1, 2] * True, [1, 2] * False)
