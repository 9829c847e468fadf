"""Dump CPython 3.11's code objects for a source file in pyaot's canonical text form.

Usage: python3 dump_code.py FILE...   (one dump per file, separated by '=== FILE' lines)
The Rust side (frontend/tests/compare_cpython.rs) prints the same form for pyaot's code objects.
"""
import struct
import sys
import dis


def fmt_str(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\\" or ch == "'":
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%x}" % o)
    return "'" + "".join(out) + "'"


def fmt_bytes(b):
    out = []
    for o in b:
        ch = chr(o)
        if ch == "\\" or ch == "'":
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        else:
            out.append("\\x%02x" % o)
    return "b'" + "".join(out) + "'"


def fmt_float(f):
    return "float(%016x)" % struct.unpack("<Q", struct.pack("<d", f))[0]


def fmt_const(c):
    if c is None:
        return "None"
    if c is Ellipsis:
        return "Ellipsis"
    if c is True or c is False:
        return repr(c)
    if isinstance(c, int):
        return str(c)
    if isinstance(c, float):
        return fmt_float(c)
    if isinstance(c, complex):
        return "complex(%s, %s)" % (fmt_float(c.real), fmt_float(c.imag))
    if isinstance(c, str):
        return fmt_str(c)
    if isinstance(c, bytes):
        return fmt_bytes(c)
    if isinstance(c, tuple):
        if len(c) == 1:
            return "(" + fmt_const(c[0]) + ",)"
        return "(" + ", ".join(fmt_const(x) for x in c) + ")"
    if isinstance(c, frozenset):
        return "frozenset(" + ", ".join(sorted(fmt_const(x) for x in c)) + ")"
    if hasattr(c, "co_code"):
        return "<code %s>" % c.co_qualname
    return "?" + repr(c)


def fmt_pos(p):
    return ",".join("-" if x is None else str(x) for x in p)


def dump(co, out):
    out.append("code %s name=%s firstlineno=%d" % (co.co_qualname, co.co_name, co.co_firstlineno))
    out.append("  args=%d posonly=%d kwonly=%d stacksize=%d flags=0x%x" % (
        co.co_argcount, co.co_posonlyargcount, co.co_kwonlyargcount, co.co_stacksize, co.co_flags))
    out.append("  consts: " + ", ".join(fmt_const(c) for c in co.co_consts))
    out.append("  names: " + " ".join(co.co_names))
    kinds = co._co_localspluskinds if hasattr(co, "_co_localspluskinds") else None
    names = co.co_varnames + tuple(n for n in co.co_cellvars if n not in co.co_varnames) + co.co_freevars
    out.append("  localsplus: " + " ".join(names))
    out.append("  cellvars: " + " ".join(co.co_cellvars) + " | freevars: " + " ".join(co.co_freevars))
    out.append("  linetable: " + co.co_linetable.hex())
    out.append("  exceptiontable: " + co.co_exceptiontable.hex())
    code = co.co_code
    positions = list(co.co_positions())
    for i in range(0, len(code), 2):
        op, arg = code[i], code[i + 1]
        if op == 0:
            if arg:
                out.append("    CACHE %d" % arg)
            continue
        out.append("    %s %d @%s" % (dis.opname[op], arg, fmt_pos(positions[i // 2])))
    for c in co.co_consts:
        if hasattr(c, "co_code"):
            dump(c, out)


def main():
    for path in sys.argv[1:]:
        out = ["=== " + path]
        try:
            with open(path, "rb") as f:
                src = f.read()
            dump(compile(src, path, "exec", dont_inherit=True), out)
        except SyntaxError as e:
            out.append("SyntaxError")
        print("\n".join(out))


main()
