//! The text `python3 -m dis app.py` prints for a 3.11 code object
//! (Lib/dis.py of 3.11: `_disassemble_recursive`, `_disassemble_bytes`,
//! `Instruction._disassemble`), including CPython's `repr()` of constants.
//!
//! Code objects have no address here; each gets a stable fake one derived
//! from its contents (`code_address`), so the same code object shows the
//! same address wherever it is printed.

use crate::code::{CodeObject, Constant};
use crate::locations;
use crate::opcode::{Opcode, CMP_OP, EXTENDED_ARG, HAVE_ARGUMENT, NB_OPS};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

include!("../opcodes/nonprintable.rs");

/// `_OPNAME_WIDTH`
const OPNAME_WIDTH: usize = 20;
/// `_OPARG_WIDTH`
const OPARG_WIDTH: usize = 5;
/// `MAKE_FUNCTION_FLAGS`
const MAKE_FUNCTION_FLAGS: [&str; 4] = ["defaults", "kwdefaults", "annotations", "closure"];
/// `FORMAT_VALUE_CONVERTERS` (the names only).
const FORMAT_VALUE_CONVERTERS: [&str; 4] = ["", "str", "repr", "ascii"];

/// `dis.dis(code)`: this code object, then every code object among its
/// constants, recursively, each under a "Disassembly of ..." heading.
pub fn dis(code: &CodeObject) -> String {
    let mut out = String::new();
    disassemble_recursive(&mut out, code);
    out
}

fn disassemble_recursive(out: &mut String, co: &CodeObject) {
    disassemble_into(out, co);
    for c in &co.consts {
        if let Constant::Code(inner) = c {
            out.push('\n');
            let _ = writeln!(out, "Disassembly of {}:", code_repr(inner));
            disassemble_recursive(out, inner);
        }
    }
}

/// `dis.disassemble(code)`: one code object, without the ones nested in it.
pub fn disassemble(code: &CodeObject) -> String {
    let mut out = String::new();
    disassemble_into(&mut out, code);
    out
}

/// One entry of `co_exceptiontable` (`_ExceptionTableEntry`); offsets in
/// bytes, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionEntry {
    pub start: u32,
    pub end: u32,
    pub target: u32,
    pub depth: u32,
    pub lasti: bool,
}

/// `_parse_exception_table`: entries up to the first incomplete one.
pub fn parse_exception_table(table: &[u8]) -> Vec<ExceptionEntry> {
    let mut it = table.iter().copied();
    // Six bits per byte, most significant first, bit 6 = more follows.
    let mut varint = || -> Option<u32> {
        let mut b = it.next()?;
        let mut val = (b & 63) as u32;
        while b & 64 != 0 {
            b = it.next()?;
            val = (val << 6) | (b & 63) as u32;
        }
        Some(val)
    };
    let mut entries = Vec::new();
    loop {
        let entry = (|| {
            let start = varint()?.wrapping_mul(2);
            let length = varint()?.wrapping_mul(2);
            let target = varint()?.wrapping_mul(2);
            let dl = varint()?;
            Some(ExceptionEntry {
                start,
                end: start.wrapping_add(length),
                target,
                depth: dl >> 1,
                lasti: dl & 1 != 0,
            })
        })();
        match entry {
            Some(e) => entries.push(e),
            None => return entries,
        }
    }
}

/// `dis.findlinestarts`: byte offset -> line, where a new line starts.
fn line_starts(co: &CodeObject) -> HashMap<usize, u32> {
    let locs = locations::decode(co.firstlineno, &co.linetable, co.code.len() / 2);
    let mut starts = HashMap::new();
    let mut last = None;
    for (unit, loc) in locs.iter().enumerate() {
        if let Some(line) = loc.line {
            if last != Some(line) {
                last = Some(line);
                starts.insert(unit * 2, line);
            }
        }
    }
    starts
}

