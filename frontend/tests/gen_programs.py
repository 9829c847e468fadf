"""Random Python programs for differential testing of the compiler.

Usage: python3 gen_programs.py SEED  > program.py
Every program is valid Python 3.11 mixing nested statements (loops, try/
except/finally, with, match, classes, functions, generators) and
expressions (comprehensions, lambdas, f-strings, chained comparisons).
compare_cpython.rs compiles a batch of them with pyaot and CPython.
"""
import random, sys
R = random.Random(int(sys.argv[1]))
NAMES = ["a", "b", "c", "x", "y", "z", "i", "n"]
def name(): return R.choice(NAMES)
def atom(d):
    c = R.randrange(12)
    if c < 4: return name()
    if c == 4: return str(R.randrange(-3, 300))
    if c == 5: return repr(R.choice(["s", "", "ab", "x y"]))
    if c == 6: return R.choice(["None", "True", "False", "1.5", "2j", "..."])
    if c == 7: return "(%s, %s)" % (expr(d+1), expr(d+1))
    if c == 8: return "[%s]" % ", ".join(expr(d+1) for _ in range(R.randrange(4)))
    if c == 9: return "{%s}" % ", ".join("%s: %s" % (expr(d+1), expr(d+1)) for _ in range(R.randrange(3)))
    if c == 10: return "%s.%s" % (name(), R.choice(["real", "attr", "append"]))
    return "%s[%s]" % (name(), expr(d+1))
def expr(d=0):
    if d > 3: return atom(d)
    c = R.randrange(16)
    if c < 5: return atom(d)
    if c == 5: return "(%s %s %s)" % (expr(d+1), R.choice(["+", "-", "*", "//", "%", "**", "|", "&", "<<", "@"]), expr(d+1))
    if c == 6: return "(%s %s %s)" % (expr(d+1), R.choice(["<", "==", "is", "in", "not in", "is not", ">="]), expr(d+1))
    if c == 7: return "(%s < %s <= %s)" % (expr(d+1), expr(d+1), expr(d+1))
    if c == 8: return "(%s %s %s)" % (expr(d+1), R.choice(["and", "or"]), expr(d+1))
    if c == 9: return "(not %s)" % expr(d+1)
    if c == 10: return "(%s if %s else %s)" % (expr(d+1), expr(d+1), expr(d+1))
    if c == 11: return "%s(%s)" % (name(), ", ".join([expr(d+1) for _ in range(R.randrange(3))] + (["k=%s" % expr(d+1)] if R.random() < .3 else [])))
    if c == 12: return "%s.m(%s)" % (name(), expr(d+1))
    if c == 13: return "[%s for %s in %s if %s]" % (expr(d+1), name(), expr(d+1), expr(d+1))
    if c == 14:
        k = R.randrange(8)
        if k == 0: return "(lambda %s: %s)" % (name(), expr(d+1))
        if k == 1: return "{%s: %s for %s in %s}" % (name(), expr(d+1), name(), expr(d+1))
        if k == 2: return "{%s for %s, %s in %s if %s}" % (expr(d+1), name(), name(), expr(d+1), expr(d+1))
        if k == 3: return "sum(%s for %s in %s)" % (expr(d+1), name(), expr(d+1))
        if k == 4: return "(%s := %s)" % (name(), expr(d+1))
        if k == 5: return "%s(*%s, **%s)" % (name(), name(), name())
        if k == 6: return "%s[%s:%s:%s]" % (name(), expr(d+1), R.choice(["", expr(d+1)]), R.choice(["", "2"]))
        return "[*%s, %s]" % (name(), expr(d+1))
    return "f'{%s}-{%s!r:>3}'" % (name(), name())
def block(d, inloop, infunc, indent):
    n = R.randrange(1, 4)
    return "".join(stmt(d, inloop, infunc, indent) for _ in range(n))
