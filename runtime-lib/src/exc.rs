//! Exceptions: the builtin exception types, exception objects, and the
//! thread state holding the exception being raised and its traceback.

use crate::heap::Marker;
use crate::object::{
    new_object, obj, type_of, Attr, Header, Raised, TypeObject, Value, OBJECT_TYPE, R,
};
use crate::{str, tuple, Global};
use alloc::string::String;
use alloc::vec::Vec;

/// An exception instance (`BaseException` layout).
#[repr(C)]
pub struct ExceptionObject {
    pub header: Header,
    /// A tuple.
    pub args: Value,
}

/// What is being raised, and where it has been.
struct ThreadState {
    /// The exception being raised, or 0.
    current: Value,
    /// `(code: *const CodeInfo, bytecode offset)`, innermost frame first.
    traceback: Vec<(usize, usize)>,
    /// `NameError.name` of the exception being raised (a str), when the
    /// interpreter raised it for an unbound name; 0 otherwise.
    name_error_name: Value,
}

static STATE: Global<ThreadState> = Global::new(ThreadState {
    current: 0,
    traceback: Vec::new(),
    name_error_name: 0,
});

pub fn for_each_root(f: &mut dyn FnMut(Value)) {
    f(STATE.get().current);
    f(STATE.get().name_error_name);
}

/// Sets `exc` as the exception being raised, with an empty traceback.
pub fn set(exc: Value) -> Raised {
    let s = STATE.get();
    s.current = exc;
    s.traceback.clear();
    s.name_error_name = 0;
    Raised
}

/// Raises `NameError(msg)` for the unbound name `name` (a str), which
/// tracebacks use for their "Did you mean" suggestion.
pub fn raise_name_error(name: Value, msg: &str) -> Raised {
    let r = raise(&NAME_ERROR, msg);
    STATE.get().name_error_name = name;
    r
}

/// `NameError.name` of the exception being raised, if the interpreter set it.
pub fn name_error_name() -> Option<Value> {
    match STATE.get().name_error_name {
        0 => None,
        n => Some(n),
    }
}

/// The exception being raised (0 if none).
pub fn current() -> Value {
    STATE.get().current
}

/// Drops the exception being raised (it has been handled).
pub fn clear() {
    set(0);
}

/// Records that the exception passed through frame `(code, offset)`.
pub fn add_traceback(code: usize, offset: usize) {
    STATE.get().traceback.push((code, offset));
}

/// The traceback entries, innermost first.
pub fn traceback() -> &'static [(usize, usize)] {
    &STATE.get().traceback
}

/// A new exception of type `ty` with `args`.
pub fn new_exception(ty: &'static TypeObject, args: Value) -> Value {
    let e = new_object::<ExceptionObject>(ty);
    e.args = args;
    e as *mut ExceptionObject as Value
}

/// Raises `ty(arg)`.
pub fn raise_value(ty: &'static TypeObject, arg: Value) -> Raised {
    let args = tuple::new_from(&[arg]);
    set(new_exception(ty, args))
}

/// Raises `ty(msg)`.
pub fn raise(ty: &'static TypeObject, msg: &str) -> Raised {
    let s = str::new(msg);
    raise_value(ty, s)
}

/// Raises `MemoryError()`.
pub fn memory_error() -> Raised {
    set(new_exception(&MEMORY_ERROR, tuple::new(0)))
}

pub fn type_error(msg: &str) -> Raised {
    raise(&TYPE_ERROR, msg)
}

pub fn value_error(msg: &str) -> Raised {
    raise(&VALUE_ERROR, msg)
}

pub fn index_error(msg: &str) -> Raised {
    raise(&INDEX_ERROR, msg)
}

pub fn overflow_error(msg: &str) -> Raised {
    raise(&OVERFLOW_ERROR, msg)
}

pub fn zero_division_error(msg: &str) -> Raised {
    raise(&ZERO_DIVISION_ERROR, msg)
}

/// Raises the exception a number algorithm reported.
pub fn raise_num(e: crate::num::NumError) -> Raised {
    use crate::num::NumError;
    let ty: &'static TypeObject = match e {
        NumError::ZeroDivision(_) => &ZERO_DIVISION_ERROR,
        NumError::Overflow(_) => &OVERFLOW_ERROR,
        NumError::Memory => &MEMORY_ERROR,
        NumError::ComplexResult => &TYPE_ERROR,
        _ => &VALUE_ERROR,
    };
    if let NumError::Memory = e {
        return set(new_exception(ty, tuple::new(0)));
    }
    let mut m = String::new();
    e.write_message(&mut m);
    raise(ty, &m)
}

/// Does the exception being raised match `ty` (`except ty:`)?
pub fn matches(ty: &'static TypeObject) -> bool {
    let c = current();
    c != 0 && type_of(c).is_subtype(ty)
}

// ---- the exception types ---------------------------------------------------------

fn exc_args(v: Value) -> Value {
    unsafe { obj::<ExceptionObject>(v).args }
}