/// One instruction as `_unpack_opargs` yields it: EXTENDED_ARG is an
/// instruction of its own, CACHE entries are skipped.
struct RawInstr {
    offset: usize,
    op: u8,
    /// `None` for opcodes below HAVE_ARGUMENT. Signed: like CPython, an
    /// argument beyond 2**31 wraps to a negative number.
    arg: Option<i64>,
}

fn unpack_opargs(code: &[u8]) -> Vec<RawInstr> {
    let mut out = Vec::with_capacity(code.len() / 2);
    let mut extended_arg: i64 = 0;
    let mut caches = 0usize;
    for i in (0..code.len()).step_by(2) {
        if caches > 0 {
            caches -= 1;
            continue;
        }
        let op = code[i];
        caches = Opcode::from_u8(op).map_or(0, |o| o.cache_entries());
        let arg = if op >= HAVE_ARGUMENT {
            let arg = code.get(i + 1).copied().unwrap_or(0) as i64 | extended_arg;
            extended_arg = if op == EXTENDED_ARG { arg << 8 } else { 0 };
            if extended_arg >= 1 << 31 {
                extended_arg -= 1 << 32;
            }
            Some(arg)
        } else {
            extended_arg = 0;
            None
        };
        out.push(RawInstr { offset: i, op, arg });
    }
    out
}

fn is_backward_jump(op: Opcode) -> bool {
    op.name().contains("JUMP_BACKWARD")
}

/// Where a relative jump goes (`offset + 2 + signed_arg*2` in 3.11's dis).
fn jump_target(op: Opcode, offset: usize, arg: i64) -> i64 {
    let signed = if is_backward_jump(op) { -arg } else { arg };
    offset as i64 + 2 + signed * 2
}

fn opname(op: u8) -> String {
    match Opcode::from_u8(op) {
        Some(o) => o.name().to_string(),
        None => format!("<{op}>"),
    }
}

fn index<T>(items: &[T], i: i64) -> Option<&T> {
    usize::try_from(i).ok().and_then(|i| items.get(i))
}

/// The parenthesised text after the argument (`argrepr`).
fn argrepr(co: &CodeObject, ins: &RawInstr, arg: i64) -> String {
    let Some(op) = Opcode::from_u8(ins.op) else {
        return String::new();
    };
    let name = |i: i64| index(&co.names, i).cloned().unwrap_or_default();
    if op.has_const() {
        if op == Opcode::LOAD_CONST {
            index(&co.consts, arg).map(const_repr).unwrap_or_default()
        } else {
            String::new()
        }
    } else if op.has_name() {
        if op == Opcode::LOAD_GLOBAL {
            let n = name(arg >> 1);
            if arg & 1 != 0 && !n.is_empty() {
                format!("NULL + {n}")
            } else {
                n
            }
        } else {
            name(arg)
        }
    } else if op.has_jabs() {
        format!("to {}", arg * 2)
    } else if op.has_jrel() {
        format!("to {}", jump_target(op, ins.offset, arg))
    } else if op.has_local() || op.has_free() {
        index(&co.localsplusnames, arg).cloned().unwrap_or_default()
    } else if op.has_compare() {
        index(&CMP_OP, arg)
            .map(|s| s.to_string())
            .unwrap_or_default()
    } else if op == Opcode::FORMAT_VALUE {
        let mut s = FORMAT_VALUE_CONVERTERS[(arg & 3) as usize].to_string();
        if arg & 4 != 0 {
            if !s.is_empty() {
                s.push_str(", ");
            }
            s.push_str("with format");
        }
        s
    } else if op == Opcode::MAKE_FUNCTION {
        MAKE_FUNCTION_FLAGS
            .iter()
            .enumerate()
            .filter(|(i, _)| arg & (1 << i) != 0)
            .map(|(_, s)| *s)
            .collect::<Vec<_>>()
            .join(", ")
    } else if op == Opcode::BINARY_OP {
        index(&NB_OPS, arg)
            .map(|(_, sym)| sym.to_string())
            .unwrap_or_default()
    } else {
        String::new()
    }
}

