//! `int` and `bool`. Ints in `[-2**(SMALL_INT_BITS-1), 2**(SMALL_INT_BITS-1))`
//! are tagged values; the rest are `BigIntObject`s, never small enough to be
//! tagged (every result is normalised). `True`/`False` are the two static
//! `bool` objects and take part in arithmetic as 1 and 0.
//!
//! The number algorithms themselves (floor division, powers, shifts, text)
//! are in [`crate::num`]; this module is the object side.

use crate::abi;
use crate::exc;
use crate::heap::Marker;
use crate::num::{self, IntPow, IntValue};
use crate::object::{
    bool_value, false_, not_implemented, obj, true_, type_of, BoolObject, CmpOp, Header,
    TypeObject, UnaryOp, Value, OBJECT_TYPE, R,
};
use crate::ops;
use crate::start::Feature;
use crate::Global;
use alloc::borrow::Cow;
use alloc::string::String;
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

#[repr(C)]
pub struct BigIntObject {
    pub header: Header,
    pub value: BigInt,
}

/// An int operand: unboxed, or borrowed from its object.
#[derive(Clone, Copy)]
pub enum Int<'a> {
    Small(i64),
    Big(&'a BigInt),
}

impl<'a> Int<'a> {
    pub fn to_big(self) -> Cow<'a, BigInt> {
        match self {
            Int::Small(n) => Cow::Owned(BigInt::from(n)),
            Int::Big(b) => Cow::Borrowed(b),
        }
    }

    pub fn is_negative(self) -> bool {
        match self {
            Int::Small(n) => n < 0,
            Int::Big(b) => b.is_negative(),
        }
    }

    pub fn to_f64(self) -> R<f64> {
        match self {
            Int::Small(n) => Ok(n as f64),
            Int::Big(b) => num::int_to_f64(b).map_err(exc::raise_num),
        }
    }
}

const SMALL_MAX: i64 = (1i64 << (abi::SMALL_INT_BITS - 1)) - 1;
const SMALL_MIN: i64 = -(1i64 << (abi::SMALL_INT_BITS - 1));

#[inline(always)]
pub fn tag(n: isize) -> Value {
    ((n << abi::INT_SHIFT) as usize) | abi::INT_TAG
}

#[inline(always)]
pub fn untag(v: Value) -> isize {
    (v as isize) >> abi::INT_SHIFT
}

#[inline(always)]
pub fn is_small(v: Value) -> bool {
    v & abi::INT_TAG != 0
}

/// The int operand of `v`: an int, a bool, or not an int.
#[inline]
pub fn as_int(v: Value) -> Option<Int<'static>> {
    if is_small(v) {
        return Some(Int::Small(untag(v) as i64));
    }
    let ty = type_of(v);
    if core::ptr::eq(ty, &INT_TYPE) {
        Some(Int::Big(unsafe { &obj::<BigIntObject>(v).value }))
    } else if core::ptr::eq(ty, &BOOL_TYPE) {
        Some(Int::Small(unsafe { obj::<BoolObject>(v).value } as i64))
    } else {
        None
    }
}

/// `isinstance(v, int)` (bools included).
pub fn is_int(v: Value) -> bool {
    as_int(v).is_some()
}

pub fn from_i64(n: i64) -> Value {
    if (SMALL_MIN..=SMALL_MAX).contains(&n) {
        tag(n as isize)
    } else {
        box_big(BigInt::from(n))
    }
}

pub fn from_isize(n: isize) -> Value {
    from_i64(n as i64)
}

pub fn from_usize(n: usize) -> Value {
    match i64::try_from(n) {
        Ok(n) => from_i64(n),
        Err(_) => box_big(BigInt::from(n)),
    }
}

/// The int `b`, tagged when it fits.
pub fn from_big(b: BigInt) -> Value {
    match b.to_i64() {
        Some(n) => from_i64(n),
        None => box_big(b),
    }
}

pub fn from_int_value(v: IntValue) -> Value {
    match v {
        IntValue::Small(n) => from_i64(n),
        IntValue::Big(b) => from_big(b),
    }
}

fn box_big(b: BigInt) -> Value {
    let o = crate::object::new_object::<BigIntObject>(&INT_TYPE);
    unsafe { core::ptr::write(&mut o.value, b) };
    o as *mut BigIntObject as Value
}

