//! `range` and its iterators. Bounds are arbitrary ints; iteration over a
//! range whose items fit a machine word (nearly all) runs on `isize`.

use crate::exc;
use crate::heap::Marker;
use crate::int::{self, Int};
use crate::object::{
    bool_value, new_object, not_implemented, obj, CmpOp, Header, TypeObject, Value, OBJECT_TYPE, R,
};
use crate::ops;
use alloc::string::String;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, Zero};

#[repr(C)]
pub struct RangeObject {
    pub header: Header,
    /// Ints (tagged or big).
    pub start: Value,
    pub stop: Value,
    pub step: Value,
    /// The number of items, an int.
    pub len: Value,
}

/// Iterator over a range of machine integers (compiled code steps it
/// inline: abi.rs `layout::RANGE_ITER_*`).
#[repr(C)]
pub struct RangeIterObject {
    pub header: Header,
    pub next: isize,
    pub step: isize,
    pub remaining: usize,
}

const _: () = {
    use crate::abi::layout;
    use core::mem::{offset_of, size_of};
    assert!(offset_of!(RangeIterObject, next) == layout::RANGE_ITER_NEXT * size_of::<usize>());
    assert!(offset_of!(RangeIterObject, step) == layout::RANGE_ITER_STEP * size_of::<usize>());
    assert!(
        offset_of!(RangeIterObject, remaining) == layout::RANGE_ITER_REMAINING * size_of::<usize>()
    );
};

/// Iterator over any range (`longrange_iterator`): ints as values.
#[repr(C)]
pub struct LongRangeIterObject {
    pub header: Header,
    pub next: Value,
    pub step: Value,
    pub remaining: Value,
}

fn range(v: Value) -> &'static RangeObject {
    unsafe { obj::<RangeObject>(v) }
}

fn big(v: Value) -> BigInt {
    match int::as_int(v) {
        Some(i) => i.to_big().into_owned(),
        None => BigInt::zero(),
    }
}

/// Number of items of `range(start, stop, step)` (`compute_range_length`).
fn length(start: &BigInt, stop: &BigInt, step: &BigInt) -> BigInt {
    let one = BigInt::from(1);
    if step.is_positive() && start < stop {
        (stop - start - &one).div_floor(step) + one
    } else if step.is_negative() && start > stop {
        (start - stop - &one).div_floor(&-step) + one
    } else {
        BigInt::zero()
    }
}

fn range_len(v: Value) -> R<usize> {
    int::to_isize(range(v).len)
        .map(|n| n as usize)
        .ok_or_else(|| exc::overflow_error("Python int too large to convert to C ssize_t"))
}

fn range_bool(v: Value) -> bool {
    range(v).len != int::tag(0)
}

fn range_repr(v: Value, out: &mut String) -> R<()> {
    let r = range(v);
    out.push_str("range(");
    int::int_repr(r.start, out)?;
    out.push_str(", ");
    int::int_repr(r.stop, out)?;
    if r.step != int::tag(1) {
        out.push_str(", ");
        int::int_repr(r.step, out)?;
    }
    out.push(')');
    Ok(())
}

fn range_richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    if !matches!(op, CmpOp::Eq | CmpOp::Ne)
        || !core::ptr::eq(crate::object::type_of(b), &RANGE_TYPE)
    {
        return Ok(not_implemented());
    }
    // Equal as sequences (`range_equals`).
    let (x, y) = (range(a), range(b));
    let same = if !ops::eq(x.len, y.len)? {
        false
    } else if x.len == int::tag(0) {
        true
    } else if !ops::eq(x.start, y.start)? {
        false
    } else {
        x.len == int::tag(1) || ops::eq(x.step, y.step)?
    };
    Ok(bool_value(same == (op == CmpOp::Eq)))
}

fn range_getitem(v: Value, index: Value) -> R<Value> {
    let r = range(v);
    let Some(i) = int::as_int(index) else {
        let mut m = String::from("range indices must be integers or slices, not ");
        m.push_str(crate::object::type_of(index).name);
        return Err(exc::type_error(&m));
    };
    let len = big(r.len);
    let mut i = i.to_big().into_owned();
    if i.is_negative() {
        i += &len;
    }
    if i.is_negative() || i >= len {
        return Err(exc::index_error("range object index out of range"));
    }
    Ok(int::from_big(big(r.start) + i * big(r.step)))
}

