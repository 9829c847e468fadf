"""Test vectors for runtime-lib/src/num, computed by CPython 3.11 itself.

`tests.rs` runs this script and checks every line. One vector per line:
`op arg... expected`, where the expected value is the rest of the line:
floats are 16 hex digits of their bits, ints are decimal, strings are hex
UTF-8 (`-` when empty), and an exception is `!Name:message`.
"""

import decimal
import random
import struct
import sys

assert sys.version_info[:2] == (3, 11), "vectors must come from CPython 3.11"
rng = random.Random(3110)
inf, nan = float("inf"), float("nan")


def fbits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def shex(s):
    return s.encode().hex() or "-"


def istr(n):
    """Decimal, or hex when str() would hit the 4300-digit limit."""
    return hex(n) if n.bit_length() > 13000 else str(n)


def num(r):
    return fbits(r) if isinstance(r, float) else istr(r)


def pow_bits(x, y):
    """CPython's x ** y; when glibc's pow misrounded it (rarely: it is not
    correctly rounded), `cpython~correct` with the correctly rounded bits."""

    def encode(r):
        if isinstance(r, complex):
            return "complex"
        finite = all(v == v and abs(v) != inf for v in (float(x), float(y), r))
        if not isinstance(r, float) or r == 0 or not finite or x == 0 or y == 0:
            return num(r)
        exact = decimal.Context(prec=80).power(decimal.Decimal(float(x)), decimal.Decimal(float(y)))
        correct = float(exact)
        return fbits(r) if correct == r else fbits(r) + "~" + fbits(correct)

    return encode


def value(v):
    return istr(v) if isinstance(v, int) else str(v)


def emit(op, args, thunk, enc=value):
    try:
        value = enc(thunk())
    except Exception as e:  # noqa: BLE001 - the exception is the vector
        value = "!%s:%s" % (type(e).__name__, e)
    print(op, *args, value)


# --- ints ---------------------------------------------------------------
ints = {0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 255, 1000, -1000}
for k in (8, 15, 16, 29, 30, 31, 32, 52, 53, 54, 61, 62, 63, 64, 65, 100, 127, 200):
    for d in (-1, 0, 1):
        ints.add(2**k + d)
        ints.add(-(2**k) + d)
for _ in range(25):
    bits = rng.choice((10, 40, 62, 70, 130, 300))
    n = rng.getrandbits(bits)
    ints.add(n if rng.random() < 0.5 else -n)
ints = sorted(ints)
pair_ints = [n for n in ints if rng.random() < 0.45]