/// `v` as a machine integer, if it is an int that fits.
pub fn to_isize(v: Value) -> Option<isize> {
    match as_int(v)? {
        Int::Small(n) => isize::try_from(n).ok(),
        Int::Big(b) => b.to_isize(),
    }
}

/// `operator.index(v)` to a machine integer: `'str' object cannot be
/// interpreted as an integer`, or OverflowError when it does not fit.
pub fn index_isize(v: Value) -> R<isize> {
    match as_int(v) {
        None => {
            let mut m = String::from("'");
            m.push_str(type_of(v).name);
            m.push_str("' object cannot be interpreted as an integer");
            Err(exc::type_error(&m))
        }
        Some(_) => to_isize(v)
            .ok_or_else(|| exc::overflow_error("cannot fit 'int' into an index-sized integer")),
    }
}

// ---- arithmetic ------------------------------------------------------------------

pub const NB_ADD: u32 = 0;
pub const NB_AND: u32 = 1;
pub const NB_FLOOR_DIVIDE: u32 = 2;
pub const NB_LSHIFT: u32 = 3;
pub const NB_MATRIX_MULTIPLY: u32 = 4;
pub const NB_MULTIPLY: u32 = 5;
pub const NB_REMAINDER: u32 = 6;
pub const NB_OR: u32 = 7;
pub const NB_POWER: u32 = 8;
pub const NB_RSHIFT: u32 = 9;
pub const NB_SUBTRACT: u32 = 10;
pub const NB_TRUE_DIVIDE: u32 = 11;
pub const NB_XOR: u32 = 12;
/// `NB_INPLACE_ADD`: in-place operators are `NB_INPLACE_BASE + op`.
pub const NB_INPLACE_BASE: u32 = 13;

const DIVMOD_BY_ZERO: &str = "integer division or modulo by zero";
const MOD_BY_ZERO: &str = "integer modulo by zero";

/// The int result of `x op y` on unboxed operands, or `None` when it
/// needs the bigint path (overflow, or an error the bigint path reports).
fn small_binop(x: i64, y: i64, op: u32) -> Option<Value> {
    let r = match op {
        NB_ADD => x.checked_add(y)?,
        NB_SUBTRACT => x.checked_sub(y)?,
        NB_MULTIPLY => x.checked_mul(y)?,
        NB_FLOOR_DIVIDE => num::i64_floordiv(x, y)?,
        NB_REMAINDER => num::i64_mod(x, y)?,
        NB_POWER => num::i64_pow(x, y)?,
        NB_LSHIFT => num::i64_lshift(x, y)?,
        NB_RSHIFT => num::i64_rshift(x, y)?,
        NB_AND => x & y,
        NB_OR => x | y,
        NB_XOR => x ^ y,
        _ => return None,
    };
    Some(from_i64(r))
}

/// The int operators' code for big operands (bigint arithmetic, float
/// results), which a program links only for the operators it uses:
/// their feature records (`abi::OPERATOR_FEATURES`) hook them in here at
/// start-up.
type IntOp = fn(Int, Int) -> R<Value>;

static INT_OPS: Global<[Option<IntOp>; NB_INPLACE_BASE as usize]> =
    Global::new([None; NB_INPLACE_BASE as usize]);

pub fn enable_int_op(op: u32, f: IntOp) {
    INT_OPS.get()[op as usize] = Some(f);
}

/// A volatile read: the optimizer must not see which functions the
/// features store and call them directly (linking them into every program).
fn int_op(op: u32) -> Option<IntOp> {
    unsafe { core::ptr::read_volatile(&INT_OPS.get()[op as usize]) }
}

/// `int`'s number slot (`long_add`, `long_sub`, ... of Objects/longobject.c).
pub fn int_binop(a: Value, b: Value, op: u32) -> R<Value> {
    let (Some(x), Some(y)) = (as_int(a), as_int(b)) else {
        return Ok(not_implemented());
    };
    let op = if op >= NB_INPLACE_BASE {
        op - NB_INPLACE_BASE
    } else {
        op
    };
    if let (Int::Small(x), Int::Small(y)) = (x, y) {
        if let Some(v) = small_binop(x, y, op) {
            return Ok(v);
        }
    }
    if op == NB_MATRIX_MULTIPLY {
        return Ok(not_implemented());
    }
    match int_op(op) {
        Some(f) => f(x, y),
        None => Ok(not_implemented()),
    }
}

