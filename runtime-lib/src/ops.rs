//! The abstract object protocol (CPython's Objects/abstract.c and
//! object.c): binary operators with the number-then-sequence slot order,
//! rich comparison with reflected operands, truth, `repr`/`str`, items,
//! iteration, attributes — and the `pyrt_*` entry points compiled code
//! calls for them.

use crate::abi::Value;
use crate::exc;
use crate::int::{self, Int, NB_ADD, NB_INPLACE_BASE, NB_MULTIPLY, NB_POWER};
use crate::object::{
    bool_value, false_, none, not_implemented, true_, type_of, Attr, CmpOp, Raised, TypeObject,
    UnaryOp, R,
};
use crate::{list, str, tuple, Global};
use alloc::string::String;
use alloc::vec::Vec;

/// Turns an internal result into the ABI's "NULL after raising".
#[inline]
pub fn ret(r: R<Value>) -> Value {
    r.unwrap_or(0)
}

/// Turns an internal result into the ABI's status: 0/1, or -1 after raising.
#[inline]
pub fn status(r: R<bool>) -> isize {
    match r {
        Ok(b) => b as isize,
        Err(Raised) => -1,
    }
}

pub fn push_usize(out: &mut String, n: usize) {
    crate::num::int::push_i64(out, n as i64);
}

/// Fills `dst` with `times` copies of `unit` (`seq * n`), doubling the
/// copied prefix like CPython so that a short unit costs few copies.
///
/// # Safety
/// `dst` must have room for `unit.len() * times` items and not overlap
/// `unit`.
pub unsafe fn repeat_into<T: Copy>(dst: *mut T, unit: &[T], times: usize) {
    let total = unit.len() * times;
    if total == 0 {
        return;
    }
    core::ptr::copy_nonoverlapping(unit.as_ptr(), dst, unit.len());
    let mut filled = unit.len();
    while filled < total {
        let k = filled.min(total - filled);
        core::ptr::copy_nonoverlapping(dst, dst.add(filled), k);
        filled += k;
    }
}

pub fn kwnames_len(kwnames: Value) -> usize {
    if kwnames == 0 {
        0
    } else {
        tuple::len(kwnames)
    }
}

/// `name() takes no keyword arguments`.
pub fn no_keywords(name: &str, kwnames: Value) -> R<()> {
    if kwnames_len(kwnames) == 0 {
        return Ok(());
    }
    let mut m = String::from(name);
    m.push_str("() takes no keyword arguments");
    Err(exc::type_error(&m))
}

fn type_name(v: Value) -> &'static str {
    type_of(v).name
}

// ---- repr and str ----------------------------------------------------------------

/// Appends `repr(v)`.
/// Appends `repr(v)` (`PyObject_Repr`: a level of recursion, so that a
/// deeply nested list raises `RecursionError` like CPython).
pub fn repr_into(v: Value, out: &mut String) -> R<()> {
    enter_recursive_call(" while getting the repr of an object")?;
    let r = repr_slot(v, out);
    leave_recursive_call();
    r
}

fn repr_slot(v: Value, out: &mut String) -> R<()> {
    match type_of(v).repr {
        Some(f) => f(v, out),
        None => {
            out.push('<');
            out.push_str(type_name(v));
            out.push_str(" object at ");
            push_address(out, v);
            out.push('>');
            Ok(())
        }
    }
}

/// Appends `str(v)` (`PyObject_Str`: a str is itself, anything else costs
/// a level of recursion; `object.__str__` calls the type's repr directly).
pub fn str_into(v: Value, out: &mut String) -> R<()> {
    if str::is_str(v) {
        out.push_str(str::as_str(v));
        return Ok(());
    }
    enter_recursive_call(" while getting the str of an object")?;
    let r = match type_of(v).str {
        Some(f) => f(v, out),
        None => repr_slot(v, out),
    };
    leave_recursive_call();
    r
}

/// `_Py_EnterRecursiveCall(where)`: C code that may recurse (reprs,
/// comparisons, some builtin calls) counts against the same limit as
/// Python frames; `where` completes the `RecursionError` message.
pub fn enter_recursive_call(where_: &str) -> R<()> {
    use crate::call::{pyrt_recursion_depth, pyrt_recursion_limit};
    unsafe {
        if pyrt_recursion_depth >= pyrt_recursion_limit {
            let mut m = String::from("maximum recursion depth exceeded");
            m.push_str(where_);
            return Err(exc::raise(&exc::RECURSION_ERROR, &m));
        }
        pyrt_recursion_depth += 1;
    }
    Ok(())
}

