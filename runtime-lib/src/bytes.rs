//! `bytes`: an immutable byte string, stored inline.

use crate::abi::layout;
use crate::exc;
use crate::object::{
    bool_value, not_implemented, obj, type_of, CmpOp, Header, TypeObject, Value, OBJECT_TYPE, R,
};
use crate::{int, ops};
use alloc::string::String;
use core::mem::{offset_of, size_of};

#[repr(C)]
pub struct BytesObject {
    pub header: Header,
    pub len: usize,
    // `len` bytes follow.
}

const DATA: usize = size_of::<BytesObject>();
const _: () = assert!(offset_of!(BytesObject, len) == layout::BYTES_LEN * size_of::<usize>());
const _: () = assert!(DATA == layout::BYTES_DATA * size_of::<usize>());

pub fn new(data: &[u8]) -> Value {
    let p = crate::heap::alloc(DATA + data.len(), &pyrt_type_bytes);
    unsafe {
        obj::<BytesObject>(p as Value).len = data.len();
        core::ptr::copy_nonoverlapping(data.as_ptr(), p.add(DATA), data.len());
    }
    p as Value
}

pub fn is_bytes(v: Value) -> bool {
    v & 1 == 0 && core::ptr::eq(type_of(v), &pyrt_type_bytes)
}

pub fn as_bytes(v: Value) -> &'static [u8] {
    unsafe { core::slice::from_raw_parts((v + DATA) as *const u8, obj::<BytesObject>(v).len) }
}

/// `repr(bytes)` <- Objects/bytesobject.c `PyBytes_Repr`.
pub fn repr_bytes(b: &[u8], out: &mut String) {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
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
                out.push_str("\\x");
                out.push(b"0123456789abcdef"[(c >> 4) as usize] as char);
                out.push(b"0123456789abcdef"[(c & 15) as usize] as char);
            }
        }
    }
    out.push(quote as char);
}

fn bytes_repr(v: Value, out: &mut String) -> R<()> {
    repr_bytes(as_bytes(v), out);
    Ok(())
}

fn bytes_richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    if !is_bytes(b) {
        return Ok(not_implemented());
    }
    Ok(bool_value(op.test(as_bytes(a).cmp(as_bytes(b)))))
}

fn bytes_len(v: Value) -> R<usize> {
    Ok(as_bytes(v).len())
}

fn bytes_getitem(v: Value, index: Value) -> R<Value> {
    let b = as_bytes(v);
    let i = ops::sequence_index(index, b.len(), "index out of range", |t| {
        let mut m = String::from("byte indices must be integers or slices, not ");
        m.push_str(t);
        m
    })?;
    Ok(int::tag(b[i] as isize))
}

fn bytes_contains(v: Value, item: Value) -> R<bool> {
    let hay = as_bytes(v);
    if is_bytes(item) {
        let needle = as_bytes(item);
        return Ok(needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle));
    }
    if int::is_int(item) {
        return match int::to_isize(item) {
            Some(n @ 0..=255) => Ok(hay.contains(&(n as u8))),
            _ => Err(exc::value_error("byte must be in range(0, 256)")),
        };
    }
    let mut m = String::from("a bytes-like object is required, not '");
    m.push_str(type_of(item).name);
    m.push('\'');
    Err(exc::type_error(&m))
}

fn bytes_concat(a: Value, b: Value) -> R<Value> {
    if !is_bytes(b) {
        let mut m = String::from("can't concat ");
        m.push_str(type_of(b).name);
        m.push_str(" to bytes");
        return Err(exc::type_error(&m));
    }
    let (x, y) = (as_bytes(a), as_bytes(b));
    let p = crate::heap::alloc(DATA + x.len() + y.len(), &pyrt_type_bytes);
    unsafe {
        obj::<BytesObject>(p as Value).len = x.len() + y.len();
        core::ptr::copy_nonoverlapping(x.as_ptr(), p.add(DATA), x.len());
        core::ptr::copy_nonoverlapping(y.as_ptr(), p.add(DATA + x.len()), y.len());
    }
    Ok(p as Value)
}

/// A new bytes of `n` zero bytes, or `MemoryError`.
fn try_new_zeroed(n: usize) -> R<Value> {
    let size = n.checked_add(DATA).ok_or_else(exc::memory_error)?;
    let p = crate::heap::try_alloc(size, &pyrt_type_bytes).ok_or_else(exc::memory_error)?;
    unsafe { obj::<BytesObject>(p as Value).len = n };
    Ok(p as Value)
}

/// `bytes * n`: `OverflowError` when the length does not fit a
/// `Py_ssize_t`, `MemoryError` when it does not fit in memory.
fn bytes_repeat(a: Value, n: isize) -> R<Value> {
    let n = n.max(0) as usize;
    let total = match as_bytes(a).len().checked_mul(n) {
        Some(t) if t <= isize::MAX as usize => t,
        _ => return Err(exc::overflow_error("repeated bytes are too long")),
    };
    let b = try_new_zeroed(total)?;
    unsafe { ops::repeat_into((b + DATA) as *mut u8, as_bytes(a), n) };
    Ok(b)
}

/// `bytes()`, `bytes(n)`, `bytes(iterable_of_ints)`: `bytes_new_impl`.
pub(crate) fn bytes_new(ty: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    // In CPython 3.11 a `tp_call` (a level of recursion).
    ops::recursive_call(ops::WHILE_CALLING, || bytes_new_impl(ty, args, kwnames))
}

fn bytes_new_impl(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    ops::no_keywords("bytes", kwnames)?;
    let x = match args {
        [] => return Ok(new(b"")),
        [x] => *x,
        _ if args.len() > 3 => {
            let mut m = String::from("bytes() takes at most 3 arguments (");
            ops::push_usize(&mut m, args.len());
            m.push_str(" given)");
            return Err(exc::type_error(&m));
        }
        [x, ..] => {
            if crate::str::is_str(*x) {
                return Ok(new(crate::str::as_str(*x).as_bytes()));
            }
            return Err(exc::type_error("encoding without a string argument"));
        }
    };
    if is_bytes(x) {
        return Ok(x);
    }
    if crate::str::is_str(x) {
        return Err(exc::type_error("string argument without an encoding"));
    }
    if int::is_int(x) {
        let n = int::index_isize(x)?;
        if n < 0 {
            return Err(exc::value_error("negative count"));
        }
        return try_new_zeroed(n as usize);
    }
    if type_of(x).iter.is_none() {
        let mut m = String::from("cannot convert '");
        m.push_str(type_of(x).name);
        m.push_str("' object to bytes");
        return Err(exc::type_error(&m));
    }
    let mut data = alloc::vec::Vec::new();
    let it = ops::get_iter(x)?;
    while let Some(item) = ops::next(it)? {
        let n = int::index_isize(item)?;
        if !(0..256).contains(&n) {
            return Err(exc::value_error("bytes must be in range(0, 256)"));
        }
        data.push(n as u8);
    }
    Ok(new(&data))
}

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static pyrt_type_bytes: TypeObject = TypeObject {
    repr: Some(bytes_repr),
    richcompare: Some(bytes_richcompare),
    len: Some(bytes_len),
    getitem: Some(bytes_getitem),
    contains: Some(bytes_contains),
    concat: Some(bytes_concat),
    repeat: Some(bytes_repeat),
    iter: Some(crate::list::seq_iter),
    ..TypeObject::new("bytes", Some(&OBJECT_TYPE))
};

pub use pyrt_type_bytes as BYTES_TYPE;