/// `x op y` beyond 64 bits, for the operators without errors of their own.
fn big_binop(x: Int, y: Int, f: fn(&BigInt, &BigInt) -> BigInt) -> R<Value> {
    Ok(from_big(f(&x.to_big(), &y.to_big())))
}

fn int_add(x: Int, y: Int) -> R<Value> {
    big_binop(x, y, |a, b| a + b)
}

fn int_subtract(x: Int, y: Int) -> R<Value> {
    big_binop(x, y, |a, b| a - b)
}

fn int_and(x: Int, y: Int) -> R<Value> {
    big_binop(x, y, |a, b| a & b)
}

fn int_or(x: Int, y: Int) -> R<Value> {
    big_binop(x, y, |a, b| a | b)
}

fn int_xor(x: Int, y: Int) -> R<Value> {
    big_binop(x, y, |a, b| a ^ b)
}

fn int_lshift(x: Int, y: Int) -> R<Value> {
    Ok(from_big(
        num::int_lshift(&x.to_big(), &y.to_big()).map_err(exc::raise_num)?,
    ))
}

fn int_rshift(x: Int, y: Int) -> R<Value> {
    Ok(from_big(
        num::int_rshift(&x.to_big(), &y.to_big()).map_err(exc::raise_num)?,
    ))
}

/// `x * y` beyond 64 bits.
fn int_multiply(x: Int, y: Int) -> R<Value> {
    big_binop(x, y, |a, b| a * b)
}

/// `x // y` beyond 64 bits.
fn int_floor_divide(x: Int, y: Int) -> R<Value> {
    let (bx, by) = (x.to_big(), y.to_big());
    if by.is_zero() {
        return Err(exc::zero_division_error(DIVMOD_BY_ZERO));
    }
    Ok(from_big(
        num::int_floordiv(&bx, &by).map_err(exc::raise_num)?,
    ))
}

/// `x % y` beyond 64 bits.
pub(crate) fn int_remainder(x: Int, y: Int) -> R<Value> {
    let (bx, by) = (x.to_big(), y.to_big());
    if by.is_zero() {
        return Err(exc::zero_division_error(MOD_BY_ZERO));
    }
    Ok(from_big(num::int_mod(&bx, &by).map_err(exc::raise_num)?))
}

/// `x ** y` beyond 64 bits, or with a negative exponent (a float).
fn int_power(x: Int, y: Int) -> R<Value> {
    match num::int_pow(&x.to_big(), &y.to_big()).map_err(exc::raise_num)? {
        IntPow::Int(r) => Ok(from_big(r)),
        IntPow::Float(f) => Ok(crate::float::new(f)),
    }
}

/// `x / y`: always a float.
fn int_true_divide(x: Int, y: Int) -> R<Value> {
    if let (Int::Small(a), Int::Small(b)) = (x, y) {
        if let Some(f) = num::i64_true_div(a, b) {
            return Ok(crate::float::new(f));
        }
    }
    num::int_true_div(&x.to_big(), &y.to_big())
        .map(crate::float::new)
        .map_err(exc::raise_num)
}

#[export_name = "pyrt_op_add"]
pub static OP_ADD: Feature = Feature {
    init: || enable_int_op(NB_ADD, int_add),
};

#[export_name = "pyrt_op_subtract"]
pub static OP_SUBTRACT: Feature = Feature {
    init: || enable_int_op(NB_SUBTRACT, int_subtract),
};

#[export_name = "pyrt_op_lshift"]
pub static OP_LSHIFT: Feature = Feature {
    init: || enable_int_op(NB_LSHIFT, int_lshift),
};

#[export_name = "pyrt_op_rshift"]
pub static OP_RSHIFT: Feature = Feature {
    init: || enable_int_op(NB_RSHIFT, int_rshift),
};

#[export_name = "pyrt_op_and"]
pub static OP_AND: Feature = Feature {
    init: || enable_int_op(NB_AND, int_and),
};

#[export_name = "pyrt_op_or"]
pub static OP_OR: Feature = Feature {
    init: || enable_int_op(NB_OR, int_or),
};

#[export_name = "pyrt_op_xor"]
pub static OP_XOR: Feature = Feature {
    init: || enable_int_op(NB_XOR, int_xor),
};

