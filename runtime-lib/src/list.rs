//! `list`: a growable array of values (the array lives outside the GC
//! heap and is freed with the list), and the iterators over the builtin
//! sequences.

use crate::abi::layout;
use crate::exc;
use crate::heap::Marker;
use crate::object::{
    new_object, obj, type_of, Attr, CmpOp, Header, TypeObject, Value, OBJECT_TYPE, R,
};
use crate::{bytes, int, ops, str, tuple};
use alloc::alloc::{alloc, dealloc, realloc, Layout};
use alloc::string::String;
use core::mem::{offset_of, size_of};

#[repr(C)]
pub struct ListObject {
    pub header: Header,
    pub len: usize,
    pub items: *mut Value,
    pub cap: usize,
}

const _: () = assert!(offset_of!(ListObject, len) == layout::LIST_LEN * size_of::<usize>());
const _: () = assert!(offset_of!(ListObject, items) == layout::LIST_ITEMS * size_of::<usize>());
const _: () = assert!(offset_of!(ListObject, header) == layout::OBJ_TYPE);

/// The layout of an array of `cap` values (`cap` is at most what
/// [`try_new`] accepts, so this cannot fail for an existing array).
fn array_layout(cap: usize) -> Layout {
    Layout::array::<Value>(cap).unwrap_or(Layout::new::<Value>())
}

/// A new empty list with room for `cap` items.
pub fn new(cap: usize) -> Value {
    try_new(cap).unwrap_or_else(|_| crate::io::fatal("MemoryError: out of memory"))
}

/// A new empty list with room for `cap` items, or `MemoryError`.
pub fn try_new(cap: usize) -> R<Value> {
    let l = new_object::<ListObject>(&pyrt_type_list);
    if cap > 0 {
        let layout = Layout::array::<Value>(cap).map_err(|_| exc::memory_error())?;
        let p = unsafe { alloc(layout) } as *mut Value;
        if p.is_null() {
            return Err(exc::memory_error());
        }
        l.items = p;
        l.cap = cap;
    }
    Ok(l as *mut ListObject as Value)
}

pub fn new_from(items: &[Value]) -> Value {
    let l = new(items.len());
    let o = unsafe { obj::<ListObject>(l) };
    unsafe { core::ptr::copy_nonoverlapping(items.as_ptr(), o.items, items.len()) };
    o.len = items.len();
    l
}

pub fn is_list(v: Value) -> bool {
    v & 1 == 0 && core::ptr::eq(type_of(v), &pyrt_type_list)
}

pub fn len(v: Value) -> usize {
    unsafe { obj::<ListObject>(v).len }
}

pub fn items(v: Value) -> &'static [Value] {
    let o = unsafe { obj::<ListObject>(v) };
    if o.len == 0 {
        return &[];
    }
    unsafe { core::slice::from_raw_parts(o.items, o.len) }
}

pub fn items_mut(v: Value) -> &'static mut [Value] {
    let o = unsafe { obj::<ListObject>(v) };
    if o.len == 0 {
        return &mut [];
    }
    unsafe { core::slice::from_raw_parts_mut(o.items, o.len) }
}

fn reserve(o: &mut ListObject, extra: usize) {
    let need = o.len + extra;
    if need <= o.cap {
        return;
    }
    // CPython's list_resize growth: about 1/8 more, plus a little.
    let cap = (need + (need >> 3) + 6) & !3;
    let p = unsafe {
        if o.cap == 0 {
            alloc(array_layout(cap))
        } else {
            realloc(
                o.items as *mut u8,
                array_layout(o.cap),
                cap * size_of::<Value>(),
            )
        }
    } as *mut Value;
    if p.is_null() {
        crate::io::fatal("MemoryError: out of memory");
    }
    o.items = p;
    o.cap = cap;
}

/// `list.append(item)`.
pub fn append(l: Value, item: Value) {
    let o = unsafe { obj::<ListObject>(l) };
    reserve(o, 1);
    unsafe { *o.items.add(o.len) = item };
    o.len += 1;
}

/// `del list[i]` (`i` in range).
pub fn remove(l: Value, i: usize) {
    let o = unsafe { obj::<ListObject>(l) };
    unsafe { core::ptr::copy(o.items.add(i + 1), o.items.add(i), o.len - i - 1) };
    o.len -= 1;
}