pub fn leave_recursive_call() {
    unsafe { crate::call::pyrt_recursion_depth -= 1 };
}

/// Runs `f` as one level of C recursion.
pub fn recursive_call<T>(where_: &str, f: impl FnOnce() -> R<T>) -> R<T> {
    enter_recursive_call(where_)?;
    let r = f();
    leave_recursive_call();
    r
}

pub const WHILE_CALLING: &str = " while calling a Python object";

pub fn push_address(out: &mut String, v: Value) {
    out.push_str("0x");
    let mut started = false;
    for i in (0..usize::BITS / 4).rev() {
        let d = (v >> (4 * i)) & 15;
        if d != 0 || started || i == 0 {
            started = true;
            out.push(b"0123456789abcdef"[d] as char);
        }
    }
}

/// `str(v)` as a str object.
pub fn str(v: Value) -> R<Value> {
    if str::is_str(v) {
        return Ok(v);
    }
    let mut s = String::new();
    str_into(v, &mut s)?;
    Ok(str::new(&s))
}

/// `repr(v)` as a str object.
pub fn repr(v: Value) -> R<Value> {
    let mut s = String::new();
    repr_into(v, &mut s)?;
    Ok(str::new(&s))
}

/// Containers whose repr is running (`Py_ReprEnter`): a list that contains
/// itself prints as `[[...]]`.
static REPR_STACK: Global<Vec<Value>> = Global::new(Vec::new());

/// Starts the repr of container `v`; false (after appending `cycle`) when
/// `v`'s repr is already running.
pub fn repr_enter(v: Value, out: &mut String, cycle: &str) -> bool {
    let stack = REPR_STACK.get();
    if stack.contains(&v) {
        out.push_str(cycle);
        return false;
    }
    stack.push(v);
    true
}

pub fn repr_leave(v: Value) {
    let stack = REPR_STACK.get();
    if let Some(i) = stack.iter().rposition(|&x| x == v) {
        stack.remove(i);
    }
}

// ---- truth, comparison -------------------------------------------------------------

/// `bool(v)` (`PyObject_IsTrue`).
pub fn is_true(v: Value) -> R<bool> {
    if v == true_() {
        return Ok(true);
    }
    if v == false_() || v == none() {
        return Ok(false);
    }
    if int::is_small(v) {
        return Ok(int::untag(v) != 0);
    }
    let ty = type_of(v);
    if let Some(f) = ty.to_bool {
        return Ok(f(v));
    }
    if let Some(f) = ty.len {
        return Ok(f(v)? != 0);
    }
    Ok(true)
}

/// `a op b` (`PyObject_RichCompare`: a level of recursion).
pub fn richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    recursive_call(" in comparison", || do_richcompare(a, b, op))
}

/// `COMPARE_OP`: the operand types CPython 3.11 compares with specialised
/// instructions (int/int, float/float, str == str) skip
/// `PyObject_RichCompare` and its level of recursion.
fn compare_op(a: Value, b: Value, op: CmpOp) -> R<Value> {
    if int::is_small(a) && int::is_small(b) {
        return Ok(bool_value(op.test(int::untag(a).cmp(&int::untag(b)))));
    }
    let (ta, tb) = (type_of(a), type_of(b));
    let specialised = core::ptr::eq(ta, tb)
        && (core::ptr::eq(ta, &int::INT_TYPE)
            || ta.specialised_compare
            || (core::ptr::eq(ta, &str::STR_TYPE) && matches!(op, CmpOp::Eq | CmpOp::Ne)));
    if specialised {
        do_richcompare(a, b, op)
    } else {
        richcompare(a, b, op)
    }
}

