# float() parsing strings: spaces, signs, exponents, underscores, inf/nan
# spellings in any case.
S = [" 1.5 ", "-inf", "nan", "1e5", "+1E5", "-2.5e-3", ".5", "5.", "0", "-0", "+0.0", "-0.0",
     "inf", "+inf", "-Infinity", "iNF", "NaN", "-nan", "1_000.5", "1e-07", "1e16", "\t 3.25\n",
     "123456789012345678901234567890", "1e400", "-1e400", "1e-400", "0.1", "00012", "1_2.3_4e1_0"]
for s in S:
    print(repr(s), float(s))
print(float(3), float(-7), float(2 ** 70), float(True), float(False), float(0.25), float(-0.0))
print(float(), float("   -12.5e+2   "))
