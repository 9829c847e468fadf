# int() parsing strings: surrounding whitespace, signs, underscores between
# digits, leading zeros, big values; int() of ints, bools and no argument.
S = ["0", "42", " 42 ", "\t-17\n", "+8", "-0", "007", "1_000", "1_2_3_4", " -1_0 ", "000_000",
     "2147483648", "-9223372036854775809", "18446744073709551616", "99999999999999999999999999",
     "  +123456789012345678901234567890  "]
for s in S:
    print(repr(s), int(s))
print(int(5), int(-5), int(2 ** 70), int(True), int(False), int())
print(int("12") + int("30"), int(str(2 ** 64)) == 2 ** 64)