def stmt(d, inloop, infunc, ind):
    p = "    " * ind
    c = R.randrange(22 if d < 3 else 8)
    if c < 3: return p + "%s = %s\n" % (name(), expr())
    if c == 3: return p + "%s %s= %s\n" % (name(), R.choice(["+", "-", "*", "|"]), expr())
    if c == 4: return p + "%s\n" % expr()
    if c == 5: return p + (R.choice(["break", "continue"]) if inloop else "pass") + "\n"
    if c == 6: return p + ("return %s\n" % expr() if infunc else "pass\n")
    if c == 7: return p + "%s[%s] = %s\n" % (name(), expr(), expr())
    if c == 8: return p + "if %s:\n%s" % (expr(), block(d+1, inloop, infunc, ind+1)) + (p + "elif %s:\n%s" % (expr(), block(d+1, inloop, infunc, ind+1)) if R.random() < .3 else "") + (p + "else:\n%s" % block(d+1, inloop, infunc, ind+1) if R.random() < .5 else "")
    if c == 9: return p + "while %s:\n%s" % (expr(), block(d+1, True, infunc, ind+1)) + (p + "else:\n%s" % block(d+1, inloop, infunc, ind+1) if R.random() < .3 else "")
    if c == 10: return p + "for %s in %s:\n%s" % (R.choice([name(), "%s, %s" % (name(), name())]), expr(), block(d+1, True, infunc, ind+1))
    if c == 11:
        s = p + "try:\n" + block(d+1, inloop, infunc, ind+1)
        k = R.randrange(3)
        if k != 2:
            s += p + "except %s:\n" % R.choice(["ValueError", "(KeyError, TypeError) as e", "Exception as e"]) + block(d+1, inloop, infunc, ind+1)
            if R.random() < .4: s += p + "except:\n" + block(d+1, inloop, infunc, ind+1)
            if R.random() < .3: s += p + "else:\n" + block(d+1, inloop, infunc, ind+1)
        if k != 0: s += p + "finally:\n" + block(d+1, inloop, infunc, ind+1)
        return s
    if c == 12: return p + "with %s as %s:\n%s" % (expr(), name(), block(d+1, inloop, infunc, ind+1))
    if c == 13: return p + "def f%d(%s, %s=%s, *args, **kw):\n%s" % (R.randrange(9), name(), "q", expr(), block(d+1, False, True, ind+1))
    if c == 14: return p + "assert %s, %s\n" % (expr(), expr())
    if c == 15: return p + "del %s\n" % name()
    if c == 16: return p + "%s, *%s = %s\n" % (name(), name(), expr())
    if c == 17: return p + "raise %s\n" % R.choice(["ValueError(%s)" % expr(), "", "E from %s" % expr()]) if infunc or True else ""
    if c == 18: return p + "class C%d(%s):\n%s" % (R.randrange(9), name(), block(d+1, False, False, ind+1))
    if c == 19:
        k = R.randrange(9)
        if k == 0: return p + "import %s\n" % R.choice(["os", "os.path", "sys as s"])
        if k == 1: return p + "%s.%s += %s\n" % (name(), "attr", expr())
        if k == 2: return p + "%s[%s] -= %s\n" % (name(), expr(), expr())
        if k == 3: return p + "del %s[%s], %s.attr\n" % (name(), expr(), name())
        if k == 4: return p + "with %s as (%s, %s), %s:\n%s" % (expr(), name(), name(), expr(), block(d+1, inloop, infunc, ind+1))
        if k == 5 and infunc: return p + "yield from %s\n" % expr()
        if k == 6: return p + "if %s < %s < %s:\n%s" % (expr(), expr(), expr(), block(d+1, inloop, infunc, ind+1))
        if k == 7: return p + "@%s\n%sdef g%d(*, %s=1, **kw):\n%s    nonlocal_dummy = %s\n%s    return lambda: %s\n" % (name(), p, R.randrange(5), name(), p, expr(), p, name())
        return p + "async def h%d(%s):\n%s    await %s\n%s    async with %s as %s:\n%s        pass\n%s    async for %s in %s:\n%s        %s = [%s async for %s in %s]\n" % (R.randrange(5), name(), p, expr(), p, expr(), name(), p, p, name(), expr(), p, name(), name(), name(), expr())
    if c == 20 and infunc: return p + "%s = yield %s\n" % (name(), expr())
    return p + "match %s:\n%s    case %s:\n%s%s    case _:\n%s" % (expr(), p, R.choice(["1 | 2", "[x, *y]", "{'k': v}", "Point(x=1)", "str() as s"]), block(d+1, inloop, infunc, ind+2), p, block(d+1, inloop, infunc, ind+2))
src = "def main(a, b, c, x, y, z, i, n):\n" + block(0, False, True, 1) + block(0, False, False, 0)
print(src)