for a in pair_ints:
    for b in pair_ints:
        sa, sb = str(a), str(b)
        emit("ifloordiv", (sa, sb), lambda: a // b)
        emit("imod", (sa, sb), lambda: a % b)
        emit("idivmod", (sa, sb), lambda: "%d,%d" % divmod(a, b), str)
        emit("iand", (sa, sb), lambda: a & b)
        emit("ior", (sa, sb), lambda: a | b)
        emit("ixor", (sa, sb), lambda: a ^ b)
        emit("itruediv", (sa, sb), lambda: a / b, fbits)
for a in ints:
    sa = str(a)
    emit("iinv", (sa,), lambda: ~a)
    emit("itof", (sa,), lambda: float(a), fbits)
    emit("istr", (sa,), lambda: str(a), str)
    emit("ihash", (sa,), lambda: hash(a))
    emit("ihex", (sa,), lambda: hex(a) + "," + oct(a) + "," + bin(a), str)
    for b in (-1, 0, 1, 2, 5, 29, 30, 31, 32, 33, 62, 63, 64, 65, 100, 1000, 2**64, 2**100):
        if b > 10000 and a != 0:
            emit("irshift", (sa, str(b)), lambda: a >> b)
            emit("ilshift", (sa, str(b)), lambda: a << b)  # MemoryError / OverflowError
            continue
        emit("ilshift", (sa, str(b)), lambda: a << b)
        emit("irshift", (sa, str(b)), lambda: a >> b)
    for b in (-3, -2, -1, 0, 1, 2, 3, 5, 10, 31, 62, 63, 64, 65):
        emit("ipow", (sa, str(b)), lambda: a**b, pow_bits(a, b) if abs(a) < 2**1000 else num)
for a in (0, 1, -1):
    for b in (2**70, 2**70 + 1, -(2**70), -(2**70) - 1):
        emit("ipow", (str(a), str(b)), lambda: a**b, num)
for a, b in ((10**400, -1), (2, -(2**70)), (3, -(2**63)), (2, -1075), (2, -1074), (10, -400)):
    emit("ipow", (str(a), str(b)), lambda: a**b, num)
for a in (0, 1, -1, 2, 3, -7, 38, 10**20 + 1, -(2**65)):
    for b in (-2, -1, 0, 1, 2, 3, 65, 2**70):
        for m in (-97, -1, 0, 1, 2, 97, 2**64 + 13, -(2**61) + 1):
            emit("ipowmod", (str(a), str(b), str(m)), lambda: pow(a, b, m))
for big in (10**4299, -(10**4299), 10**4300, -(10**4300), 2**14285, 2**14284, 2**14300):
    emit("istr", (istr(big),), lambda: str(big), str)

# int / int and int -> float rounding at the edges
div_cases = [(10**30 + 1, 3), (2**53 + 1, 1), (2**54 + 3, 1), (1, 3), (10**400, 10**399), (10**400, 3),
             (1, 10**400), (-1, 10**400), (2**1024 - 2**970, 1), (2**1024 - 2**971, 1),
             (2**1023 * 3, 3), (1, 2**1074), (1, 2**1075), (3, 2**1076), (1, 2**1076 - 1), (2**2000, 2**1000),
             (-(10**50), 7), (10**50, -(10**49) - 3), (0, -5), (0, 10**100), (5, 0)]
for _ in range(300):
    a = rng.getrandbits(rng.choice((60, 100, 200, 1100))) * rng.choice((1, -1))
    b = rng.getrandbits(rng.choice((10, 60, 100, 200, 1100))) + 1
    div_cases.append((a, b))
for a, b in div_cases:
    emit("itruediv", (str(a), str(b)), lambda: a / b, fbits)
for e in range(1020, 1026):
    for d in (-(2**971), -(2**970), -(2**969), -1, 0, 1, 2**969, 2**970):
        a = 2**e + d
        emit("itof", (str(a),), lambda: float(a), fbits)
for _ in range(200):
    a = rng.getrandbits(rng.choice((54, 64, 65, 100, 1000))) * rng.choice((1, -1))
    emit("itof", (str(a),), lambda: float(a), fbits)

# --- floats -------------------------------------------------------------
floats = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.0, 3.0, -3.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 10.0, 100.0,
          1e16, 1e15, 9999999999999998.0, 1e17, 1e22, 1e23, 1e-4, 1e-5, 1.5e-7, 123456789012345.0,
          1234567890123456.0, 1.2345678901234567e19, 5e-324, -5e-324, 2.2250738585072014e-308,
          1.7976931348623157e308, -1.7976931348623157e308, inf, -inf, nan, 2.0**53, 2.0**53 + 2, 2.0**63,
          -(2.0**63), 2.0**64, 2.0**62, 2.0**30, 2.0**31, 0.125, 0.375, 2.5, 0.05, 1e100, 1e-100, 1e300,
          123.456, -123.456, 0.001, 1e-7, 7.0, -7.0, 4.35, 0.045, 1.005, 2675.0, 0.015625]
for _ in range(300):
    x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if x == x and abs(x) != inf:
        floats.append(x)
# exact ties between two shortest candidates: repr breaks them to even
floats += [759428553277084.25, 701785558226.03125, 124466643501672.625, -1453314770918934.25]
for _ in range(300):
    j = rng.randrange(0, 12)
    floats.append(rng.randrange(2**52, 2**53) / 2**j * rng.choice((1, 2 ** rng.randrange(0, 40), 2.0 ** -rng.randrange(0, 900))))
for _ in range(200):
    floats.append(round(rng.uniform(-1000, 1000), rng.randrange(0, 6)))
    floats.append(rng.uniform(-5, 5) * 10.0 ** rng.randrange(-30, 30))

for x in floats:
    emit("repr", (fbits(x),), lambda: repr(x))
    emit("ftoi", (fbits(x),), lambda: int(x))
    emit("fhash", (fbits(x),), lambda: "nan" if x != x else hash(x))
fmt_floats = [x for x in floats if rng.random() < 0.25 or abs(x) in (0.125, 0.375, 2.5, 0.5, 1.5, 0.045, 1e16, 1e-5)]
for x in fmt_floats:
    for code in "efgEFG":
        for prec in (0, 1, 2, 3, 6, 10, 17, 25):
            for flags in ("", "#", "+"):
                emit("fmt", (code, str(prec), flags or "-", fbits(x)), lambda: ("%" + flags + "." + str(prec) + code) % x)
        emit("fmt", (code, "6", "-", fbits(x)), lambda: ("%" + code) % x)
    for prec in (0, 1, 2, 3, 6, 12, 17):
        emit("fmtz", (str(prec), fbits(x)), lambda: format(x, "." + str(prec)))

op_floats = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, 7.5, -7.5, 0.1, 1e300, -1e300, 1e-300, 5e-324,
             inf, -inf, nan, 1 / 3, 10.0, 1.5, -3.0, 2.0**53, 0.7]
for _ in range(12):
    op_floats.append(rng.uniform(-100, 100))
