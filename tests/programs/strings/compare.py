# string comparisons: lexicographic by code point, prefixes, case, empty.
W = ["", "a", "b", "A", "Z", "ab", "abc", "abd", "abcd", "é", "日", "😀", "a b", "10", "9"]
for x in W:
    for y in W:
        print(repr(x), repr(y), x < y, x <= y, x == y, x != y, x > y, x >= y)
print("apple" < "banana" < "cherry", "b" < "a" < "c", "abc" == "a" + "bc", "ab" * 2 == "abab")
