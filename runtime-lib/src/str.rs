//! `str`: immutable UTF-8 text with its length in code points. Indexing is
//! by code point (constant time for ASCII text).

use crate::exc;
use crate::object::{
    bool_value, not_implemented, obj, type_of, CmpOp, Header, TypeObject, Value, OBJECT_TYPE, R,
};
use crate::ops;
use alloc::string::String;

/// A str: its text is `len` bytes at `data`, either inline after the
/// object or, for strs built by concatenation, a prefix of a shared
/// append-only [`StrBufferObject`].
#[repr(C)]
pub struct StrObject {
    pub header: Header,
    /// Length in bytes.
    pub len: usize,
    /// Length in code points.
    pub nchars: usize,
    pub data: *const u8,
    /// The buffer holding the text, or 0 when it is inline.
    pub buffer: Value,
    /// For non-ASCII text: the last code point index looked up and its
    /// byte offset, so that indexing in order costs O(1) per item.
    pub cursor_char: usize,
    pub cursor_byte: usize,
    // Inline UTF-8 bytes follow when `buffer` is 0.
}

/// The growable storage that concatenation results share. Only the str
/// whose text ends at `used` may extend it: every other str sharing it
/// sees a prefix that never changes, so `s = s + t` in a loop appends in
/// place (amortised linear time, like CPython's in-place resize).
#[repr(C)]
pub struct StrBufferObject {
    pub header: Header,
    pub used: usize,
    pub cap: usize,
    // `cap` bytes follow.
}

const DATA: usize = core::mem::size_of::<StrObject>();
const BUFFER_DATA: usize = core::mem::size_of::<StrBufferObject>();
/// Concatenations shorter than this make plain inline strs.
const MIN_BUFFERED: usize = 64;

pub fn for_each_root(_f: &mut dyn FnMut(Value)) {}

/// A new str holding `s`.
pub fn new(s: &str) -> Value {
    let nchars = s.chars().count();
    new_counted(s.as_bytes(), nchars)
}

/// A new inline str of `len` bytes (to be filled by the caller) having
/// `nchars` code points.
fn new_inline(len: usize, nchars: usize) -> (Value, *mut u8) {
    let p = crate::heap::alloc(DATA + len, &STR_TYPE);
    unsafe {
        let o = &mut *(p as *mut StrObject);
        o.len = len;
        o.nchars = nchars;
        o.data = p.add(DATA);
        (p as Value, p.add(DATA))
    }
}

/// A new str of UTF-8 `bytes` having `nchars` code points.
pub fn new_counted(bytes: &[u8], nchars: usize) -> Value {
    let (v, data) = new_inline(bytes.len(), nchars);
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), data, bytes.len()) };
    v
}

/// A str of the first `len` bytes of `buffer`.
fn new_in_buffer(buffer: Value, len: usize, nchars: usize) -> Value {
    let o = crate::object::new_object::<StrObject>(&STR_TYPE);
    o.len = len;
    o.nchars = nchars;
    o.data = (buffer + BUFFER_DATA) as *const u8;
    o.buffer = buffer;
    o as *mut StrObject as Value
}

pub fn is_str(v: Value) -> bool {
    v & 1 == 0 && core::ptr::eq(type_of(v), &STR_TYPE)
}

/// The text of a str value.
pub fn as_str(v: Value) -> &'static str {
    unsafe {
        let o = obj::<StrObject>(v);
        core::str::from_utf8_unchecked(core::slice::from_raw_parts(o.data, o.len))
    }
}

pub fn nchars(v: Value) -> usize {
    unsafe { obj::<StrObject>(v).nchars }
}

/// Byte offset of code point `i` (`i < nchars`) in the text of `v`:
/// direct for ASCII, else walked from the nearest of the start and the
/// str's cursor.
fn char_offset(v: Value, i: usize) -> usize {
    let o = unsafe { obj::<StrObject>(v) };
    if o.nchars == o.len {
        return i;
    }
    let b = as_str(v).as_bytes();
    let is_start = |k: usize| b[k] & 0xc0 != 0x80;
    let (mut ci, mut bi) = if i >= o.cursor_char || o.cursor_char - i < i {
        (o.cursor_char, o.cursor_byte)
    } else {
        (0, 0)
    };
    while ci < i {
        bi += 1;
        while bi < b.len() && !is_start(bi) {
            bi += 1;
        }
        ci += 1;
    }
    while ci > i {
        bi -= 1;
        while !is_start(bi) {
            bi -= 1;
        }
        ci -= 1;
    }
    o.cursor_char = ci;
    o.cursor_byte = bi;
    bi
}

/// The one-character str at code point index `i` (in range).
pub fn char_at(v: Value, i: usize) -> Value {
    let s = as_str(v);
    let o = char_offset(v, i);
    let c = s[o..].chars().next().unwrap_or(' ');
    let mut buf = [0u8; 4];
    new_counted(c.encode_utf8(&mut buf).as_bytes(), 1)
}