#[export_name = "pyrt_op_multiply"]
pub static OP_MULTIPLY: Feature = Feature {
    init: || enable_int_op(NB_MULTIPLY, int_multiply),
};

#[export_name = "pyrt_op_floor_divide"]
pub static OP_FLOOR_DIVIDE: Feature = Feature {
    init: || enable_int_op(NB_FLOOR_DIVIDE, int_floor_divide),
};

#[export_name = "pyrt_op_power"]
pub static OP_POWER: Feature = Feature {
    init: || enable_int_op(NB_POWER, int_power),
};

#[export_name = "pyrt_op_true_divide"]
pub static OP_TRUE_DIVIDE: Feature = Feature {
    init: || enable_int_op(NB_TRUE_DIVIDE, int_true_divide),
};

fn bool_binop(a: Value, b: Value, op: u32) -> R<Value> {
    let base = if op >= NB_INPLACE_BASE {
        op - NB_INPLACE_BASE
    } else {
        op
    };
    let is_bool = |v: Value| !is_small(v) && core::ptr::eq(type_of(v), &BOOL_TYPE);
    if matches!(base, NB_AND | NB_OR | NB_XOR) && is_bool(a) && is_bool(b) {
        let (x, y) = (a == true_(), b == true_());
        return Ok(bool_value(match base {
            NB_AND => x & y,
            NB_OR => x | y,
            _ => x ^ y,
        }));
    }
    int_binop(a, b, op)
}

pub fn cmp_ints(x: Int, y: Int) -> core::cmp::Ordering {
    match (x, y) {
        (Int::Small(x), Int::Small(y)) => x.cmp(&y),
        _ => x.to_big().cmp(&y.to_big()),
    }
}

fn int_richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    match (as_int(a), as_int(b)) {
        (Some(x), Some(y)) => Ok(bool_value(op.test(cmp_ints(x, y)))),
        _ => Ok(not_implemented()),
    }
}

fn int_unary(a: Value, op: UnaryOp) -> R<Value> {
    let Some(x) = as_int(a) else {
        return Ok(not_implemented());
    };
    Ok(match (op, x) {
        (UnaryOp::Pos, Int::Small(n)) => from_i64(n),
        (UnaryOp::Pos, Int::Big(_)) => a,
        (UnaryOp::Neg, Int::Small(n)) => from_i64(-n),
        (UnaryOp::Neg, Int::Big(b)) => from_big(-b),
        (UnaryOp::Invert, Int::Small(n)) => from_i64(!n),
        (UnaryOp::Invert, Int::Big(b)) => from_big(!b),
    })
}

fn int_bool(v: Value) -> bool {
    match as_int(v) {
        Some(Int::Small(n)) => n != 0,
        Some(Int::Big(b)) => !b.is_zero(),
        None => true,
    }
}

/// Appends the decimal text of an int.
pub fn int_repr(v: Value, out: &mut String) -> R<()> {
    match as_int(v) {
        Some(Int::Small(n)) => {
            num::int::push_i64(out, n);
            Ok(())
        }
        Some(Int::Big(b)) => num::int_to_decimal(b, out).map_err(exc::raise_num),
        None => Ok(()),
    }
}

fn bool_repr(v: Value, out: &mut String) -> R<()> {
    out.push_str(if v == true_() { "True" } else { "False" });
    Ok(())
}

/// `int(x)` and `int(x, base)`: Objects/longobject.c `long_new_impl`.
/// `int(...)`: in CPython 3.11 a `tp_call` (a level of recursion).
pub(crate) fn int_new(ty: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    ops::recursive_call(ops::WHILE_CALLING, || int_new_impl(ty, args, kwnames))
}