/// `BaseException.__str__`: '' / str(arg) / repr(args).
fn exc_str(v: Value, out: &mut String) -> R<()> {
    let args = exc_args(v);
    match tuple::items(args) {
        [] => Ok(()),
        [a] => crate::ops::str_into(*a, out),
        _ => crate::ops::repr_into(args, out),
    }
}

/// `KeyError.__str__`: repr of a single argument.
fn key_error_str(v: Value, out: &mut String) -> R<()> {
    let args = exc_args(v);
    match tuple::items(args) {
        [a] => crate::ops::repr_into(*a, out),
        _ => exc_str(v, out),
    }
}

/// `BaseException.__repr__`: `Name(arg)` / `Name(a, b)`.
fn exc_repr(v: Value, out: &mut String) -> R<()> {
    out.push_str(type_of(v).name);
    let args = exc_args(v);
    match tuple::items(args) {
        [a] => {
            out.push('(');
            crate::ops::repr_into(*a, out)?;
            out.push(')');
        }
        _ => crate::ops::repr_into(args, out)?,
    }
    Ok(())
}

fn exc_new(ty: &'static TypeObject, args: &[Value], kwnames: Value) -> R<Value> {
    if kwnames != 0 && tuple::len(kwnames) > 0 {
        let mut m = String::from(ty.name);
        m.push_str(" does not take keyword arguments");
        return Err(type_error(&m));
    }
    let t = tuple::new_from(args);
    Ok(new_exception(ty, t))
}

fn exc_trace(o: usize, m: &mut Marker) {
    m.mark(exc_args(o));
}

fn exc_getattr(v: Value, name: &[u8]) -> R<Option<Attr>> {
    let args = exc_args(v);
    Ok(match name {
        b"args" => Some(Attr::Value(args)),
        b"code" if type_of(v).is_subtype(&SYSTEM_EXIT) => Some(Attr::Value(system_exit_code(v))),
        _ => None,
    })
}

/// `SystemExit.code`: None, the single argument, or the args tuple.
pub fn system_exit_code(v: Value) -> Value {
    let args = exc_args(v);
    match tuple::items(args) {
        [] => crate::object::none(),
        [a] => *a,
        _ => args,
    }
}

const fn exception_type(name: &'static str, base: &'static TypeObject) -> TypeObject {
    TypeObject {
        repr: Some(exc_repr),
        str: Some(exc_str),
        new: Some(exc_new),
        getattr: Some(exc_getattr),
        trace: Some(exc_trace),
        ..TypeObject::new(name, Some(base))
    }
}

macro_rules! exception_types {
    ($($id:ident = $name:literal : $base:expr;)*) => {
        $(pub static $id: TypeObject = exception_type($name, $base);)*
        /// Every builtin exception type (they are builtins by name).
        pub static ALL: &[&TypeObject] = &[$(&$id),*];
    };
}

exception_types! {
    BASE_EXCEPTION = "BaseException": &OBJECT_TYPE;
    SYSTEM_EXIT = "SystemExit": &BASE_EXCEPTION;
    KEYBOARD_INTERRUPT = "KeyboardInterrupt": &BASE_EXCEPTION;
    EXCEPTION = "Exception": &BASE_EXCEPTION;
    ARITHMETIC_ERROR = "ArithmeticError": &EXCEPTION;
    ZERO_DIVISION_ERROR = "ZeroDivisionError": &ARITHMETIC_ERROR;
    OVERFLOW_ERROR = "OverflowError": &ARITHMETIC_ERROR;
    ASSERTION_ERROR = "AssertionError": &EXCEPTION;
    ATTRIBUTE_ERROR = "AttributeError": &EXCEPTION;
    IMPORT_ERROR = "ImportError": &EXCEPTION;
    MODULE_NOT_FOUND_ERROR = "ModuleNotFoundError": &IMPORT_ERROR;
    LOOKUP_ERROR = "LookupError": &EXCEPTION;
    INDEX_ERROR = "IndexError": &LOOKUP_ERROR;
    MEMORY_ERROR = "MemoryError": &EXCEPTION;
    NAME_ERROR = "NameError": &EXCEPTION;
    UNBOUND_LOCAL_ERROR = "UnboundLocalError": &NAME_ERROR;
    RUNTIME_ERROR = "RuntimeError": &EXCEPTION;
    NOT_IMPLEMENTED_ERROR = "NotImplementedError": &RUNTIME_ERROR;
    RECURSION_ERROR = "RecursionError": &RUNTIME_ERROR;
    STOP_ITERATION = "StopIteration": &EXCEPTION;
    SYSTEM_ERROR = "SystemError": &EXCEPTION;
    TYPE_ERROR = "TypeError": &EXCEPTION;
    VALUE_ERROR = "ValueError": &EXCEPTION;
}

pub static KEY_ERROR: TypeObject = TypeObject {
    str: Some(key_error_str),
    ..exception_type("KeyError", &LOOKUP_ERROR)
};