// ---- repr --------------------------------------------------------------------

/// `repr(str)` <- Objects/unicodeobject.c `unicode_repr`.
pub fn repr_text(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
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
            c if (c as u32) < 0x20 || c as u32 == 0x7f => push_hex_escape(out, 'x', c as u32, 2),
            c if (c as u32) < 0x7f => out.push(c),
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xff => push_hex_escape(out, 'x', c as u32, 2),
            c if (c as u32) <= 0xffff => push_hex_escape(out, 'u', c as u32, 4),
            c => push_hex_escape(out, 'U', c as u32, 8),
        }
    }
    out.push(quote);
}

fn push_hex_escape(out: &mut String, kind: char, v: u32, digits: u32) {
    out.push('\\');
    out.push(kind);
    for i in (0..digits).rev() {
        out.push(b"0123456789abcdef"[((v >> (4 * i)) & 0xf) as usize] as char);
    }
}

pub use crate::unicode::is_printable;

// ---- slots -------------------------------------------------------------------

fn str_repr(v: Value, out: &mut String) -> R<()> {
    repr_text(as_str(v), out);
    Ok(())
}

fn str_str(v: Value, out: &mut String) -> R<()> {
    out.push_str(as_str(v));
    Ok(())
}

fn str_richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    if !is_str(b) {
        return Ok(not_implemented());
    }
    // UTF-8 byte order is code point order.
    Ok(bool_value(
        op.test(as_str(a).as_bytes().cmp(as_str(b).as_bytes())),
    ))
}

fn str_bool(v: Value) -> bool {
    unsafe { obj::<StrObject>(v).len != 0 }
}

fn str_len(v: Value) -> R<usize> {
    Ok(nchars(v))
}

fn str_getitem(v: Value, index: Value) -> R<Value> {
    let n = nchars(v);
    let i = ops::sequence_index(index, n, "string index out of range", |t| {
        let mut m = String::from("string indices must be integers, not '");
        m.push_str(t);
        m.push('\'');
        m
    })?;
    Ok(char_at(v, i))
}

fn str_contains(v: Value, item: Value) -> R<bool> {
    if !is_str(item) {
        let mut m = String::from("'in <string>' requires string as left operand, not ");
        m.push_str(type_of(item).name);
        return Err(exc::type_error(&m));
    }
    Ok(as_str(v).contains(as_str(item)))
}

/// `a + b` with `a` a str.
pub fn concat(a: Value, b: Value) -> R<Value> {
    if !is_str(b) {
        let mut m = String::from("can only concatenate str (not \"");
        m.push_str(type_of(b).name);
        m.push_str("\") to str");
        return Err(exc::type_error(&m));
    }
    let (x, y) = (as_str(a), as_str(b));
    if y.is_empty() {
        return Ok(a);
    }
    if x.is_empty() {
        return Ok(b);
    }
    let total = x.len() + y.len();
    let nchars = nchars(a) + nchars(b);
    let ao = unsafe { obj::<StrObject>(a) };
    if ao.buffer != 0 {
        let buf = unsafe { obj::<StrBufferObject>(ao.buffer) };
        if buf.used == ao.len && buf.cap - buf.used >= y.len() {
            // `a` is the tip of its buffer: append in place.
            unsafe {
                let dst = (ao.buffer + BUFFER_DATA + buf.used) as *mut u8;
                core::ptr::copy_nonoverlapping(y.as_ptr(), dst, y.len());
            }
            buf.used = total;
            return Ok(new_in_buffer(ao.buffer, total, nchars));
        }
    }
    if total < MIN_BUFFERED {
        let (v, data) = new_inline(total, nchars);
        unsafe {
            core::ptr::copy_nonoverlapping(x.as_ptr(), data, x.len());
            core::ptr::copy_nonoverlapping(y.as_ptr(), data.add(x.len()), y.len());
        }
        return Ok(v);
    }
    // A new buffer with room to grow.
    let cap = total * 2;
    let bp = crate::heap::alloc(BUFFER_DATA + cap, &STR_BUFFER_TYPE);
    let buffer = bp as Value;
    unsafe {
        let buf = &mut *(bp as *mut StrBufferObject);
        buf.used = total;
        buf.cap = cap;
        core::ptr::copy_nonoverlapping(x.as_ptr(), bp.add(BUFFER_DATA), x.len());
        core::ptr::copy_nonoverlapping(y.as_ptr(), bp.add(BUFFER_DATA + x.len()), y.len());
    }
    Ok(new_in_buffer(buffer, total, nchars))
}