fn int_new_impl(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    let nkw = ops::kwnames_len(kwnames);
    let npos = args.len() - nkw;
    let mut x = None;
    let mut base = None;
    if npos > 2 || args.len() > 2 {
        let mut m = String::from("int() takes at most 2 arguments (");
        ops::push_usize(&mut m, args.len());
        m.push_str(" given)");
        return Err(exc::type_error(&m));
    }
    for (i, &a) in args[..npos].iter().enumerate() {
        if i == 0 {
            x = Some(a)
        } else {
            base = Some(a)
        }
    }
    for (k, &a) in args[npos..].iter().enumerate() {
        match crate::tuple::kwname(kwnames, k) {
            "base" if base.is_none() => base = Some(a),
            "base" => {
                return Err(exc::type_error(
                    "argument for int() given by name ('base') and position (2)",
                ))
            }
            name => {
                let mut m = String::from("'");
                m.push_str(name);
                m.push_str("' is an invalid keyword argument for int()");
                return Err(exc::type_error(&m));
            }
        }
    }
    let Some(x) = x else {
        if base.is_some() {
            return Err(exc::type_error("int() missing string argument"));
        }
        return Ok(tag(0));
    };
    match base {
        None => to_int(x),
        Some(b) => {
            // A base too large for a machine integer is out of range too.
            let b = match as_int(b) {
                Some(_) => to_isize(b).unwrap_or(isize::MAX),
                None => index_isize(b)?,
            };
            let text = if crate::str::is_str(x) {
                crate::str::as_str(x)
            } else if crate::bytes::is_bytes(x) {
                core::str::from_utf8(crate::bytes::as_bytes(x)).unwrap_or("\u{fffd}")
            } else {
                return Err(exc::type_error(
                    "int() can't convert non-string with explicit base",
                ));
            };
            if b != 0 && !(2..=36).contains(&b) {
                return Err(exc::value_error("int() base must be >= 2 and <= 36, or 0"));
            }
            parse(text, x, b as u32)
        }
    }
}

fn parse(text: &str, x: Value, base: u32) -> R<Value> {
    match num::parse_int(text, base) {
        Ok(v) => Ok(from_int_value(v)),
        Err(num::NumError::InvalidIntLiteral) => {
            let mut m = String::from("invalid literal for int() with base ");
            ops::push_usize(&mut m, base as usize);
            m.push_str(": ");
            ops::repr_into(x, &mut m)?;
            Err(exc::value_error(&m))
        }
        Err(e) => Err(exc::raise_num(e)),
    }
}

/// `int(x)` with one argument.
pub fn to_int(x: Value) -> R<Value> {
    if let Some(i) = as_int(x) {
        return Ok(match i {
            Int::Small(n) => from_i64(n),
            Int::Big(_) => x,
        });
    }
    if crate::float::is_float(x) {
        return num::float_to_int(crate::float::value(x))
            .map(from_int_value)
            .map_err(exc::raise_num);
    }
    if crate::str::is_str(x) {
        return parse(crate::str::as_str(x), x, 10);
    }
    if crate::bytes::is_bytes(x) {
        let text = core::str::from_utf8(crate::bytes::as_bytes(x)).unwrap_or("\u{fffd}");
        return parse(text, x, 10);
    }
    let mut m = String::from(
        "int() argument must be a string, a bytes-like object or a real number, not '",
    );
    m.push_str(type_of(x).name);
    m.push('\'');
    Err(exc::type_error(&m))
}

pub(crate) fn bool_new(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    if ops::kwnames_len(kwnames) > 0 {
        return Err(exc::type_error("bool() takes no keyword arguments"));
    }
    match args {
        [] => Ok(false_()),
        [x] => Ok(bool_value(ops::is_true(*x)?)),
        _ => {
            let mut m = String::from("bool expected at most 1 argument, got ");
            ops::push_usize(&mut m, args.len());
            Err(exc::type_error(&m))
        }
    }
}

fn big_finalize(o: usize) {
    unsafe { core::ptr::drop_in_place(&mut obj::<BigIntObject>(o).value) };
}

fn no_trace(_: usize, _: &mut Marker) {}

#[export_name = "pyrt_type_int"]
pub static INT_TYPE: TypeObject = TypeObject {
    repr: Some(int_repr),
    richcompare: Some(int_richcompare),
    number: Some(int_binop),
    unary: Some(int_unary),
    to_bool: Some(int_bool),
    trace: Some(no_trace),
    finalize: Some(big_finalize),
    ..TypeObject::new("int", Some(&OBJECT_TYPE))
};

#[export_name = "pyrt_type_bool"]
pub static BOOL_TYPE: TypeObject = TypeObject {
    repr: Some(bool_repr),
    richcompare: Some(int_richcompare),
    number: Some(bool_binop),
    unary: Some(int_unary),
    to_bool: Some(int_bool),
    ..TypeObject::new("bool", Some(&INT_TYPE))
};
