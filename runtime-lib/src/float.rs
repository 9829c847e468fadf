//! `float`: a boxed `f64`. Arithmetic with ints converts the int exactly
//! as CPython does (`OverflowError` when it is too large); the algorithms
//! (floor division, modulo, power, exact int/float comparison, repr) are in
//! [`crate::num`].

use crate::exc;
use crate::int::{self, Int};
use crate::num;
use crate::object::{
    bool_value, not_implemented, type_of, CmpOp, Header, TypeObject, UnaryOp, Value, OBJECT_TYPE, R,
};
use crate::ops;
use alloc::string::String;
use core::cmp::Ordering;

/// `packed(4)`: the value is word 1 on 32-bit targets too (abi.rs
/// `layout::FLOAT_VALUE`), where `f64` is otherwise 8-aligned.
#[repr(C, packed(4))]
pub struct FloatObject {
    pub header: Header,
    pub value: f64,
}

const _: () = assert!(
    core::mem::offset_of!(FloatObject, value)
        == crate::abi::layout::FLOAT_VALUE * core::mem::size_of::<usize>()
);

pub fn new(x: f64) -> Value {
    let o = crate::object::new_object::<FloatObject>(&FLOAT_TYPE);
    o.value = x; // a plain store to a packed field
    o as *mut FloatObject as Value
}

pub fn is_float(v: Value) -> bool {
    v & 1 == 0 && core::ptr::eq(type_of(v), &FLOAT_TYPE)
}

pub fn value(v: Value) -> f64 {
    unsafe { core::ptr::addr_of!((*(v as *const FloatObject)).value).read_unaligned() }
}

/// A float operand: a float, or an int converted to float.
fn operand(v: Value) -> Option<R<f64>> {
    if is_float(v) {
        Some(Ok(value(v)))
    } else {
        int::as_int(v).map(|i| i.to_f64())
    }
}

/// `float`'s number slot (`float_add`, ... of Objects/floatobject.c).
fn float_binop(a: Value, b: Value, op: u32) -> R<Value> {
    let (Some(x), Some(y)) = (operand(a), operand(b)) else {
        return Ok(not_implemented());
    };
    let (x, y) = (x?, y?);
    let op = if op >= int::NB_INPLACE_BASE {
        op - int::NB_INPLACE_BASE
    } else {
        op
    };
    let r = match op {
        int::NB_ADD => Ok(x + y),
        int::NB_SUBTRACT => Ok(x - y),
        int::NB_MULTIPLY => Ok(x * y),
        int::NB_TRUE_DIVIDE => num::float_div(x, y),
        int::NB_FLOOR_DIVIDE => num::float_floordiv(x, y),
        int::NB_REMAINDER => num::float_mod(x, y),
        int::NB_POWER => num::float_pow(x, y),
        _ => return Ok(not_implemented()),
    };
    r.map(new).map_err(exc::raise_num)
}

/// `float_richcompare`: exact comparison with ints, NaN unordered.
fn float_richcompare(a: Value, b: Value, op: CmpOp) -> R<Value> {
    let x = value(a);
    let ord: Option<Ordering> = if is_float(b) {
        x.partial_cmp(&value(b))
    } else {
        match int::as_int(b) {
            Some(Int::Small(n)) => num::i64_float_cmp(n, x).map(Ordering::reverse),
            Some(Int::Big(n)) => num::int_float_cmp(n, x).map(Ordering::reverse),
            None => return Ok(not_implemented()),
        }
    };
    Ok(bool_value(match ord {
        Some(o) => op.test(o),
        None => op == CmpOp::Ne,
    }))
}

fn float_unary(a: Value, op: UnaryOp) -> R<Value> {
    Ok(match op {
        UnaryOp::Neg => new(-value(a)),
        UnaryOp::Pos => a,
        UnaryOp::Invert => not_implemented(),
    })
}

fn float_bool(v: Value) -> bool {
    value(v) != 0.0
}

fn float_repr(v: Value, out: &mut String) -> R<()> {
    num::float_repr(value(v), out);
    Ok(())
}

/// `float(x)`: Objects/floatobject.c `float_new_impl`.
pub(crate) fn float_new(_: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    if ops::kwnames_len(kwnames) > 0 {
        return Err(exc::type_error("float() takes no keyword arguments"));
    }
    match args {
        [] => Ok(new(0.0)),
        [x] => to_float(*x),
        _ => {
            let mut m = String::from("float expected at most 1 argument, got ");
            ops::push_usize(&mut m, args.len());
            Err(exc::type_error(&m))
        }
    }
}

pub fn to_float(x: Value) -> R<Value> {
    if is_float(x) {
        return Ok(x);
    }
    if let Some(i) = int::as_int(x) {
        return Ok(new(i.to_f64()?));
    }
    let text = if crate::str::is_str(x) {
        Some(crate::str::as_str(x))
    } else if crate::bytes::is_bytes(x) {
        Some(core::str::from_utf8(crate::bytes::as_bytes(x)).unwrap_or("\u{fffd}"))
    } else {
        None
    };
    match text {
        Some(t) => match num::parse_float(t) {
            Some(f) => Ok(new(f)),
            None => {
                let mut m = String::from("could not convert string to float: ");
                ops::repr_into(x, &mut m)?;
                Err(exc::value_error(&m))
            }
        },
        None => {
            let mut m = String::from("float() argument must be a string or a real number, not '");
            m.push_str(type_of(x).name);
            m.push('\'');
            Err(exc::type_error(&m))
        }
    }
}

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static pyrt_type_float: TypeObject = TypeObject {
    repr: Some(float_repr),
    richcompare: Some(float_richcompare),
    number: Some(float_binop),
    unary: Some(float_unary),
    to_bool: Some(float_bool),
    specialised_compare: true,
    ..TypeObject::new("float", Some(&OBJECT_TYPE))
};

pub use pyrt_type_float as FLOAT_TYPE;

/// The float-constants feature (`abi::FLOAT_CONSTANTS`).
#[export_name = "pyrt_const_float"]
pub static CONST_FLOAT: crate::start::Feature = crate::start::Feature {
    init: || crate::marshal::enable_floats(new),
};