/// `str * n` (`unicode_repeat`): `OverflowError` when the length in
/// code points does not fit a `Py_ssize_t`, `MemoryError` when the text
/// does not fit in memory.
fn repeat(a: Value, n: isize) -> R<Value> {
    let n = n.max(0) as usize;
    let chars = match nchars(a).checked_mul(n) {
        Some(c) if c <= isize::MAX as usize => c,
        _ => return Err(exc::overflow_error("repeated string is too long")),
    };
    let total = as_str(a)
        .len()
        .checked_mul(n)
        .ok_or_else(exc::memory_error)?;
    let size = total.checked_add(DATA).ok_or_else(exc::memory_error)?;
    let p = crate::heap::try_alloc(size, &STR_TYPE).ok_or_else(exc::memory_error)?;
    unsafe {
        let o = &mut *(p as *mut StrObject);
        o.len = total;
        o.nchars = chars;
        o.data = p.add(DATA);
        ops::repeat_into(p.add(DATA), as_str(a).as_bytes(), n);
    }
    Ok(p as Value)
}

pub(crate) fn str_new(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    ops::no_keywords("str", kwnames)?;
    match args {
        [] => Ok(new("")),
        [x] => ops::str(*x),
        _ if args.len() > 3 => {
            let mut m = String::from("str() takes at most 3 arguments (");
            ops::push_usize(&mut m, args.len());
            m.push_str(" given)");
            Err(exc::type_error(&m))
        }
        [x, ..] => {
            if crate::bytes::is_bytes(*x) {
                match core::str::from_utf8(crate::bytes::as_bytes(*x)) {
                    Ok(s) => Ok(new(s)),
                    Err(_) => Err(exc::value_error("'utf-8' codec can't decode bytes")),
                }
            } else {
                Err(exc::type_error("decoding str is not supported"))
            }
        }
    }
}

fn str_trace(o: usize, m: &mut crate::heap::Marker) {
    m.mark(unsafe { obj::<StrObject>(o).buffer });
}

pub static STR_BUFFER_TYPE: TypeObject = TypeObject::new("str_buffer", Some(&OBJECT_TYPE));

/// `str % args` (`unicode_mod`): set by the `pyrt_op_remainder` feature
/// (with int's big `%`), so only programs that use `%` link printf-style
/// formatting.
type PercentFormat = fn(Value, Value) -> R<Value>;

static PERCENT_FORMAT: crate::Global<Option<PercentFormat>> = crate::Global::new(None);

#[export_name = "pyrt_op_remainder"]
pub static OP_REMAINDER: crate::start::Feature = crate::start::Feature {
    init: || {
        *PERCENT_FORMAT.get() = Some(crate::format::percent_format);
        crate::int::enable_int_op(crate::int::NB_REMAINDER, crate::int::int_remainder);
    },
};

/// `str`'s number slot: only `%` (`unicode_mod`), formatting.
fn str_number(a: Value, b: Value, op: u32) -> R<Value> {
    let base = if op >= crate::int::NB_INPLACE_BASE {
        op - crate::int::NB_INPLACE_BASE
    } else {
        op
    };
    if base == crate::int::NB_REMAINDER && is_str(a) {
        // A volatile read: the optimizer must not see that the hook can
        // only be `percent_format` and call it directly (linking it).
        let hook = unsafe { core::ptr::read_volatile(PERCENT_FORMAT.get()) };
        if let Some(percent_format) = hook {
            return percent_format(a, b);
        }
    }
    Ok(not_implemented())
}

#[export_name = "pyrt_type_str"]
pub static STR_TYPE: TypeObject = TypeObject {
    number: Some(str_number),
    trace: Some(str_trace),
    repr: Some(str_repr),
    str: Some(str_str),
    richcompare: Some(str_richcompare),
    to_bool: Some(str_bool),
    len: Some(str_len),
    getitem: Some(str_getitem),
    contains: Some(str_contains),
    concat: Some(concat),
    repeat: Some(repeat),
    iter: Some(crate::list::seq_iter),
    ..TypeObject::new("str", Some(&OBJECT_TYPE))
};

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(s: &str) -> String {
        let mut o = String::new();
        repr_text(s, &mut o);
        o
    }

    #[test]
    fn repr_matches_cpython() {
        // Expected values from python3 3.11: repr(s).
        assert_eq!(repr("it's"), "\"it's\"");
        assert_eq!(repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(repr("tab\there\n"), "'tab\\there\\n'");
        assert_eq!(repr("\x00\x1f\x7f"), "'\\x00\\x1f\\x7f'");
        assert_eq!(repr("é日本😀"), "'é日本😀'");
        assert_eq!(
            repr("\u{a0}\u{ad}\u{2028}\u{feff}"),
            "'\\xa0\\xad\\u2028\\ufeff'"
        );
        assert_eq!(repr("\u{85}"), "'\\x85'");
        assert_eq!(repr("back\\slash"), "'back\\\\slash'");
    }
}
