//! Module objects and the builtin `sys` module.

use crate::call::{builtin_value, BuiltinObject};
use crate::exc;
use crate::heap::Marker;
use crate::object::{new_object, obj, Attr, Header, TypeObject, Value, OBJECT_TYPE, R};
use crate::{list, ops, str, Global};
use alloc::string::String;

/// A module: its name and its namespace as parallel lists of names and
/// values (modules are small).
#[repr(C)]
pub struct ModuleObject {
    pub header: Header,
    pub name: Value,
    pub names: Value,
    pub values: Value,
}

static SYS: Global<Value> = Global::new(0);

pub fn for_each_root(f: &mut dyn FnMut(Value)) {
    f(*SYS.get());
}

fn module(v: Value) -> &'static mut ModuleObject {
    unsafe { obj::<ModuleObject>(v) }
}

pub fn new(name: &str) -> Value {
    let n = str::new(name);
    let names = list::new(0);
    let values = list::new(0);
    let m = new_object::<ModuleObject>(&MODULE_TYPE);
    m.name = n;
    m.names = names;
    m.values = values;
    m as *mut ModuleObject as Value
}

fn find(m: Value, name: &[u8]) -> Option<usize> {
    list::items(module(m).names)
        .iter()
        .position(|&n| str::as_str(n).as_bytes() == name)
}

pub fn set_attr(m: Value, name: &str, v: Value) {
    match find(m, name.as_bytes()) {
        Some(i) => list::items_mut(module(m).values)[i] = v,
        None => {
            let n = str::new(name);
            list::append(module(m).names, n);
            list::append(module(m).values, v);
        }
    }
}

fn module_getattr(m: Value, name: &[u8]) -> R<Option<Attr>> {
    if let Some(i) = find(m, name) {
        return Ok(Some(Attr::Value(list::items(module(m).values)[i])));
    }
    let mut msg = String::from("module '");
    msg.push_str(str::as_str(module(m).name));
    msg.push_str("' has no attribute '");
    msg.push_str(core::str::from_utf8(name).unwrap_or("?"));
    msg.push('\'');
    Err(exc::raise(&exc::ATTRIBUTE_ERROR, &msg))
}

fn module_setattr(m: Value, name: &[u8], v: Value) -> R<bool> {
    set_attr(m, core::str::from_utf8(name).unwrap_or("?"), v);
    Ok(true)
}

fn module_repr(m: Value, out: &mut String) -> R<()> {
    out.push_str("<module '");
    out.push_str(str::as_str(module(m).name));
    out.push_str("' (built-in)>");
    Ok(())
}

fn module_trace(o: usize, mk: &mut Marker) {
    let m = module(o);
    mk.mark(m.name);
    mk.mark(m.names);
    mk.mark(m.values);
}

pub static MODULE_TYPE: TypeObject = TypeObject {
    repr: Some(module_repr),
    getattr: Some(module_getattr),
    setattr: Some(module_setattr),
    trace: Some(module_trace),
    ..TypeObject::new("module", Some(&OBJECT_TYPE))
};

// ---- sys ----------------------------------------------------------------------------

/// `sys.exit([status])`: raises `SystemExit(status)`.
fn sys_exit(args: &[Value], kwnames: Value) -> R<Value> {
    ops::no_keywords("exit", kwnames)?;
    match args {
        [] => Err(exc::set(exc::new_exception(
            &exc::SYSTEM_EXIT,
            crate::tuple::new(0),
        ))),
        [status] => Err(exc::raise_value(&exc::SYSTEM_EXIT, *status)),
        _ => {
            let mut m = String::from("exit expected at most 1 argument, got ");
            ops::push_usize(&mut m, args.len());
            Err(exc::type_error(&m))
        }
    }
}

static SYS_EXIT: BuiltinObject = BuiltinObject::function("exit", sys_exit);

/// Creates `sys` with `sys.argv = argv` (a list of str).
pub fn init_sys(argv: Value) {
    let m = new("sys");
    *SYS.get() = m;
    set_attr(m, "argv", argv);
    set_attr(m, "exit", builtin_value(&SYS_EXIT));
    set_attr(m, "maxsize", crate::int::from_isize(isize::MAX));
}

/// `import name`: the builtin module of that name.
pub fn import(name: &str) -> R<Value> {
    match name {
        "sys" if *SYS.get() != 0 => Ok(*SYS.get()),
        _ => {
            let mut m = String::from("No module named '");
            m.push_str(name);
            m.push('\'');
            let s = str::new(&m);
            Err(exc::raise_value(&exc::MODULE_NOT_FOUND_ERROR, s))
        }
    }
}
