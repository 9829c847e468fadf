# str() and int() round trips of big numbers, repr of big negatives.
n = int("123456789" * 8)
print(n, n + 1, -n, repr(-n), str(n * n))
print(int("-" + "9" * 40), int("  +" + "1" * 30 + "  "), int("1_000_000_000_000_000_000_000"))
print(int(str(2 ** 333)) == 2 ** 333, len(str(2 ** 333)))
print(int("18446744073709551616") - 1, int("-9223372036854775809") + 1)
print(str(10 ** 19), str(10 ** 19 - 1), str(-(10 ** 19)), str(10 ** 18))
