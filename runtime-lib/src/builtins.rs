//! The builtin functions (`print`, `len`, `repr`, `abs`, `min`, `max`) and
//! the table that resolves builtin names (functions, types, exceptions).

use crate::call::{builtin_value, BuiltinObject};
use crate::exc;
use crate::int::{self, Int};
use crate::object::{none, type_of, CmpOp, TypeObject, Value, R};
use crate::ops::{self, kwnames_len, push_usize};
use crate::{float, io, str, tuple};
use alloc::string::String;

fn exactly_one(name: &str, args: &[Value], kwnames: Value) -> R<Value> {
    ops::no_keywords(name, kwnames)?;
    if args.len() != 1 {
        let mut m = String::from(name);
        m.push_str("() takes exactly one argument (");
        push_usize(&mut m, args.len());
        m.push_str(" given)");
        return Err(exc::type_error(&m));
    }
    Ok(args[0])
}

/// `print(*objects, sep=' ', end='\n', file=None, flush=False)`.
fn print(args: &[Value], kwnames: Value) -> R<Value> {
    let nkw = kwnames_len(kwnames);
    let npos = args.len() - nkw;
    let (mut sep, mut end) = (" ", "\n");
    let mut flush = false;
    for k in 0..nkw {
        let v = args[npos + k];
        let name = tuple::kwname(kwnames, k);
        match name {
            "sep" | "end" => {
                let text = if v == none() {
                    if name == "sep" {
                        " "
                    } else {
                        "\n"
                    }
                } else if str::is_str(v) {
                    str::as_str(v)
                } else {
                    let mut m = String::from(name);
                    m.push_str(" must be None or a string, not ");
                    m.push_str(type_of(v).name);
                    return Err(exc::type_error(&m));
                };
                if name == "sep" {
                    sep = text;
                } else {
                    end = text;
                }
            }
            "file" if v == none() => {}
            "flush" => flush = ops::is_true(v)?,
            _ => {
                let mut m = String::from("'");
                m.push_str(name);
                m.push_str("' is an invalid keyword argument for print()");
                return Err(exc::type_error(&m));
            }
        }
    }
    // Like CPython: each piece is converted, then written by a call to
    // `sys.stdout.write` (two levels of recursion), so an error midway
    // leaves the pieces before it written.
    let mut text = String::new();
    for (i, &a) in args[..npos].iter().enumerate() {
        if i > 0 {
            write_piece(sep)?;
        }
        text.clear();
        ops::str_into(a, &mut text)?;
        write_piece(&text)?;
    }
    write_piece(end)?;
    if flush {
        io::flush_stdout();
    }
    Ok(none())
}

/// `PyFile_WriteObject` of a str: the call of the stream's `write`.
fn write_piece(s: &str) -> R<()> {
    ops::recursive_call(ops::WHILE_CALLING, || {
        ops::recursive_call(ops::WHILE_CALLING, || {
            io::write_stdout(s.as_bytes());
            Ok(())
        })
    })
}

fn len(args: &[Value], kwnames: Value) -> R<Value> {
    let x = exactly_one("len", args, kwnames)?;
    Ok(int::from_usize(ops::len(x)?))
}

fn repr(args: &[Value], kwnames: Value) -> R<Value> {
    let x = exactly_one("repr", args, kwnames)?;
    ops::recursive_call(ops::WHILE_CALLING, || ops::repr(x))
}

/// `abs(x)`.
fn abs(args: &[Value], kwnames: Value) -> R<Value> {
    let x = exactly_one("abs", args, kwnames)?;
    ops::enter_recursive_call(ops::WHILE_CALLING)?;
    ops::leave_recursive_call();
    match int::as_int(x) {
        Some(Int::Small(n)) => return Ok(int::from_i64(n.abs())),
        Some(Int::Big(b)) => return Ok(int::from_big(num_traits::Signed::abs(b))),
        None => {}
    }
    if float::is_float(x) {
        let v = float::value(x);
        return Ok(float::new(f64::from_bits(v.to_bits() & !(1 << 63))));
    }
    let mut m = String::from("bad operand type for abs(): '");
    m.push_str(type_of(x).name);
    m.push('\'');
    Err(exc::type_error(&m))
}