fn do_richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    if int::is_small(a) && int::is_small(b) {
        return Ok(bool_value(op.test(int::untag(a).cmp(&int::untag(b)))));
    }
    let (ta, tb) = (type_of(a), type_of(b));
    let mut reflected_done = false;
    if !core::ptr::eq(ta, tb) && tb.is_subtype(ta) {
        if let Some(f) = tb.richcompare {
            reflected_done = true;
            let r = f(b, a, op.swapped())?;
            if r != not_implemented() {
                return Ok(r);
            }
        }
    }
    if let Some(f) = ta.richcompare {
        let r = f(a, b, op)?;
        if r != not_implemented() {
            return Ok(r);
        }
    }
    if !reflected_done {
        if let Some(f) = tb.richcompare {
            let r = f(b, a, op.swapped())?;
            if r != not_implemented() {
                return Ok(r);
            }
        }
    }
    match op {
        CmpOp::Eq => Ok(bool_value(a == b)),
        CmpOp::Ne => Ok(bool_value(a != b)),
        _ => {
            let mut m = String::from("'");
            m.push_str(op.symbol());
            m.push_str("' not supported between instances of '");
            m.push_str(ta.name);
            m.push_str("' and '");
            m.push_str(tb.name);
            m.push('\'');
            Err(exc::type_error(&m))
        }
    }
}

/// `PyObject_RichCompareBool`: identity implies equality.
pub fn compare_bool(a: Value, b: Value, op: CmpOp) -> R<bool> {
    if a == b {
        if op == CmpOp::Eq {
            return Ok(true);
        }
        if op == CmpOp::Ne {
            return Ok(false);
        }
    }
    let r = richcompare(a, b, op)?;
    is_true(r)
}

pub fn eq(a: Value, b: Value) -> R<bool> {
    compare_bool(a, b, CmpOp::Eq)
}

/// Lexicographic comparison of two sequences (`list_richcompare`).
pub fn sequence_richcompare(a: &[Value], b: &[Value], op: CmpOp) -> R<Value> {
    if a.len() != b.len() && matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return Ok(bool_value(op == CmpOp::Ne));
    }
    let n = a.len().min(b.len());
    for i in 0..n {
        if !eq(a[i], b[i])? {
            return match op {
                CmpOp::Eq => Ok(false_()),
                CmpOp::Ne => Ok(true_()),
                _ => richcompare(a[i], b[i], op),
            };
        }
    }
    Ok(bool_value(op.test(a.len().cmp(&b.len()))))
}

// ---- binary and unary operators ---------------------------------------------------

const NB_SYMBOLS: [&str; 13] = [
    "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
];
const NB_INPLACE_SYMBOLS: [&str; 13] = [
    "+=", "&=", "//=", "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=", "/=", "^=",
];

/// `a op b` for a `BINARY_OP` oparg (`PyNumber_Add` & co.).
pub fn binary_op(a: Value, b: Value, op: u32) -> R<Value> {
    if op > 25 {
        return Err(exc::raise(&exc::SYSTEM_ERROR, "bad BINARY_OP argument"));
    }
    let inplace = op >= NB_INPLACE_BASE;
    let base = if inplace { op - NB_INPLACE_BASE } else { op };
    let (ta, tb) = (type_of(a), type_of(b));
    if inplace && base == NB_ADD {
        if let Some(f) = ta.inplace_concat {
            return f(a, b);
        }
    }
    if let Some(f) = ta.number {
        let r = f(a, b, op)?;
        if r != not_implemented() {
            return Ok(r);
        }
    }
    if !core::ptr::eq(ta, tb) {
        if let Some(f) = tb.number {
            let r = f(a, b, op)?;
            if r != not_implemented() {
                return Ok(r);
            }
        }
    }
    if base == NB_ADD {
        if let Some(f) = ta.concat {
            return f(a, b);
        }
    }
    if base == NB_MULTIPLY {
        if let Some(f) = ta.repeat {
            return f(a, repeat_count(b)?);
        }
        if let Some(f) = tb.repeat {
            return f(b, repeat_count(a)?);
        }
    }
    let mut m = String::from("unsupported operand type(s) for ");
    m.push_str(if base == NB_POWER && !inplace {
        "** or pow()"
    } else if inplace {
        NB_INPLACE_SYMBOLS[base as usize]
    } else {
        NB_SYMBOLS[base as usize]
    });
    m.push_str(": '");
    m.push_str(ta.name);
    m.push_str("' and '");
    m.push_str(tb.name);
    m.push('\'');
    Err(exc::type_error(&m))
}

/// The count of `seq * n` (`sequence_repeat`).
fn repeat_count(n: Value) -> R<isize> {
    match int::as_int(n) {
        Some(Int::Small(k)) => Ok(k.clamp(isize::MIN as i64, isize::MAX as i64) as isize),
        Some(Int::Big(_)) => int::to_isize(n).ok_or_else(|| {
            let mut m = String::from("cannot fit '");
            m.push_str(type_name(n));
            m.push_str("' into an index-sized integer");
            exc::overflow_error(&m)
        }),
        None => {
            let mut m = String::from("can't multiply sequence by non-int of type '");
            m.push_str(type_name(n));
            m.push('\'');
            Err(exc::type_error(&m))
        }
    }
}