/// `list.extend(iterable)`.
pub fn extend(l: Value, iterable: Value) -> R<()> {
    if is_list(iterable) || tuple::is_tuple(iterable) {
        let src = if is_list(iterable) {
            items(iterable)
        } else {
            tuple::items(iterable)
        };
        let n = src.len();
        let o = unsafe { obj::<ListObject>(l) };
        reserve(o, n);
        // `src` may be `l` itself: copy from the (possibly moved) array.
        let src = if iterable == l {
            o.items as *const Value
        } else {
            src.as_ptr()
        };
        unsafe { core::ptr::copy(src, o.items.add(o.len), n) };
        o.len += n;
        return Ok(());
    }
    let it = ops::get_iter(iterable)?;
    while let Some(x) = ops::next(it)? {
        append(l, x);
    }
    Ok(())
}

/// `list(iterable)`.
pub fn from_iterable(iterable: Value) -> R<Value> {
    let l = new(0);
    extend(l, iterable)?;
    Ok(l)
}

fn list_repr(v: Value, out: &mut String) -> R<()> {
    if len(v) == 0 {
        out.push_str("[]");
        return Ok(());
    }
    if !ops::repr_enter(v, out, "[...]") {
        return Ok(());
    }
    out.push('[');
    let mut i = 0;
    let mut r = Ok(());
    // The list may change while its items' reprs run: re-read it.
    while i < len(v) {
        if i > 0 {
            out.push_str(", ");
        }
        r = ops::repr_into(items(v)[i], out);
        if r.is_err() {
            break;
        }
        i += 1;
    }
    ops::repr_leave(v);
    r?;
    out.push(']');
    Ok(())
}

fn list_richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    if !is_list(b) {
        return Ok(crate::object::not_implemented());
    }
    ops::sequence_richcompare(items(a), items(b), op)
}

fn list_len(v: Value) -> R<usize> {
    Ok(len(v))
}

fn index_type_error(t: &str) -> String {
    let mut m = String::from("list indices must be integers or slices, not ");
    m.push_str(t);
    m
}

fn list_getitem(v: Value, index: Value) -> R<Value> {
    let i = ops::sequence_index(index, len(v), "list index out of range", index_type_error)?;
    Ok(items(v)[i])
}

fn list_setitem(v: Value, index: Value, x: Value) -> R<()> {
    let i = ops::sequence_index(
        index,
        len(v),
        "list assignment index out of range",
        index_type_error,
    )?;
    items_mut(v)[i] = x;
    Ok(())
}

fn list_contains(v: Value, item: Value) -> R<bool> {
    let mut i = 0;
    while i < len(v) {
        if ops::eq(items(v)[i], item)? {
            return Ok(true);
        }
        i += 1;
    }
    Ok(false)
}

fn list_concat(a: Value, b: Value) -> R<Value> {
    if !is_list(b) {
        let mut m = String::from("can only concatenate list (not \"");
        m.push_str(type_of(b).name);
        m.push_str("\") to list");
        return Err(exc::type_error(&m));
    }
    let l = new(len(a) + len(b));
    extend(l, a)?;
    extend(l, b)?;
    Ok(l)
}

/// `list * n`: `MemoryError` when the items do not fit.
fn list_repeat(a: Value, n: isize) -> R<Value> {
    let n = n.max(0) as usize;
    let total = len(a).checked_mul(n).ok_or_else(exc::memory_error)?;
    let l = try_new(total)?;
    let o = unsafe { obj::<ListObject>(l) };
    unsafe { ops::repeat_into(o.items, items(a), n) };
    o.len = total;
    Ok(l)
}

fn list_inplace_concat(a: Value, b: Value) -> R<Value> {
    extend(a, b)?;
    Ok(a)
}

pub(crate) fn list_new(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    ops::no_keywords("list", kwnames)?;
    match args {
        [] => Ok(new(0)),
        [x] => from_iterable(*x),
        _ => {
            let mut m = String::from("list expected at most 1 argument, got ");
            ops::push_usize(&mut m, args.len());
            Err(exc::type_error(&m))
        }
    }
}

fn list_getattr(_: Value, name: &[u8]) -> R<Option<Attr>> {
    Ok(match name {
        b"append" => Some(Attr::Method(crate::call::builtin_value(&LIST_APPEND))),
        _ => None,
    })
}

/// `list.append(self, item)`.
fn list_append_method(args: &[Value], kwnames: Value) -> R<Value> {
    ops::no_keywords("list.append", kwnames)?;
    match args {
        [l, x] if is_list(*l) => {
            append(*l, *x);
            Ok(crate::object::none())
        }
        [l, ..] if !is_list(*l) => {
            let mut m = String::from("descriptor 'append' for 'list' objects doesn't apply to a '");
            m.push_str(type_of(*l).name);
            m.push_str("' object");
            Err(exc::type_error(&m))
        }
        _ => {
            let mut m = String::from("list.append() takes exactly one argument (");
            ops::push_usize(&mut m, args.len().saturating_sub(1));
            m.push_str(" given)");
            Err(exc::type_error(&m))
        }
    }
}

