//! Callables and calls: Python functions (argument matching with CPython's
//! messages), builtin functions and methods, bound methods — and the ABI
//! entry points for calls, function creation, globals, imports, errors.

use crate::abi::{layout, CodeInfo, Value};
use crate::exc;
use crate::heap::Marker;
use crate::object::{new_object, obj, type_of, Header, Raised, TypeObject, OBJECT_TYPE, R};
use crate::ops::{self, kwnames_len, push_usize, ret};
use crate::{start, str, tuple};
use alloc::string::String;
use core::mem::{offset_of, size_of};

/// A compiled code object's native entry point.
pub type Entry = extern "C" fn(Value, *const Value) -> Value;

// ---- Python functions ---------------------------------------------------------------

#[repr(C)]
pub struct FunctionObject {
    pub header: Header,
    pub code: *const CodeInfo,
    /// NULL or a tuple.
    pub defaults: Value,
    pub qualname: Value,
}

const _: () =
    assert!(offset_of!(FunctionObject, code) == layout::FUNCTION_CODE * size_of::<usize>());

/// Frames currently active; compiled code maintains it inline.
#[no_mangle]
#[allow(non_upper_case_globals)]
pub static mut pyrt_recursion_depth: usize = 0;

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static mut pyrt_recursion_limit: usize = 1000;

fn function(v: Value) -> &'static FunctionObject {
    unsafe { obj::<FunctionObject>(v) }
}

/// Runs compiled code `code` for function `f` on a complete argument array.
#[inline]
pub fn invoke(f: Value, code: &CodeInfo, args: *const Value) -> R<Value> {
    let entry: Entry = unsafe { core::mem::transmute::<usize, Entry>(code.entry) };
    match entry(f, args) {
        0 => Err(Raised),
        r => Ok(r),
    }
}

fn qualname(f: Value) -> &'static str {
    str::as_str(function(f).qualname)
}

fn param_name(code: &CodeInfo, i: usize) -> &'static str {
    str::as_str(tuple::items(start::constant(code.varnames))[i])
}

/// Calls a Python function: binds `args` (positional, then the keyword
/// arguments named by `kwnames`) to its parameters like CPython's
/// `_PyEval_MakeFrameVector`, fills defaults, and runs it.
fn function_call(f: Value, args: &[Value], kwnames: Value) -> R<Value> {
    let func = function(f);
    let code = unsafe { &*func.code };
    let argc = code.argcount;
    let nkw = kwnames_len(kwnames);
    let npos = args.len() - nkw;
    if nkw == 0 && npos == argc {
        return invoke(f, code, args.as_ptr());
    }
    let ndefaults = if func.defaults == 0 {
        0
    } else {
        tuple::len(func.defaults)
    };
    if npos > argc {
        return Err(too_many_positional(f, argc, ndefaults, npos));
    }
    // The bound arguments: on the native stack (scanned conservatively by
    // the GC) when few, else in a GC tuple rooted from this frame.
    let mut small = [0 as Value; SMALL_ARGS];
    let mut bound = 0;
    let slots: &mut [Value] = if argc <= SMALL_ARGS {
        &mut small[..argc]
    } else {
        bound = tuple::new(argc);
        tuple::items_mut(bound)
    };
    slots[..npos].copy_from_slice(&args[..npos]);
    for k in 0..nkw {
        let name = tuple::kwname(kwnames, k);
        let Some(i) = (0..argc).find(|&i| param_name(code, i) == name) else {
            let mut m = String::from(qualname(f));
            m.push_str("() got an unexpected keyword argument '");
            m.push_str(name);
            m.push('\'');
            return Err(exc::type_error(&m));
        };
        if slots[i] != 0 {
            let mut m = String::from(qualname(f));
            m.push_str("() got multiple values for argument '");
            m.push_str(name);
            m.push('\'');
            return Err(exc::type_error(&m));
        }
        slots[i] = args[npos + k];
    }
    let first_default = argc - ndefaults;
    if ndefaults > 0 {
        for (slot, &d) in slots[first_default..]
            .iter_mut()
            .zip(tuple::items(func.defaults))
        {
            if *slot == 0 {
                *slot = d;
            }
        }
    }
    let missing: alloc::vec::Vec<usize> = (0..argc).filter(|&i| slots[i] == 0).collect();
    if !missing.is_empty() {
        return Err(missing_positional(f, code, &missing));
    }
    let r = invoke(f, code, slots.as_ptr());
    core::hint::black_box((&small, bound));
    r
}

/// Argument arrays up to this size are built on the native stack.
const SMALL_ARGS: usize = 8;

