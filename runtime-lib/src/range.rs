//! `range` and its iterator. Bounds are machine integers.

use crate::exc;
use crate::heap::Marker;
use crate::int;
use crate::object::{new_object, obj, Header, TypeObject, Value, OBJECT_TYPE, R};
use crate::ops;
use alloc::string::String;

#[repr(C)]
pub struct RangeObject {
    pub header: Header,
    pub start: isize,
    pub stop: isize,
    pub step: isize,
}

#[repr(C)]
pub struct RangeIterObject {
    pub header: Header,
    pub next: isize,
    pub step: isize,
    pub remaining: usize,
}

fn range(v: Value) -> &'static RangeObject {
    unsafe { obj::<RangeObject>(v) }
}

/// Number of items of `range(start, stop, step)`.
fn length(start: isize, stop: isize, step: isize) -> usize {
    if step > 0 && start < stop {
        ((stop as i128 - start as i128 - 1) / step as i128 + 1) as usize
    } else if step < 0 && start > stop {
        ((start as i128 - stop as i128 - 1) / (-(step as i128)) + 1) as usize
    } else {
        0
    }
}

fn range_len(v: Value) -> R<usize> {
    let r = range(v);
    Ok(length(r.start, r.stop, r.step))
}

fn range_bool(v: Value) -> bool {
    let r = range(v);
    length(r.start, r.stop, r.step) > 0
}

fn range_repr(v: Value, out: &mut String) -> R<()> {
    let r = range(v);
    out.push_str("range(");
    crate::num::int::push_i64(out, r.start as i64);
    out.push_str(", ");
    crate::num::int::push_i64(out, r.stop as i64);
    if r.step != 1 {
        out.push_str(", ");
        crate::num::int::push_i64(out, r.step as i64);
    }
    out.push(')');
    Ok(())
}

fn range_getitem(v: Value, index: Value) -> R<Value> {
    let r = range(v);
    let n = length(r.start, r.stop, r.step);
    let i = ops::sequence_index(index, n, "range object index out of range", |t| {
        let mut m = String::from("range indices must be integers or slices, not ");
        m.push_str(t);
        m
    })?;
    Ok(int::from_i64(r.start as i64 + i as i64 * r.step as i64))
}

fn range_contains(v: Value, item: Value) -> R<bool> {
    let r = range(v);
    if let Some(x) = int::to_isize(item) {
        let inside = if r.step > 0 { r.start <= x && x < r.stop } else { r.stop < x && x <= r.start };
        return Ok(inside && (x as i128 - r.start as i128) % r.step as i128 == 0);
    }
    if int::is_int(item) {
        return Ok(false);
    }
    let it = range_iter(v)?;
    while let Some(x) = ops::next(it)? {
        if ops::eq(x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn range_iter(v: Value) -> R<Value> {
    let r = range(v);
    let it = new_object::<RangeIterObject>(&RANGE_ITER_TYPE);
    it.next = r.start;
    it.step = r.step;
    it.remaining = length(r.start, r.stop, r.step);
    Ok(it as *mut RangeIterObject as Value)
}

/// `range(stop)`, `range(start, stop[, step])`.
fn range_new(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    if ops::kwnames_len(kwnames) > 0 {
        return Err(exc::type_error("range() takes no keyword arguments"));
    }
    let (start, stop, step) = match args {
        [stop] => (0, int::index_isize(*stop)?, 1),
        [start, stop] => (int::index_isize(*start)?, int::index_isize(*stop)?, 1),
        [start, stop, step] => {
            let (a, b, c) = (int::index_isize(*start)?, int::index_isize(*stop)?, int::index_isize(*step)?);
            if c == 0 {
                return Err(exc::value_error("range() arg 3 must not be zero"));
            }
            (a, b, c)
        }
        [] => return Err(exc::type_error("range expected at least 1 argument, got 0")),
        _ => {
            let mut m = String::from("range expected at most 3 arguments, got ");
            ops::push_usize(&mut m, args.len());
            return Err(exc::type_error(&m));
        }
    };
    let r = new_object::<RangeObject>(&RANGE_TYPE);
    r.start = start;
    r.stop = stop;
    r.step = step;
    Ok(r as *mut RangeObject as Value)
}

fn range_iter_next(v: Value) -> R<Option<Value>> {
    let it = unsafe { obj::<RangeIterObject>(v) };
    if it.remaining == 0 {
        return Ok(None);
    }
    let x = it.next;
    it.remaining -= 1;
    it.next = it.next.wrapping_add(it.step);
    Ok(Some(int::from_isize(x)))
}

fn self_iter(v: Value) -> R<Value> {
    Ok(v)
}

fn no_trace(_: usize, _: &mut Marker) {}

pub static RANGE_TYPE: TypeObject = TypeObject {
    repr: Some(range_repr),
    to_bool: Some(range_bool),
    len: Some(range_len),
    getitem: Some(range_getitem),
    contains: Some(range_contains),
    iter: Some(range_iter),
    new: Some(range_new),
    trace: Some(no_trace),
    ..TypeObject::new("range", Some(&OBJECT_TYPE))
};

pub static RANGE_ITER_TYPE: TypeObject = TypeObject {
    iter: Some(self_iter),
    next: Some(range_iter_next),
    trace: Some(no_trace),
    ..TypeObject::new("range_iterator", Some(&OBJECT_TYPE))
};