pub fn unary(a: Value, op: UnaryOp) -> R<Value> {
    let ty = type_of(a);
    if let Some(f) = ty.unary {
        let r = f(a, op)?;
        if r != not_implemented() {
            return Ok(r);
        }
    }
    let mut m = String::from("bad operand type for unary ");
    m.push_str(match op {
        UnaryOp::Neg => "-",
        UnaryOp::Pos => "+",
        UnaryOp::Invert => "~",
    });
    m.push_str(": '");
    m.push_str(ty.name);
    m.push('\'');
    Err(exc::type_error(&m))
}

// ---- items, length, iteration ------------------------------------------------------

/// Normalises a sequence index: negative counts from the end; out of
/// range raises `IndexError(oob)`; a non-int raises `TypeError(type_msg)`.
pub fn sequence_index(
    index: Value,
    len: usize,
    oob: &str,
    type_msg: impl Fn(&str) -> String,
) -> R<usize> {
    match int::as_int(index) {
        Some(Int::Small(i)) => {
            let i = if i < 0 { i + len as i64 } else { i };
            if i < 0 || i >= len as i64 {
                Err(exc::index_error(oob))
            } else {
                Ok(i as usize)
            }
        }
        Some(Int::Big(_)) => {
            let mut m = String::from("cannot fit '");
            m.push_str(type_name(index));
            m.push_str("' into an index-sized integer");
            Err(exc::index_error(&m))
        }
        None => Err(exc::type_error(&type_msg(type_name(index)))),
    }
}

/// `len(v)`.
pub fn len(v: Value) -> R<usize> {
    match type_of(v).len {
        Some(f) => f(v),
        None => {
            let mut m = String::from("object of type '");
            m.push_str(type_name(v));
            m.push_str("' has no len()");
            Err(exc::type_error(&m))
        }
    }
}

pub fn getitem(c: Value, index: Value) -> R<Value> {
    match type_of(c).getitem {
        Some(f) => f(c, index),
        None => {
            let mut m = String::from("'");
            m.push_str(type_name(c));
            m.push_str("' object is not subscriptable");
            Err(exc::type_error(&m))
        }
    }
}

pub fn setitem(c: Value, index: Value, v: Value) -> R<()> {
    match type_of(c).setitem {
        Some(f) => f(c, index, v),
        None => {
            let mut m = String::from("'");
            m.push_str(type_name(c));
            m.push_str("' object does not support item assignment");
            Err(exc::type_error(&m))
        }
    }
}

pub fn delitem(c: Value, index: Value) -> R<()> {
    if list::is_list(c) {
        let i = sequence_index(
            index,
            list::len(c),
            "list assignment index out of range",
            |t| {
                let mut m = String::from("list indices must be integers or slices, not ");
                m.push_str(t);
                m
            },
        )?;
        list::remove(c, i);
        return Ok(());
    }
    let mut m = String::from("'");
    m.push_str(type_name(c));
    m.push_str(if type_of(c).getitem.is_some() {
        "' object doesn't support item deletion"
    } else {
        "' object does not support item deletion"
    });
    Err(exc::type_error(&m))
}

/// `iter(v)`.
pub fn get_iter(v: Value) -> R<Value> {
    match type_of(v).iter {
        Some(f) => f(v),
        None => {
            let mut m = String::from("'");
            m.push_str(type_name(v));
            m.push_str("' object is not iterable");
            Err(exc::type_error(&m))
        }
    }
}

/// `next(it)`, `None` when exhausted.
pub fn next(it: Value) -> R<Option<Value>> {
    match type_of(it).next {
        Some(f) => f(it),
        None => {
            let mut m = String::from("'");
            m.push_str(type_name(it));
            m.push_str("' object is not an iterator");
            Err(exc::type_error(&m))
        }
    }
}