/// `disassemble(co)`: `_disassemble_bytes` with line starts and the
/// exception table.
fn disassemble_into(out: &mut String, co: &CodeObject) {
    let code = &co.code;
    let starts = line_starts(co);
    let entries = parse_exception_table(&co.exceptiontable);
    let instrs = unpack_opargs(code);

    // findlabels, plus every handler of a non-empty exception range.
    let mut labels = BTreeSet::new();
    for ins in &instrs {
        if let (Some(op), Some(arg)) = (Opcode::from_u8(ins.op), ins.arg) {
            if op.has_jrel() {
                labels.insert(jump_target(op, ins.offset, arg));
            } else if op.has_jabs() {
                labels.insert(arg * 2);
            }
        }
    }
    for e in &entries {
        if e.start < e.end {
            labels.insert(e.target as i64);
        }
    }

    let show_lineno = !starts.is_empty();
    let lineno_width = match starts.values().max() {
        Some(&max) if max >= 1000 => max.to_string().len(),
        Some(_) => 3,
        None => 0,
    };
    let maxoffset = code.len() as i64 - 2;
    let offset_width = if maxoffset >= 10000 {
        maxoffset.to_string().len()
    } else {
        4
    };

    for ins in &instrs {
        let starts_line = starts.get(&ins.offset);
        if show_lineno && starts_line.is_some() && ins.offset > 0 {
            out.push('\n');
        }
        // Instruction._disassemble: the columns joined by one space.
        let mut fields = Vec::with_capacity(7);
        if lineno_width > 0 {
            fields.push(match starts_line {
                Some(l) => format!("{l:>lineno_width$}"),
                None => " ".repeat(lineno_width),
            });
        }
        // The "current instruction" column (`-->`) is never marked here.
        fields.push("   ".to_string());
        let is_target = labels.contains(&(ins.offset as i64));
        fields.push(if is_target { ">>" } else { "  " }.to_string());
        fields.push(format!("{:>offset_width$}", ins.offset));
        fields.push(format!("{:<OPNAME_WIDTH$}", opname(ins.op)));
        if let Some(arg) = ins.arg {
            fields.push(format!("{arg:>OPARG_WIDTH$}"));
            let r = argrepr(co, ins, arg);
            if !r.is_empty() {
                fields.push(format!("({r})"));
            }
        }
        let line = fields.join(" ");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !entries.is_empty() {
        out.push_str("ExceptionTable:\n");
        for e in &entries {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]{}",
                e.start,
                e.end as i64 - 2,
                e.target,
                e.depth,
                if e.lasti { " lasti" } else { "" }
            );
        }
    }
}

// ---------------------------------------------------------------------------
// repr() of constants
// ---------------------------------------------------------------------------

/// A stable stand-in for a code object's address: FNV-1a over what
/// identifies it, shaped like a 64-bit Linux heap address.
pub fn code_address(co: &CodeObject) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(co.qualname.as_bytes());
    eat(co.filename.as_bytes());
    eat(&co.firstlineno.to_le_bytes());
    eat(&co.code);
    0x7f00_0000_0000 | (h & 0x00ff_ffff_fff0)
}

/// `repr(code)`: `<code object f at 0x..., file "app.py", line 3>`.
pub fn code_repr(co: &CodeObject) -> String {
    format!(
        "<code object {} at {:#x}, file \"{}\", line {}>",
        co.name,
        code_address(co),
        co.filename,
        co.firstlineno
    )
}

