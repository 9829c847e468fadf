# bytes(list): indexing (ints), len, and repr with escapes and quote choice.
b = bytes([65, 66, 67, 0, 10, 13, 9, 92, 39, 127, 128, 255])
print(len(b), b[0], b[1], b[-1], b[-2], b[3])
print(b)
print(repr(b))
print(bytes([]), len(bytes([])), bytes([39]), bytes([34]), bytes([39, 34]), bytes([32, 126]))
i = 0
total = 0
while i < len(b):
    total += b[i]
    i += 1
print(total)
c = bytes([104, 101, 108, 108, 111])
print(c, str(c), c[4] == 111, c[0] + c[1])
print(bytes([0, 1, 2, 3, 31, 32, 48, 57, 97, 122]))
for x in [bytes([200]), bytes([65, 255, 66])]:
    print(x, len(x), x[0])