fn range_contains(v: Value, item: Value) -> R<bool> {
    let r = range(v);
    if let Some(x) = int::as_int(item) {
        let (x, start, stop, step) = (x.to_big(), big(r.start), big(r.stop), big(r.step));
        let inside = if step.is_positive() {
            start <= *x && *x < stop
        } else {
            stop < *x && *x <= start
        };
        return Ok(inside && (&*x - &start).mod_floor(&step).is_zero());
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
    // With start and stop machine integers, every item is one too.
    if let (Some(start), Some(step), Some(len), Some(_)) = (
        int::to_isize(r.start),
        int::to_isize(r.step),
        int::to_isize(r.len),
        int::to_isize(r.stop),
    ) {
        let it = new_object::<RangeIterObject>(&RANGE_ITER_TYPE);
        it.next = start;
        it.step = step;
        it.remaining = len as usize;
        return Ok(it as *mut RangeIterObject as Value);
    }
    let it = new_object::<LongRangeIterObject>(&LONG_RANGE_ITER_TYPE);
    it.next = r.start;
    it.step = r.step;
    it.remaining = r.len;
    Ok(it as *mut LongRangeIterObject as Value)
}

/// A range bound: an int, or `TypeError`.
fn bound(v: Value) -> R<Value> {
    match int::as_int(v) {
        Some(Int::Small(n)) => Ok(int::from_i64(n)),
        Some(Int::Big(_)) => Ok(v),
        None => int::index_isize(v).map(int::from_isize),
    }
}

/// `range(stop)`, `range(start, stop[, step])`.
pub(crate) fn range_new(ty: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    // CPython compares the bounds with `PyObject_RichCompare` (a level of
    // recursion) to compute the length.
    ops::recursive_call(" in comparison", || range_new_impl(ty, args, kwnames))
}

fn range_new_impl(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    if ops::kwnames_len(kwnames) > 0 {
        return Err(exc::type_error("range() takes no keyword arguments"));
    }
    let (start, stop, step) = match args {
        [stop] => (int::tag(0), bound(*stop)?, int::tag(1)),
        [start, stop] => (bound(*start)?, bound(*stop)?, int::tag(1)),
        [start, stop, step] => {
            let (a, b, c) = (bound(*start)?, bound(*stop)?, bound(*step)?);
            if c == int::tag(0) {
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
    let len = match (
        int::to_isize(start),
        int::to_isize(stop),
        int::to_isize(step),
    ) {
        (Some(a), Some(b), Some(c)) => int::from_i64(small_length(a, b, c) as i64),
        _ => int::from_big(length(&big(start), &big(stop), &big(step))),
    };
    let r = new_object::<RangeObject>(&RANGE_TYPE);
    r.start = start;
    r.stop = stop;
    r.step = step;
    r.len = len;
    Ok(r as *mut RangeObject as Value)
}

fn small_length(start: isize, stop: isize, step: isize) -> u128 {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    if step > 0 && start < stop {
        ((stop - start - 1) / step + 1) as u128
    } else if step < 0 && start > stop {
        ((start - stop - 1) / -step + 1) as u128
    } else {
        0
    }
}

fn range_trace(o: usize, m: &mut Marker) {
    let r = range(o);
    m.mark(r.start);
    m.mark(r.stop);
    m.mark(r.step);
    m.mark(r.len);
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

fn long_range_iter_next(v: Value) -> R<Option<Value>> {
    let it = unsafe { obj::<LongRangeIterObject>(v) };
    let remaining = big(it.remaining);
    if !remaining.is_positive() {
        return Ok(None);
    }
    let x = it.next;
    it.remaining = int::from_big(remaining - 1);
    it.next = int::from_big(big(x) + big(it.step));
    Ok(Some(x))
}

fn long_range_iter_trace(o: usize, m: &mut Marker) {
    let it = unsafe { obj::<LongRangeIterObject>(o) };
    m.mark(it.next);
    m.mark(it.step);
    m.mark(it.remaining);
}

fn self_iter(v: Value) -> R<Value> {
    Ok(v)
}

fn no_trace(_: usize, _: &mut Marker) {}

#[export_name = "pyrt_type_range"]
pub static RANGE_TYPE: TypeObject = TypeObject {
    repr: Some(range_repr),
    richcompare: Some(range_richcompare),
    to_bool: Some(range_bool),
    len: Some(range_len),
    getitem: Some(range_getitem),
    contains: Some(range_contains),
    iter: Some(range_iter),
    trace: Some(range_trace),
    ..TypeObject::new("range", Some(&OBJECT_TYPE))
};

// Compiled code steps a range iterator inline (abi::layout::RANGE_ITER_*).
const _: () = {
    use crate::abi::layout;
    use core::mem::{offset_of, size_of};
    assert!(offset_of!(RangeIterObject, next) == layout::RANGE_ITER_NEXT * size_of::<usize>());
    assert!(offset_of!(RangeIterObject, step) == layout::RANGE_ITER_STEP * size_of::<usize>());
    assert!(
        offset_of!(RangeIterObject, remaining) == layout::RANGE_ITER_REMAINING * size_of::<usize>()
    );
};

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static pyrt_type_range_iter: TypeObject = TypeObject {
    iter: Some(self_iter),
    next: Some(range_iter_next),
    trace: Some(no_trace),
    ..TypeObject::new("range_iterator", Some(&OBJECT_TYPE))
};

pub use pyrt_type_range_iter as RANGE_ITER_TYPE;

pub static LONG_RANGE_ITER_TYPE: TypeObject = TypeObject {
    iter: Some(self_iter),
    next: Some(long_range_iter_next),
    trace: Some(long_range_iter_trace),
    ..TypeObject::new("longrange_iterator", Some(&OBJECT_TYPE))
};
