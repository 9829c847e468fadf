"""Random constant expressions for differential testing of constant folding.

Usage: python3 gen_folding.py SEED > program.py
Each statement folds (or fails to fold) literals of every constant type with
every binary operator, inside try blocks so the program also runs.
"""
import random, sys
R = random.Random(int(sys.argv[1]))
def lit():
    c = R.randrange(10)
    if c == 0: return str(R.choice([0, 1, -1, 2, 3, 7, 10, 255, 256, 2**31, 2**63, 2**64-1, 10**20, -5, 100, 127, 128]))
    if c == 1: return R.choice(["0.0", "-0.0", "1.5", "0.1", "2.5", "1e300", "1e-300", "3.0", "-2.0", "7.25"])
    if c == 2: return R.choice(["True", "False", "None"])
    if c == 3: return R.choice(["'ab'", "''", "'x'*3", "'é'"])
    if c == 4: return R.choice(["b'ab'", "b''"])
    if c == 5: return R.choice(["(1, 2)", "()", "(1,)", "('a', 2.5)"])
    if c == 6: return R.choice(["1j", "2j", "(1+2j)", "0j"])
    if c == 7: return str(R.randrange(0, 200))
    if c == 8: return "(%s)" % R.choice(["-3", "-(2**70)", "~5", "+7", "not 0", "-1.5"])
    return str(R.randrange(-20, 20))
def e(d=0):
    if d > 2 or R.random() < .3: return lit()
    op = R.choice(["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"])
    return "(%s %s %s)" % (e(d+1), op, e(d+1))
lines = []
for i in range(40):
    x = e()
    lines.append("try:\n    v%d = %s\nexcept Exception:\n    pass" % (i, x))
lines.append("w = ('%s' %% (1, v0))" % R.choice(["%s-%r", "%d", "%5.2s|%-3a", "%%s %s", "%s %s %s"]))
lines.append("u = [v1 for q in (1, 2, 3)] + [v2 in [1, v3, 'a'], v4 not in {1, 2, v5}]")
print("\n".join(lines))