fn too_many_positional(f: Value, argc: usize, ndefaults: usize, given: usize) -> Raised {
    let mut m = String::from(qualname(f));
    m.push_str("() takes ");
    if ndefaults > 0 {
        m.push_str("from ");
        push_usize(&mut m, argc - ndefaults);
        m.push_str(" to ");
    }
    push_usize(&mut m, argc);
    m.push_str(if argc == 1 && ndefaults == 0 {
        " positional argument but "
    } else {
        " positional arguments but "
    });
    push_usize(&mut m, given);
    m.push_str(if given == 1 {
        " was given"
    } else {
        " were given"
    });
    exc::type_error(&m)
}

fn missing_positional(f: Value, code: &CodeInfo, missing: &[usize]) -> Raised {
    let mut m = String::from(qualname(f));
    m.push_str("() missing ");
    push_usize(&mut m, missing.len());
    m.push_str(if missing.len() == 1 {
        " required positional argument: "
    } else {
        " required positional arguments: "
    });
    for (k, &i) in missing.iter().enumerate() {
        if k > 0 {
            m.push_str(if missing.len() == 2 {
                " and "
            } else if k == missing.len() - 1 {
                ", and "
            } else {
                ", "
            });
        }
        m.push('\'');
        m.push_str(param_name(code, i));
        m.push('\'');
    }
    exc::type_error(&m)
}

fn function_repr(f: Value, out: &mut String) -> R<()> {
    out.push_str("<function ");
    out.push_str(qualname(f));
    out.push_str(" at ");
    ops::push_address(out, f);
    out.push('>');
    Ok(())
}

fn function_trace(o: usize, m: &mut Marker) {
    let f = function(o);
    m.mark(f.defaults);
    m.mark(f.qualname);
}

#[no_mangle]
#[allow(non_upper_case_globals)]
pub static pyrt_type_function: TypeObject = TypeObject {
    repr: Some(function_repr),
    call: Some(function_call),
    trace: Some(function_trace),
    ..TypeObject::new("function", Some(&OBJECT_TYPE))
};

// ---- builtin functions and methods ----------------------------------------------------

pub type BuiltinFn = fn(&[Value], Value) -> R<Value>;

/// A builtin function (`len`) or method descriptor (`list.append`, which
/// takes `self` as its first argument). Builtins are statics.
#[repr(C)]
pub struct BuiltinObject {
    pub header: Header,
    pub name: &'static str,
    /// The type a method belongs to.
    pub owner: Option<&'static str>,
    pub func: BuiltinFn,
}

impl BuiltinObject {
    pub const fn function(name: &'static str, func: BuiltinFn) -> BuiltinObject {
        BuiltinObject {
            header: Header {
                ob_type: &BUILTIN_TYPE,
            },
            name,
            owner: None,
            func,
        }
    }

    pub const fn method(name: &'static str, owner: &'static str, func: BuiltinFn) -> BuiltinObject {
        BuiltinObject {
            header: Header {
                ob_type: &BUILTIN_TYPE,
            },
            name,
            owner: Some(owner),
            func,
        }
    }
}

pub fn builtin_value(b: &'static BuiltinObject) -> Value {
    b as *const BuiltinObject as Value
}

fn builtin_call(f: Value, args: &[Value], kwnames: Value) -> R<Value> {
    let b = unsafe { obj::<BuiltinObject>(f) };
    (b.func)(args, kwnames)
}

fn builtin_repr(f: Value, out: &mut String) -> R<()> {
    let b = unsafe { obj::<BuiltinObject>(f) };
    match b.owner {
        None => {
            out.push_str("<built-in function ");
            out.push_str(b.name);
            out.push('>');
        }
        Some(owner) => {
            out.push_str("<method '");
            out.push_str(b.name);
            out.push_str("' of '");
            out.push_str(owner);
            out.push_str("' objects>");
        }
    }
    Ok(())
}

pub static BUILTIN_TYPE: TypeObject = TypeObject {
    repr: Some(builtin_repr),
    call: Some(builtin_call),
    ..TypeObject::new("builtin_function_or_method", Some(&OBJECT_TYPE))
};

/// A method bound to its object (`lst.append` as a value).
#[repr(C)]
pub struct BoundMethodObject {
    pub header: Header,
    pub func: Value,
    pub self_: Value,
}

pub fn bind_method(func: Value, self_: Value) -> Value {
    let m = new_object::<BoundMethodObject>(&BOUND_METHOD_TYPE);
    m.func = func;
    m.self_ = self_;
    m as *mut BoundMethodObject as Value
}