/// CPython's `repr()` of a constant.
pub fn const_repr(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::Ellipsis => "Ellipsis".into(),
        Constant::Bool(true) => "True".into(),
        Constant::Bool(false) => "False".into(),
        Constant::Int(v) => v.to_string(),
        Constant::Float(x) => float_repr(*x),
        Constant::Complex { re, im } => complex_repr(*re, *im),
        Constant::Str(s) => str_repr(s),
        Constant::Bytes(b) => bytes_repr(b),
        Constant::Tuple(items) => match items.as_slice() {
            [one] => format!("({},)", const_repr(one)),
            _ => format!("({})", join_reprs(items)),
        },
        Constant::FrozenSet(items) if items.is_empty() => "frozenset()".into(),
        Constant::FrozenSet(items) => format!("frozenset({{{}}})", join_reprs(items)),
        Constant::Code(co) => code_repr(co),
    }
}

fn join_reprs(items: &[Constant]) -> String {
    items.iter().map(const_repr).collect::<Vec<_>>().join(", ")
}

/// `repr(float)`: shortest round-trip digits, laid out as
/// `PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0)` does.
pub fn float_repr(x: f64) -> String {
    format_float_r(x, true, false)
}

/// `repr(complex)` (Objects/complexobject.c, complex_repr).
pub fn complex_repr(re: f64, im: f64) -> String {
    if re == 0.0 && re.is_sign_positive() {
        format!("{}j", format_float_r(im, false, false))
    } else {
        format!(
            "({}{}j)",
            format_float_r(re, false, false),
            format_float_r(im, false, true)
        )
    }
}

/// Python's 'r' float formatting (Python/pystrtod.c, format_float_short):
/// exponent notation when the decimal point position is <= -4 or > 16.
fn format_float_r(x: f64, add_dot_0: bool, always_sign: bool) -> String {
    let sign = if x.is_sign_negative() && !x.is_nan() {
        "-"
    } else if always_sign {
        "+"
    } else {
        ""
    };
    if x.is_nan() {
        return format!("{sign}nan");
    }
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let body = if x == 0.0 {
        if add_dot_0 { "0.0" } else { "0" }.to_string()
    } else {
        // Rust's `{:e}` gives the shortest round-trip digits: d[.ddd]e<exp>.
        let sci = format!("{:e}", x.abs());
        let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
        let decpt = exp.parse::<i32>().unwrap_or(0) + 1;
        let n = digits.len() as i32;
        if decpt <= -4 || decpt > 16 {
            let e = decpt - 1;
            let mut s = digits[..1].to_string();
            if n > 1 {
                s.push('.');
                s.push_str(&digits[1..]);
            }
            format!("{s}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
        } else if decpt <= 0 {
            format!("0.{}{digits}", "0".repeat(-decpt as usize))
        } else if decpt >= n {
            let zeros = "0".repeat((decpt - n) as usize);
            if add_dot_0 {
                format!("{digits}{zeros}.0")
            } else {
                format!("{digits}{zeros}")
            }
        } else {
            let (a, b) = digits.split_at(decpt as usize);
            format!("{a}.{b}")
        }
    };
    format!("{sign}{body}")
}

fn is_printable(c: char) -> bool {
    let c = c as u32;
    if c < 0x80 {
        return (0x20..0x7f).contains(&c);
    }
    NON_PRINTABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_err()
}

/// `repr(str)` (Objects/unicodeobject.c, unicode_repr).
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
    out
}

