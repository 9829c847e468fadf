# building strings: number to text in several bases, padded columns,
# reversing, a Caesar cipher and palindromes (only +, *, len and indexing).
HEXDIGITS = "0123456789abcdef"
ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def to_base(n, base):
    if n == 0:
        return "0"
    sign = ""
    if n < 0:
        sign = "-"
        n = -n
    out = ""
    while n > 0:
        out = HEXDIGITS[n % base] + out
        n = n // base
    return sign + out


def pad_left(s, width):
    return " " * (width - len(s)) + s


def reverse(s):
    out = ""
    i = len(s) - 1
    while i >= 0:
        out += s[i]
        i -= 1
    return out


def caesar(text, shift):
    out = ""
    for i in range(len(text)):
        ch = text[i]
        idx = -1
        for k in range(26):
            if ALPHABET[k] == ch:
                idx = k
                break
        if idx < 0:
            out += ch
        else:
            out += ALPHABET[(idx + shift) % 26]
    return out


def is_palindrome(s):
    return s == reverse(s)


for n in [0, 5, -5, 255, 2 ** 31, 2 ** 64 - 1, -(2 ** 70), 10 ** 20]:
    print(pad_left(str(n), 24), pad_left(to_base(n, 16), 20), to_base(n, 2))
print(reverse("hello, world"), reverse("日本語"), reverse(""), reverse("a😀b"))
secret = caesar("the quick brown fox jumps over the lazy dog", 13)
print(secret)
print(caesar(secret, 13))
for w in ["racecar", "level", "hello", "", "x", "abba", "été"]:
    print(repr(w), is_palindrome(w))
header = "| " + pad_left("n", 3) + " | " + pad_left("n**n", 22) + " |"
print(header)
print("-" * len(header))
for n in range(1, 21, 3):
    print("| " + pad_left(str(n), 3) + " | " + pad_left(str(n ** n), 22) + " |")