fn bound_call(m: Value, args: &[Value], kwnames: Value) -> R<Value> {
    let m = unsafe { obj::<BoundMethodObject>(m) };
    let mut small = [0 as Value; SMALL_ARGS];
    let mut all = 0;
    let items: &mut [Value] = if args.len() < SMALL_ARGS {
        &mut small[..args.len() + 1]
    } else {
        all = tuple::new(args.len() + 1);
        tuple::items_mut(all)
    };
    items[0] = m.self_;
    items[1..].copy_from_slice(args);
    let r = call(m.func, items, kwnames);
    core::hint::black_box((&small, all));
    r
}

fn bound_repr(m: Value, out: &mut String) -> R<()> {
    let bm = unsafe { obj::<BoundMethodObject>(m) };
    let b = unsafe { obj::<BuiltinObject>(bm.func) };
    out.push_str("<built-in method ");
    out.push_str(b.name);
    out.push_str(" of ");
    out.push_str(type_of(bm.self_).name);
    out.push_str(" object at ");
    ops::push_address(out, bm.self_);
    out.push('>');
    Ok(())
}

fn bound_trace(o: usize, mk: &mut Marker) {
    let m = unsafe { obj::<BoundMethodObject>(o) };
    mk.mark(m.func);
    mk.mark(m.self_);
}

pub static BOUND_METHOD_TYPE: TypeObject = TypeObject {
    repr: Some(bound_repr),
    call: Some(bound_call),
    trace: Some(bound_trace),
    ..TypeObject::new("builtin_function_or_method", Some(&OBJECT_TYPE))
};

/// `callable(*args)` (`PyObject_Vectorcall`).
pub fn call(callable: Value, args: &[Value], kwnames: Value) -> R<Value> {
    match type_of(callable).call {
        Some(f) => f(callable, args, kwnames),
        None => {
            let mut m = String::from("'");
            m.push_str(type_of(callable).name);
            m.push_str("' object is not callable");
            Err(exc::type_error(&m))
        }
    }
}

// ---- ABI entry points ------------------------------------------------------------------

#[no_mangle]
pub unsafe extern "C" fn pyrt_call(
    callable: Value,
    args: *const Value,
    nargs: usize,
    kwnames: Value,
) -> Value {
    let args = if nargs == 0 {
        &[][..]
    } else {
        core::slice::from_raw_parts(args, nargs)
    };
    ret(call(callable, args, kwnames))
}

#[no_mangle]
pub unsafe extern "C" fn pyrt_make_function(code: *const CodeInfo, defaults: Value) -> Value {
    let qualname = start::constant((*code).qualname);
    let f = new_object::<FunctionObject>(&pyrt_type_function);
    f.code = code;
    f.defaults = defaults;
    f.qualname = qualname;
    f as *mut FunctionObject as Value
}

#[no_mangle]
pub extern "C" fn pyrt_load_global_slow(slot: usize) -> Value {
    let b = start::builtin_for_global(slot);
    if b != 0 {
        return b;
    }
    let name = start::global_name(slot);
    let mut m = String::from("name '");
    m.push_str(str::as_str(name));
    m.push_str("' is not defined");
    exc::raise_name_error(name, &m);
    0
}

#[no_mangle]
pub unsafe extern "C" fn pyrt_unbound_local(code: *const CodeInfo, local: usize) -> Value {
    let mut m = String::from("cannot access local variable '");
    m.push_str(param_name(&*code, local));
    m.push_str("' where it is not associated with a value");
    exc::raise(&exc::UNBOUND_LOCAL_ERROR, &m);
    0
}

#[no_mangle]
pub extern "C" fn pyrt_traceback_here(code: *const CodeInfo, offset: usize) {
    exc::add_traceback(code as usize, offset);
}

#[no_mangle]
pub extern "C" fn pyrt_recursion_error() -> Value {
    exc::raise(&exc::RECURSION_ERROR, "maximum recursion depth exceeded");
    0
}

#[no_mangle]
pub extern "C" fn pyrt_import_name(name: Value, _fromlist: Value, _level: Value) -> Value {
    ret(crate::module::import(str::as_str(name)))
}

#[no_mangle]
pub extern "C" fn pyrt_import_from(module: Value, name: Value) -> Value {
    match ops::getattr(module, name) {
        Ok(v) => v,
        Err(_) => {
            if exc::matches(&exc::ATTRIBUTE_ERROR) {
                let mut m = String::from("cannot import name '");
                m.push_str(str::as_str(name));
                m.push_str("' from '");
                let mut modname = String::new();
                let _ = ops::str_into(
                    unsafe { obj::<crate::module::ModuleObject>(module).name },
                    &mut modname,
                );
                m.push_str(&modname);
                m.push_str("' (unknown location)");
                exc::raise(&exc::IMPORT_ERROR, &m);
            }
            0
        }
    }
}
