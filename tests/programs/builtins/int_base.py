# int(string, base) for bases 2..36 and base 0 (prefix decides).
print(int("ff", 16), int("FF", 16), int("0xff", 16), int("-0x1F", 16), int("777", 8), int("0o17", 8))
print(int("1010", 2), int("0b1010", 2), int("-11", 2), int("z", 36), int("Zz", 36), int("10", 36))
print(int("0x10", 0), int("0o10", 0), int("0b10", 0), int("10", 0), int("0", 0), int(" -0x_ff ", 0))
print(int("1_0", 16), int("ffffffffffffffff", 16), int("10000000000000000", 16), int("-8000000000000000", 16))
print(int("1" * 64, 2), int("1" * 65, 2), int("zzzzzzzzzzzzzz", 36))
for b in [2, 3, 7, 10, 16, 36]:
    print(b, int("11", b), int("101", b))