/// `repr(bytes)` (Objects/bytesobject.c, PyBytes_Repr).
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push(quote as char);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marshal::read_pyc;
    use std::path::Path;
    use std::process::Command;

    fn python_in(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("python3")
            .current_dir(dir)
            .env("PYTHONHASHSEED", "0")
            .args(args)
            .output()
            .expect("python3 must be installed");
        assert!(
            out.status.success(),
            "python3 {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Replace every `0x<hex>` by `0x?`.
    fn mask_addresses(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find("0x") {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
            let n = rest
                .find(|c: char| !c.is_ascii_hexdigit())
                .unwrap_or(rest.len());
            if n > 0 {
                out.push('?');
            }
            rest = &rest[n..];
        }
        out.push_str(rest);
        out
    }

    /// `dis()` of CPython's own .pyc for `path` against `python3 -m dis path`.
    fn check_against_cpython(dir: &Path, path: &str) {
        let pyc = format!("{path}.pyc");
        python_in(
            dir,
            &[
                "-c",
                "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                path,
                &pyc,
            ],
        );
        let code = read_pyc(&std::fs::read(dir.join(&pyc)).unwrap()).unwrap();
        let ours = mask_addresses(&dis(&code));
        let want = mask_addresses(&python_in(dir, &["-m", "dis", path]));
        if ours != want {
            let line = ours
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(ours.lines().count().min(want.lines().count()));
            let show = |s: &str| {
                s.lines()
                    .skip(line.saturating_sub(3))
                    .take(6)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "dis differs for {path} at line {}:\n--- ours\n{}\n--- python3 -m dis\n{}",
                line + 1,
                show(&ours),
                show(&want)
            );
        }
    }

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("pyaot-dis-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    const PROGRAM: &str = r#"import sys
from os import path as p, sep

X = (1, 2.5, -0.0, 1e16, 1e-05, 123456.789, 1e300, 2**100, -7, 3j, (1+2j), -1.5j)
S = ('it\'s', "say \"hi\"", 'both \' and "', 'tab\there\n', 'é€😀', '\x00\x7f\x85\xa0\u200b\U0010ffff', '\\')
B = (b'', b'x', b"it's", b'\x00\xff\\\n', b'"q"')
T = ((), (None,), ((True, False), ...), frozenset())
big = 12345678901234567890123

def f(a, b=2, *args, c, d=4, **kw) -> int:
    global X
    total = 0
    for i in range(a):
        if i % 2 == 0 and i not in (3, 5, 7):
            total += i
        elif i is None or i > b:
            continue
        else:
            break
    while total > 100:
        total //= 3
    return total if total else -1

def outer(n):
    def inner(m):
        nonlocal n
        n += m
        return n
    return inner

class Point:
    __slots__ = ('x', 'y')

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y:>10}, {self.x!s:{self.y}}, {self.x!a})"

    @property
    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

def gen(n):
    yield from range(n)
    x = yield n
    return [i * i for i in range(n) if i in {1, 2, 3}]

def handlers():
    try:
        1 / 0
    except ZeroDivisionError as e:
        print(e, file=sys.stderr)
    except (TypeError, ValueError):
        raise
    else:
        pass
    finally:
        print("done")
    with open(__file__) as fh, open(__file__) as gh:
        return fh.read(), gh

def unpack(seq):
    a, *b, c = seq
    d = {k: v for k, v in zip(a, b)}
    e = {*b, *seq}
    s = seq[1:2], seq[::2]
    del d[a]
    lam = lambda q, *, r=1: q + r
    print(*seq, sep='', **d)
    match seq:
        case [1, 2, *rest]:
            return rest
        case {"k": v}:
            return v
        case Point(x=0):
            return 0
        case str() | bytes():
            return None
    assert a, "msg"
    return lam(a, r=c)

async def co(x):
    async with x as y:
        async for z in y:
            await z

print(f(10, c=1), outer(1)(2), Point(1, 2), list(gen(4)), sep=sep)
"#;

    #[test]
    fn matches_python_dis_on_a_program() {
        let dir = temp_dir("prog");
        std::fs::write(dir.join("app.py"), PROGRAM).unwrap();
        check_against_cpython(&dir, "app.py");
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Corrupted .pyc files that still unmarshal must not make `dis` panic.
    #[test]
    fn corrupt_code_objects_do_not_panic() {
        let dir = temp_dir("corrupt");
        std::fs::write(dir.join("app.py"), PROGRAM).unwrap();
        python_in(
            &dir,
            &[
                "-c",
                "import py_compile; py_compile.compile('app.py', cfile='app.pyc', doraise=True)",
            ],
        );
        let orig = std::fs::read(dir.join("app.pyc")).unwrap();
        let mut printed = 0;
        for i in (crate::marshal::PYC_HEADER_LEN..orig.len()).step_by(7) {
            for flip in [0x01u8, 0xff] {
                let mut bad = orig.clone();
                bad[i] ^= flip;
                if let Ok(code) = read_pyc(&bad) {
                    let _ = dis(&code);
                    printed += 1;
                }
            }
        }
        assert!(printed > 50);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn wide_line_numbers_and_extended_args() {
        let dir = temp_dir("wide");
        // Lines past 1000, more than 256 constants and names (EXTENDED_ARG),
        // long forward and backward jumps.
        let mut src = "\n".repeat(1200);
        src.push_str("def big(x):\n    while x:\n");
        for i in 0..300 {
            src.push_str(&format!("        if x == {i}.5: v{i} = '{i}'\n"));
        }
        src.push_str("    return x\nprint(big(0))\n");
        std::fs::write(dir.join("wide.py"), src).unwrap();
        check_against_cpython(&dir, "wide.py");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn matches_python_dis_on_stdlib_modules() {
        let dir = temp_dir("stdlib");
        let paths = python_in(
            &dir,
            &[
                "-c",
                "import dis, fractions, json.decoder, email._header_value_parser as h, unicodedata\n\
                 for m in (dis, fractions, json.decoder, h): print(m.__file__)",
            ],
        );
        for p in paths.lines() {
            // Compile a copy so that the .pyc lands in our temp dir.
            let name = Path::new(p).file_name().unwrap().to_str().unwrap();
            std::fs::copy(p, dir.join(name)).unwrap();
            check_against_cpython(&dir, name);
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn reprs_match_cpython() {
        let floats = [
            0.0,
            -0.0,
            1.0,
            0.1,
            1.0 / 3.0,
            1e15,
            1e16,
            1.5e16,
            1e-4,
            1e-5,
            123.456,
            5e-324,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -2.5e-7,
            9007199254740993.0,
        ];
        let mut script = String::from("import struct\nfor h in '''");
        for x in floats {
            script.push_str(&format!("{:016x} ", x.to_bits()));
        }
        script.push_str(
            "'''.split():\n    x = struct.unpack('<d', bytes.fromhex(h)[::-1])[0]\n    \
             print(repr(x), repr(complex(x, -x)), repr(complex(0.0, x)), repr(complex(x, 1.0)))",
        );
        let want = python_in(&std::env::temp_dir(), &["-c", &script]);
        for (x, line) in floats.iter().zip(want.lines()) {
            let ours = format!(
                "{} {} {} {}",
                float_repr(*x),
                complex_repr(*x, -*x),
                complex_repr(0.0, *x),
                complex_repr(*x, 1.0)
            );
            assert_eq!(ours, line, "repr of {x:e}");
        }
        let strs = [
            "",
            "'",
            "\"",
            "'\"",
            "a\u{7f}b\u{80}\u{a0}\u{ad}",
            "\u{300}x\u{e000}\u{1f600}\u{10ffff}",
        ];
        let mut script = String::from("import sys\nfor s in sys.argv[1:]: print(repr(s), repr(s.encode('utf-8', 'surrogatepass')))");
        script.push('\n');
        let mut args = vec!["-c", script.as_str()];
        args.extend(strs);
        let want = python_in(&std::env::temp_dir(), &args);
        for (s, line) in strs.iter().zip(want.lines()) {
            assert_eq!(
                format!("{} {}", str_repr(s), bytes_repr(s.as_bytes())),
                line
            );
        }
    }

    #[test]
    fn exception_table_stops_at_incomplete_entry() {
        // start 2 (1), length 4 (2), target 20 (10), depth 1 lasti; then junk.
        let t = parse_exception_table(&[0x81, 0x02, 0x0a, 0x03, 0x81, 0x41]);
        assert_eq!(
            t,
            vec![ExceptionEntry {
                start: 2,
                end: 6,
                target: 20,
                depth: 1,
                lasti: true
            }]
        );
    }
}