/// `item in container` (`PySequence_Contains`).
pub fn contains(container: Value, item: Value) -> R<bool> {
    let ty = type_of(container);
    if let Some(f) = ty.contains {
        return f(container, item);
    }
    if ty.iter.is_some() {
        let it = get_iter(container)?;
        while let Some(x) = next(it)? {
            if eq(x, item)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    let mut m = String::from("argument of type '");
    m.push_str(ty.name);
    m.push_str("' is not iterable");
    Err(exc::type_error(&m))
}

// ---- attributes ----------------------------------------------------------------------

fn no_attribute(o: Value, name: Value) -> Raised {
    let mut m = String::from("'");
    m.push_str(type_name(o));
    m.push_str("' object has no attribute '");
    m.push_str(str::as_str(name));
    m.push('\'');
    exc::raise(&exc::ATTRIBUTE_ERROR, &m)
}

fn find_attr(o: Value, name: Value) -> R<Attr> {
    let ty: &'static TypeObject = type_of(o);
    let found = match ty.getattr {
        Some(f) => f(o, str::as_str(name).as_bytes())?,
        None => None,
    };
    found.ok_or_else(|| no_attribute(o, name))
}

/// `o.name`.
pub fn getattr(o: Value, name: Value) -> R<Value> {
    match find_attr(o, name)? {
        Attr::Value(v) => Ok(v),
        Attr::Method(m) => Ok(crate::call::bind_method(m, o)),
    }
}

// ---- ABI entry points -------------------------------------------------------------------

#[no_mangle]
pub extern "C" fn pyrt_binary_op(a: Value, b: Value, op: usize) -> Value {
    ret(binary_op(a, b, op as u32))
}

#[no_mangle]
pub extern "C" fn pyrt_compare_op(a: Value, b: Value, op: usize) -> Value {
    match CmpOp::from_index(op) {
        Some(op) => ret(compare_op(a, b, op)),
        None => 0,
    }
}

#[no_mangle]
pub extern "C" fn pyrt_compare_bool(a: Value, b: Value, op: usize) -> isize {
    match CmpOp::from_index(op) {
        Some(op) => match compare_op(a, b, op) {
            Ok(r) => status(is_true(r)),
            Err(_) => -1,
        },
        None => -1,
    }
}

#[no_mangle]
pub extern "C" fn pyrt_contains_op(item: Value, container: Value, invert: usize) -> Value {
    match contains(container, item) {
        Ok(b) => bool_value(b != (invert != 0)),
        Err(_) => 0,
    }
}

#[no_mangle]
pub extern "C" fn pyrt_unary_negative(a: Value) -> Value {
    ret(unary(a, UnaryOp::Neg))
}

#[no_mangle]
pub extern "C" fn pyrt_unary_positive(a: Value) -> Value {
    ret(unary(a, UnaryOp::Pos))
}

#[no_mangle]
pub extern "C" fn pyrt_unary_invert(a: Value) -> Value {
    ret(unary(a, UnaryOp::Invert))
}

#[no_mangle]
pub extern "C" fn pyrt_unary_not(a: Value) -> Value {
    match is_true(a) {
        Ok(b) => bool_value(!b),
        Err(_) => 0,
    }
}

#[no_mangle]
pub extern "C" fn pyrt_is_true(a: Value) -> isize {
    status(is_true(a))
}

#[no_mangle]
pub extern "C" fn pyrt_binary_subscr(c: Value, index: Value) -> Value {
    ret(getitem(c, index))
}

#[no_mangle]
pub extern "C" fn pyrt_store_subscr(c: Value, index: Value, v: Value) -> isize {
    status(setitem(c, index, v).map(|_| false))
}

#[no_mangle]
pub extern "C" fn pyrt_delete_subscr(c: Value, index: Value) -> isize {
    status(delitem(c, index).map(|_| false))
}

#[no_mangle]
pub unsafe extern "C" fn pyrt_build_list(items: *const Value, n: usize) -> Value {
    if n == 0 {
        return list::new(0);
    }
    list::new_from(core::slice::from_raw_parts(items, n))
}

#[no_mangle]
pub unsafe extern "C" fn pyrt_build_tuple(items: *const Value, n: usize) -> Value {
    if n == 0 {
        return tuple::new(0);
    }
    tuple::new_from(core::slice::from_raw_parts(items, n))
}

#[no_mangle]
pub extern "C" fn pyrt_list_append(l: Value, item: Value) -> isize {
    list::append(l, item);
    0
}

#[no_mangle]
pub extern "C" fn pyrt_list_extend(l: Value, iterable: Value) -> isize {
    match list::extend(l, iterable) {
        Ok(()) => 0,
        Err(_) => {
            // CPython's LIST_EXTEND rewords the error for non-iterables.
            if exc::matches(&exc::TYPE_ERROR) && type_of(iterable).iter.is_none() {
                let mut m = String::from("Value after * must be an iterable, not ");
                m.push_str(type_name(iterable));
                exc::type_error(&m);
            }
            -1
        }
    }
}

/// `UNPACK_SEQUENCE n`: `out[0]` gets the last item (CPython pushes the
/// items in reverse).
#[no_mangle]
pub unsafe extern "C" fn pyrt_unpack_sequence(seq: Value, n: usize, out: *mut Value) -> isize {
    let out = core::slice::from_raw_parts_mut(out, n);
    let store = |items: &[Value], out: &mut [Value]| {
        for (k, &x) in items.iter().enumerate() {
            out[n - 1 - k] = x;
        }
    };
    let fixed = if list::is_list(seq) {
        Some(list::items(seq))
    } else if tuple::is_tuple(seq) {
        Some(tuple::items(seq))
    } else {
        None
    };
    let r: R<()> = (|| {
        if let Some(items) = fixed {
            if items.len() == n {
                store(items, out);
                return Ok(());
            }
            return Err(unpack_count_error(n, items.len(), items.len() > n));
        }
        if type_of(seq).iter.is_none() {
            let mut m = String::from("cannot unpack non-iterable ");
            m.push_str(type_name(seq));
            m.push_str(" object");
            return Err(exc::type_error(&m));
        }
        // Collect into a GC list so the items stay rooted.
        let it = get_iter(seq)?;
        let got = list::new(n);
        while let Some(x) = next(it)? {
            if list::len(got) == n {
                return Err(unpack_count_error(n, n + 1, true));
            }
            list::append(got, x);
        }
        if list::len(got) < n {
            return Err(unpack_count_error(n, list::len(got), false));
        }
        store(list::items(got), out);
        Ok(())
    })();
    status(r.map(|_| false))
}

fn unpack_count_error(expected: usize, got: usize, too_many: bool) -> Raised {
    let mut m = String::new();
    if too_many {
        m.push_str("too many values to unpack (expected ");
        push_usize(&mut m, expected);
        m.push(')');
    } else {
        m.push_str("not enough values to unpack (expected ");
        push_usize(&mut m, expected);
        m.push_str(", got ");
        push_usize(&mut m, got);
        m.push(')');
    }
    exc::value_error(&m)
}

#[no_mangle]
pub extern "C" fn pyrt_get_iter(v: Value) -> Value {
    ret(get_iter(v))
}

#[no_mangle]
pub unsafe extern "C" fn pyrt_for_iter(it: Value, out: *mut Value) -> isize {
    match next(it) {
        Ok(Some(x)) => {
            *out = x;
            1
        }
        Ok(None) => 0,
        Err(_) => -1,
    }
}

#[no_mangle]
pub extern "C" fn pyrt_load_attr(o: Value, name: Value) -> Value {
    ret(getattr(o, name))
}

#[no_mangle]
pub unsafe extern "C" fn pyrt_load_method(o: Value, name: Value, out: *mut Value) -> isize {
    match find_attr(o, name) {
        Ok(Attr::Method(m)) => {
            *out = m;
            *out.add(1) = o;
            0
        }
        Ok(Attr::Value(v)) => {
            *out = 0;
            *out.add(1) = v;
            0
        }
        Err(_) => -1,
    }
}

#[no_mangle]
pub extern "C" fn pyrt_store_attr(o: Value, name: Value, v: Value) -> isize {
    let r = match type_of(o).setattr {
        Some(f) => f(o, str::as_str(name).as_bytes(), v),
        None => Ok(false),
    };
    match r {
        Ok(true) => 0,
        Ok(false) => {
            let is_method = match type_of(o).getattr {
                Some(f) => matches!(
                    f(o, str::as_str(name).as_bytes()),
                    Ok(Some(Attr::Method(_)))
                ),
                None => false,
            };
            if is_method {
                let mut m = String::from("'");
                m.push_str(type_name(o));
                m.push_str("' object attribute '");
                m.push_str(str::as_str(name));
                m.push_str("' is read-only");
                exc::raise(&exc::ATTRIBUTE_ERROR, &m);
            } else {
                no_attribute(o, name);
            }
            -1
        }
        Err(_) => -1,
    }
}
