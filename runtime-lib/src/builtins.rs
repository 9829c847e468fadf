//! The builtin functions (`print`, `len`, `repr`, `abs`, `min`, `max`) and
//! the bindings of builtin names (functions and types) that compiled
//! programs link by symbol.

use crate::call::BuiltinObject;
use crate::exc;
use crate::int::{self, Int};
use crate::object::{none, type_of, CmpOp, Header, NewFn, TypeObject, Value, R};
use crate::ops::{self, kwnames_len, push_usize};
use crate::{bytes, float, io, list, range, str, tuple, Global};
use alloc::string::String;
use alloc::vec::Vec;

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

/// What a builtin name is bound to (`abi::BUILTIN_OBJECTS`): the object
/// and, for a type, what calling it does. Builtin types keep their
/// constructor here rather than in their `new` slot, so a program that
/// never names `float` does not link float parsing: a builtin type is
/// callable only through its name (there is no `type()` nor `__class__`).
#[repr(C)]
pub struct Binding {
    object: *const Header,
    new: Option<NewFn>,
}

// Read-only records of static objects.
unsafe impl Sync for Binding {}

const fn function(f: &'static BuiltinObject) -> Binding {
    Binding {
        object: f as *const BuiltinObject as *const Header,
        new: None,
    }
}

const fn constructible(ty: &'static TypeObject, new: NewFn) -> Binding {
    Binding {
        object: ty as *const TypeObject as *const Header,
        new: Some(new),
    }
}

macro_rules! bindings {
    ($($id:ident = $sym:literal: $binding:expr;)*) => {
        $(#[export_name = $sym] static $id: Binding = $binding;)*
    };
}

bindings! {
    BIND_PRINT = "pyrt_builtin_print": function(&PRINT);
    BIND_LEN = "pyrt_builtin_len": function(&LEN);
    BIND_STR = "pyrt_builtin_str": constructible(&str::STR_TYPE, str::str_new);
    BIND_REPR = "pyrt_builtin_repr": function(&REPR);
    BIND_INT = "pyrt_builtin_int": constructible(&int::INT_TYPE, int::int_new);
    BIND_FLOAT = "pyrt_builtin_float": constructible(&float::FLOAT_TYPE, float::float_new);
    BIND_BOOL = "pyrt_builtin_bool": constructible(&int::BOOL_TYPE, int::bool_new);
    BIND_ABS = "pyrt_builtin_abs": function(&ABS);
    BIND_RANGE = "pyrt_builtin_range": constructible(&range::RANGE_TYPE, range::range_new);
    BIND_MIN = "pyrt_builtin_min": function(&MIN);
    BIND_MAX = "pyrt_builtin_max": function(&MAX);
    BIND_BYTES = "pyrt_builtin_bytes": constructible(&bytes::BYTES_TYPE, bytes::bytes_new);
    BIND_LIST = "pyrt_builtin_list": constructible(&list::LIST_TYPE, list::list_new);
    BIND_TUPLE = "pyrt_builtin_tuple": constructible(&tuple::TUPLE_TYPE, tuple::tuple_new);
}

impl Binding {
    /// The object the name is bound to.
    pub fn object(&self) -> Value {
        self.object as Value
    }
}

/// The constructors of the builtin types the program binds (a handful).
static CONSTRUCTORS: Global<Vec<(*const TypeObject, NewFn)>> = Global::new(Vec::new());

/// The object `binding` binds its name to; from now on calling it (if it
/// is a type) runs the binding's constructor.
pub fn bind(binding: &'static Binding) -> Value {
    if let Some(new) = binding.new {
        let ty = binding.object as *const TypeObject;
        let ctors = CONSTRUCTORS.get();
        if !ctors.iter().any(|&(t, _)| core::ptr::eq(t, ty)) {
            ctors.push((ty, new));
        }
    }
    binding.object as Value
}

/// What calling the builtin type `ty` does, if the program bound its name.
pub fn constructor(ty: &'static TypeObject) -> Option<NewFn> {
    CONSTRUCTORS
        .get()
        .iter()
        .find(|&&(t, _)| core::ptr::eq(t, ty))
        .map(|&(_, new)| new)
}

/// The builtin called `name`, if the runtime has one (by name, for tests;
/// compiled programs bind builtins by symbol, see [`bind`]).
pub fn lookup(name: &str) -> Option<Value> {
    let b = match name {
        "print" => &BIND_PRINT,
        "len" => &BIND_LEN,
        "str" => &BIND_STR,
        "repr" => &BIND_REPR,
        "int" => &BIND_INT,
        "float" => &BIND_FLOAT,
        "bool" => &BIND_BOOL,
        "abs" => &BIND_ABS,
        "range" => &BIND_RANGE,
        "min" => &BIND_MIN,
        "max" => &BIND_MAX,
        "bytes" => &BIND_BYTES,
        "list" => &BIND_LIST,
        "tuple" => &BIND_TUPLE,
        "None" => return Some(none()),
        _ => {
            return [&crate::object::OBJECT_TYPE, &crate::object::TYPE_TYPE]
                .into_iter()
                .chain(exc::ALL.iter().copied())
                .chain([&exc::KEY_ERROR])
                .find(|t| t.name == name)
                .map(|t| t.as_value());
        }
    };
    Some(bind(b))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_abi_builtin_exists() {
        for name in crate::abi::BUILTINS {
            assert!(super::lookup(name).is_some(), "missing builtin {name}");
        }
    }

    #[test]
    fn every_abi_builtin_has_an_object_symbol() {
        let named: std::vec::Vec<&str> = crate::abi::BUILTIN_OBJECTS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(named, crate::abi::BUILTINS);
    }
}