pub static LIST_APPEND: crate::call::BuiltinObject =
    crate::call::BuiltinObject::method("append", "list", list_append_method);

fn list_trace(o: usize, m: &mut Marker) {
    for &x in items(o) {
        m.mark(x);
    }
}

fn list_finalize(o: usize) {
    let l = unsafe { obj::<ListObject>(o) };
    if l.cap > 0 {
        unsafe { dealloc(l.items as *mut u8, array_layout(l.cap)) };
        l.cap = 0;
        l.len = 0;
    }
}

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static pyrt_type_list: TypeObject = TypeObject {
    repr: Some(list_repr),
    richcompare: Some(list_richcompare),
    len: Some(list_len),
    getitem: Some(list_getitem),
    setitem: Some(list_setitem),
    contains: Some(list_contains),
    concat: Some(list_concat),
    repeat: Some(list_repeat),
    inplace_concat: Some(list_inplace_concat),
    iter: Some(seq_iter),
    getattr: Some(list_getattr),
    trace: Some(list_trace),
    finalize: Some(list_finalize),
    ..TypeObject::new("list", Some(&OBJECT_TYPE))
};

pub use pyrt_type_list as LIST_TYPE;

// ---- sequence iterators ----------------------------------------------------------

/// An iterator over a list, tuple, str or bytes: the sequence and the
/// position (an item index; a byte offset for str).
#[repr(C)]
pub struct SeqIterObject {
    pub header: Header,
    pub seq: Value,
    pub index: usize,
}

/// `iter(seq)` for the builtin sequences.
pub fn seq_iter(seq: Value) -> R<Value> {
    let t = type_of(seq);
    let ty: &'static TypeObject = if core::ptr::eq(t, &LIST_TYPE) {
        &LIST_ITER_TYPE
    } else if core::ptr::eq(t, &tuple::TUPLE_TYPE) {
        &TUPLE_ITER_TYPE
    } else if core::ptr::eq(t, &str::STR_TYPE) {
        &STR_ITER_TYPE
    } else {
        &BYTES_ITER_TYPE
    };
    let it = new_object::<SeqIterObject>(ty);
    it.seq = seq;
    Ok(it as *mut SeqIterObject as Value)
}

fn it(v: Value) -> &'static mut SeqIterObject {
    unsafe { obj::<SeqIterObject>(v) }
}

fn self_iter(v: Value) -> R<Value> {
    Ok(v)
}

fn list_iter_next(v: Value) -> R<Option<Value>> {
    let it = it(v);
    if it.seq == 0 {
        return Ok(None);
    }
    let items = items(it.seq);
    if it.index < items.len() {
        it.index += 1;
        Ok(Some(items[it.index - 1]))
    } else {
        it.seq = 0;
        Ok(None)
    }
}

fn tuple_iter_next(v: Value) -> R<Option<Value>> {
    let it = it(v);
    let items = tuple::items(it.seq);
    if it.index < items.len() {
        it.index += 1;
        Ok(Some(items[it.index - 1]))
    } else {
        Ok(None)
    }
}

fn str_iter_next(v: Value) -> R<Option<Value>> {
    let it = it(v);
    let s = str::as_str(it.seq);
    match s[it.index..].chars().next() {
        Some(c) => {
            let mut buf = [0u8; 4];
            let e = c.encode_utf8(&mut buf);
            it.index += e.len();
            Ok(Some(str::new_counted(e.as_bytes(), 1)))
        }
        None => Ok(None),
    }
}

fn bytes_iter_next(v: Value) -> R<Option<Value>> {
    let it = it(v);
    let b = bytes::as_bytes(it.seq);
    if it.index < b.len() {
        it.index += 1;
        Ok(Some(int::tag(b[it.index - 1] as isize)))
    } else {
        Ok(None)
    }
}

fn seq_iter_trace(o: usize, m: &mut Marker) {
    m.mark(it(o).seq);
}

const fn iter_type(name: &'static str, next: fn(Value) -> R<Option<Value>>) -> TypeObject {
    TypeObject {
        iter: Some(self_iter),
        next: Some(next),
        trace: Some(seq_iter_trace),
        ..TypeObject::new(name, Some(&OBJECT_TYPE))
    }
}

pub static LIST_ITER_TYPE: TypeObject = iter_type("list_iterator", list_iter_next);
pub static TUPLE_ITER_TYPE: TypeObject = iter_type("tuple_iterator", tuple_iter_next);
pub static STR_ITER_TYPE: TypeObject = iter_type("str_iterator", str_iter_next);
pub static BYTES_ITER_TYPE: TypeObject = iter_type("bytes_iterator", bytes_iter_next);
