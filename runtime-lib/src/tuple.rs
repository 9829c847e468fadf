//! `tuple`: an immutable array of values, stored inline.

use crate::exc;
use crate::heap::Marker;
use crate::object::{obj, type_of, CmpOp, Header, TypeObject, Value, OBJECT_TYPE, R};
use crate::ops;
use alloc::string::String;

#[repr(C)]
pub struct TupleObject {
    pub header: Header,
    pub len: usize,
    // `len` values follow.
}

const ITEMS: usize = core::mem::size_of::<TupleObject>();

/// A new tuple of `n` NULL items, or `MemoryError`.
pub fn try_new(n: usize) -> R<Value> {
    let size = n
        .checked_mul(core::mem::size_of::<Value>())
        .and_then(|b| b.checked_add(ITEMS))
        .ok_or_else(exc::memory_error)?;
    let p = crate::heap::try_alloc(size, &TUPLE_TYPE).ok_or_else(exc::memory_error)?;
    unsafe { obj::<TupleObject>(p as Value).len = n };
    Ok(p as Value)
}

/// A new tuple of `n` NULL items, to be filled by the caller.
pub fn new(n: usize) -> Value {
    let p = crate::heap::alloc(ITEMS + n * core::mem::size_of::<Value>(), &TUPLE_TYPE);
    unsafe { obj::<TupleObject>(p as Value).len = n };
    p as Value
}

pub fn new_from(items: &[Value]) -> Value {
    let t = new(items.len());
    items_mut(t).copy_from_slice(items);
    t
}

pub fn is_tuple(v: Value) -> bool {
    v & 1 == 0 && core::ptr::eq(type_of(v), &TUPLE_TYPE)
}

pub fn len(v: Value) -> usize {
    unsafe { obj::<TupleObject>(v).len }
}

pub fn items(v: Value) -> &'static [Value] {
    unsafe { core::slice::from_raw_parts((v + ITEMS) as *const Value, len(v)) }
}

pub fn items_mut(v: Value) -> &'static mut [Value] {
    unsafe { core::slice::from_raw_parts_mut((v + ITEMS) as *mut Value, len(v)) }
}

/// Keyword name `k` of a `kwnames` tuple.
pub fn kwname(kwnames: Value, k: usize) -> &'static str {
    crate::str::as_str(items(kwnames)[k])
}

fn tuple_repr(v: Value, out: &mut String) -> R<()> {
    let items = items(v);
    if items.is_empty() {
        out.push_str("()");
        return Ok(());
    }
    if !ops::repr_enter(v, out, "(...)") {
        return Ok(());
    }
    out.push('(');
    let mut r = Ok(());
    for (i, &x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        r = ops::repr_into(x, out);
        if r.is_err() {
            break;
        }
    }
    ops::repr_leave(v);
    r?;
    if items.len() == 1 {
        out.push(',');
    }
    out.push(')');
    Ok(())
}

fn tuple_richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    if !is_tuple(b) {
        return Ok(crate::object::not_implemented());
    }
    ops::sequence_richcompare(items(a), items(b), op)
}

fn tuple_len(v: Value) -> R<usize> {
    Ok(len(v))
}

fn tuple_getitem(v: Value, index: Value) -> R<Value> {
    let i = ops::sequence_index(index, len(v), "tuple index out of range", |t| {
        let mut m = String::from("tuple indices must be integers or slices, not ");
        m.push_str(t);
        m
    })?;
    Ok(items(v)[i])
}

fn tuple_contains(v: Value, item: Value) -> R<bool> {
    for &x in items(v) {
        if ops::eq(x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn tuple_concat(a: Value, b: Value) -> R<Value> {
    if !is_tuple(b) {
        let mut m = String::from("can only concatenate tuple (not \"");
        m.push_str(type_of(b).name);
        m.push_str("\") to tuple");
        return Err(exc::type_error(&m));
    }
    let (x, y) = (items(a), items(b));
    let t = new(x.len() + y.len());
    items_mut(t)[..x.len()].copy_from_slice(x);
    items_mut(t)[x.len()..].copy_from_slice(y);
    Ok(t)
}

/// `tuple * n`: `MemoryError` when the items do not fit.
fn tuple_repeat(a: Value, n: isize) -> R<Value> {
    let n = n.max(0) as usize;
    let total = len(a).checked_mul(n).ok_or_else(exc::memory_error)?;
    let t = try_new(total)?;
    unsafe { ops::repeat_into(items_mut(t).as_mut_ptr(), items(a), n) };
    Ok(t)
}

pub(crate) fn tuple_new(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    ops::no_keywords("tuple", kwnames)?;
    match args {
        [] => Ok(new(0)),
        [x] if is_tuple(*x) => Ok(*x),
        [x] => {
            let l = crate::list::from_iterable(*x)?;
            Ok(new_from(crate::list::items(l)))
        }
        _ => {
            let mut m = String::from("tuple expected at most 1 argument, got ");
            ops::push_usize(&mut m, args.len());
            Err(exc::type_error(&m))
        }
    }
}

fn tuple_trace(o: usize, m: &mut Marker) {
    for &x in items(o) {
        m.mark(x);
    }
}

#[export_name = "pyrt_type_tuple"]
pub static TUPLE_TYPE: TypeObject = TypeObject {
    repr: Some(tuple_repr),
    richcompare: Some(tuple_richcompare),
    len: Some(tuple_len),
    getitem: Some(tuple_getitem),
    contains: Some(tuple_contains),
    concat: Some(tuple_concat),
    repeat: Some(tuple_repeat),
    iter: Some(crate::list::seq_iter),
    trace: Some(tuple_trace),
    ..TypeObject::new("tuple", Some(&OBJECT_TYPE))
};