for x in op_floats:
    for y in op_floats:
        bx, by = fbits(x), fbits(y)
        emit("fdiv", (bx, by), lambda: x / y, fbits)
        emit("ffloordiv", (bx, by), lambda: x // y, fbits)
        emit("fmod", (bx, by), lambda: x % y, fbits)
        emit("fdivmod", (bx, by), lambda: "%s,%s" % tuple(map(fbits, divmod(x, y))), str)
        emit("fpow", (bx, by), lambda: x**y, pow_bits(x, y))
for _ in range(2000):
    x = rng.uniform(0, 10) * 10.0 ** rng.randrange(-3, 3)
    y = rng.choice((rng.uniform(-30, 30), float(rng.randrange(-40, 40)), 0.5, 1 / 3))
    emit("fpow", (fbits(x), fbits(y)), lambda: x**y, pow_bits(x, y))

# exact int/float comparison
cmp_ints = [0, 1, -1, 2**53, 2**53 + 1, -(2**53) - 1, 2**63, 2**63 - 1, -(2**63), 2**64 + 1, 10**400,
            -(10**400), 2**1024, 7, -7, 2**62 + 1]
cmp_floats = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0**53, 2.0**53 + 2, 2.0**63, -(2.0**63), 2.0**64, 1e308,
              -1e308, inf, -inf, nan, 7.0, 6.9, 7.1, -7.1, 2.0**62, 9.2e18]
for a in cmp_ints:
    for f in cmp_floats:
        emit("cmp", (str(a), fbits(f)), lambda: "<" if a < f else ">" if a > f else "=" if a == f else "n")

# --- parsing ------------------------------------------------------------
int_texts = ["0", "-0", "+0", "1", "-1", " 12 ", "\t\n12\r\f\v", "\x1c1", "1\x1c", "\x851", "\u30001\u2000",
             "1_000", "1__000", "_1", "1_", "0x_1f", "0x__1f", "0x", "0b", "0o", "0b101", "0B101", "0o17",
             "0O17", "0xFF", "0Xff", "010", "00", "0_0", "000_0", "+ 1", "--1", "+-1", "1 2", "", " ",
             "\u0661\u0662", "\u0661\u0662\u06f3", "\U0001d7ce\U0001d7cf", "\u00b2", "12a", "z", "Z", "zz",
             "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
             "18446744073709551615", "18446744073709551616", "4611686018427387904", "1073741824",
             "123456789012345678901234567890", "-0x8000000000000000", "0x7fffffffffffffff",
             "1" * 4300, "1" * 4301, "1" * 5000 + "x", "1_" * 2500 + "1", "1" * 4301 + "_", "1" * 4301 + "__1",
             "0x" + "f" * 5000, "1\x00", "\x001", "1.0", "1e5", "\u0967\u0968\u0969", "\uff11\uff12",
             "1\u00a0", "\u180e1", "0b1", "0x1", "0o1"]
for s in int_texts:
    for base in (0, 2, 8, 10, 16, 36, 1, 37, 3):
        emit("pint", (shex(s), str(base)), lambda: int(s, base))
for _ in range(100):
    n = rng.getrandbits(rng.choice((20, 64, 100, 400)))
    emit("pint", (shex(str(n)), "10"), lambda: int(str(n), 10))
    emit("pint", (shex(hex(n)), "0"), lambda: int(hex(n), 0))
    emit("pint", (shex(format(n, "o")), "8"), lambda: int(format(n, "o"), 8))

float_texts = ["0", "-0", "1", "1.", ".5", ".", "-.5e-3", "1e", "1e+", "1e5", "1E5", "1.e5", "e5", "1e5.0",
               "inf", "-inf", "+inf", "INF", "iNfInItY", "infinity", "infinit", "nan", "-nan", "NaN",
               "nan(1)", "0x10", "1_0.5", "1._5", "1_.5", "1e1_0", "1e_10", "_1", "1_", "1__0", "in_f",
               "  \u3000 1.5\n", "\u0661.5", "\x1c1.5", "1.5 x", "", " ", "1e400", "-1e400", "1e-400",
               "2.5e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "0.1", "3.14159",
               "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
               "9007199254740993", "123456789012345678901234567890", "1e99999999999999999999",
               "1e-99999999999999999999", "0." + "0" * 400 + "1e400", "+1.5", "++1", "1.5\x00",
               "\u0661\u0662e\u0663", "1_000_000.000_1", "0_0.0_0e0_0", ".3_9", "-7_3", "+8_25", "-_1", "._1"]
for s in float_texts:
    emit("pfloat", (shex(s),), lambda: float(s), fbits)
for x in floats:
    emit("pfloat", (shex(repr(x)),), lambda: float(repr(x)), fbits)
    emit("pfloat", (shex("%.25e" % x),), lambda: float("%.25e" % x), fbits)