/// `min`/`max` (`min_max` of Python/bltinmodule.c): one iterable or
/// several arguments, `key=` and `default=`.
fn min_max(args: &[Value], kwnames: Value, name: &str, op: CmpOp) -> R<Value> {
    let nkw = kwnames_len(kwnames);
    let npos = args.len() - nkw;
    let (mut key, mut default) = (none(), 0);
    for k in 0..nkw {
        match tuple::kwname(kwnames, k) {
            "key" => key = args[npos + k],
            "default" => default = args[npos + k],
            other => {
                let mut m = String::from(name);
                m.push_str("() got an unexpected keyword argument '");
                m.push_str(other);
                m.push('\'');
                return Err(exc::type_error(&m));
            }
        }
    }
    if npos == 0 {
        let mut m = String::from(name);
        m.push_str(" expected at least 1 argument, got 0");
        return Err(exc::type_error(&m));
    }
    if npos > 1 && default != 0 {
        let mut m = String::from("Cannot specify a default for ");
        m.push_str(name);
        m.push_str("() with multiple positional arguments");
        return Err(exc::type_error(&m));
    }
    let it = if npos == 1 {
        ops::get_iter(args[0])?
    } else {
        ops::get_iter(tuple::new_from(&args[..npos]))?
    };
    let (mut best, mut best_key) = (0, 0);
    while let Some(item) = ops::next(it)? {
        let k = if key == none() {
            item
        } else {
            crate::call::call(key, &[item], 0)?
        };
        if best == 0 || ops::compare_bool(k, best_key, op)? {
            best = item;
            best_key = k;
        }
    }
    if best != 0 {
        return Ok(best);
    }
    if default != 0 {
        return Ok(default);
    }
    let mut m = String::from(name);
    m.push_str("() arg is an empty sequence");
    Err(exc::value_error(&m))
}

fn min(args: &[Value], kwnames: Value) -> R<Value> {
    ops::recursive_call(ops::WHILE_CALLING, || {
        min_max(args, kwnames, "min", CmpOp::Lt)
    })
}

fn max(args: &[Value], kwnames: Value) -> R<Value> {
    ops::recursive_call(ops::WHILE_CALLING, || {
        min_max(args, kwnames, "max", CmpOp::Gt)
    })
}

static PRINT: BuiltinObject = BuiltinObject::function("print", print);
static LEN: BuiltinObject = BuiltinObject::function("len", len);
static REPR: BuiltinObject = BuiltinObject::function("repr", repr);
static ABS: BuiltinObject = BuiltinObject::function("abs", abs);
static MIN: BuiltinObject = BuiltinObject::function("min", min);
static MAX: BuiltinObject = BuiltinObject::function("max", max);

static TYPES: &[&TypeObject] = &[
    &int::INT_TYPE,
    &int::BOOL_TYPE,
    &float::FLOAT_TYPE,
    &str::STR_TYPE,
    &crate::bytes::BYTES_TYPE,
    &crate::list::LIST_TYPE,
    &tuple::TUPLE_TYPE,
    &crate::range::RANGE_TYPE,
    &crate::object::OBJECT_TYPE,
    &crate::object::TYPE_TYPE,
];

/// The builtin called `name`, if the runtime has one.
pub fn lookup(name: &str) -> Option<Value> {
    let f = match name {
        "print" => &PRINT,
        "len" => &LEN,
        "repr" => &REPR,
        "abs" => &ABS,
        "min" => &MIN,
        "max" => &MAX,
        "None" => return Some(none()),
        _ => {
            return TYPES
                .iter()
                .chain(exc::ALL.iter())
                .chain([&exc::KEY_ERROR].iter())
                .find(|t| t.name == name)
                .map(|t| t.as_value());
        }
    };
    Some(builtin_value(f))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_abi_builtin_exists() {
        for name in crate::abi::BUILTINS {
            assert!(super::lookup(name).is_some(), "missing builtin {name}");
        }
    }
}
