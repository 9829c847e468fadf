//! Start-up and shutdown: the process entry (`_start` in the platform
//! layer jumps to [`pyrt_main`]), the program's constants and global
//! slots, `sys.argv`, running the module, and what an uncaught exception
//! or `SystemExit` turns into.

use crate::abi::{CodeInfo, Program, Value};
use crate::object::{none, type_of};
use crate::{builtins, exc, heap, int, io, list, marshal, module, ops, str, Global};
use alloc::string::String;

struct Started {
    program: *const Program,
}

static STARTED: Global<Started> = Global::new(Started {
    program: core::ptr::null(),
});

pub fn program() -> &'static Program {
    unsafe { &*STARTED.get().program }
}

/// Constant `i` of the program (names, qualnames, varnames tuples...).
pub fn constant(i: usize) -> Value {
    unsafe { *program().consts.add(i) }
}

pub fn global_name(slot: usize) -> Value {
    constant(unsafe { *program().global_names.add(slot) })
}

/// A feature record (`abi::OPERATOR_FEATURES`, `abi::FLOAT_CONSTANTS`):
/// runtime code linked only into programs that need it, hooked in at
/// start-up by `init`.
#[repr(C)]
pub struct Feature {
    pub init: fn(),
}

/// The builtin an unbound global slot loads (or 0).
pub fn builtin_for_global(slot: usize) -> Value {
    let p = program();
    if slot >= p.nglobals {
        return 0;
    }
    match unsafe { *p.global_builtins.add(slot) } {
        0 => 0,
        binding => unsafe { &*(binding as *const builtins::Binding) }.object(),
    }
}

/// Loads `program`'s constants and builds `sys`.
///
/// # Safety
/// `program` must be a valid [`Program`] record whose pointers stay valid
/// for the rest of the process.
pub unsafe fn init(program: *const Program, argv: &[*const u8]) {
    let p = &*program;
    STARTED.get().program = program;
    heap::add_root_range(p.consts, p.nconsts);
    heap::add_root_range(p.globals, p.nglobals);
    // The runtime features the program needs (before its constants).
    let mut feature = p.features;
    while *feature != 0 {
        ((*(*feature as *const Feature)).init)();
        feature = feature.add(1);
    }
    let blob = core::slice::from_raw_parts(p.consts_blob, p.consts_blob_len);
    let mut r = marshal::Reader::new(blob);
    for i in 0..p.nconsts {
        match r.object() {
            Ok(v) => *p.consts.add(i) = v,
            Err(marshal::MarshalError::Unsupported(what)) => {
                let mut m = String::from("pyaot: unsupported constant type: ");
                m.push_str(what);
                io::fatal(&m)
            }
            Err(_) => io::fatal("Fatal Python error: pyaot: malformed constants in the program"),
        }
    }
    // The program runs as `__main__`.
    for slot in 0..p.nglobals {
        let name = global_name(slot);
        if str::is_str(name) && str::as_str(name) == "__name__" {
            *p.globals.add(slot) = str::new("__main__");
        }
    }
    // The builtin types the program names become callable.
    for slot in 0..p.nglobals {
        let binding = *p.global_builtins.add(slot);
        if binding != 0 {
            builtins::bind(&*(binding as *const builtins::Binding));
        }
    }
    let args = list::new(argv.len());
    for &a in argv {
        let bytes = core::slice::from_raw_parts(a, c_strlen(a));
        let text = String::from_utf8_lossy(bytes);
        let s = str::new(&text);
        list::append(args, s);
    }
    module::init_sys(args);
}

unsafe fn c_strlen(p: *const u8) -> usize {
    let mut n = 0;
    while *p.add(n) != 0 {
        n += 1;
    }
    n
}

/// Runs the module code; returns the process exit status.
pub fn run_module() -> i32 {
    let code: &CodeInfo = unsafe { &*program().module };
    unsafe { crate::call::pyrt_recursion_depth = 1 };
    let entry: crate::call::Entry =
        unsafe { core::mem::transmute::<usize, crate::call::Entry>(code.entry) };
    let r = entry(0, core::ptr::null());
    if r != 0 {
        return 0;
    }
    handle_uncaught()
}

/// What CPython does with an exception that reaches the top
/// (`_Py_HandleSystemExit`, `PyErr_Print`).
fn handle_uncaught() -> i32 {
    let e = exc::current();
    if e == 0 {
        io::fatal("Fatal Python error: error return without exception set");
    }
    if type_of(e).is_subtype(&exc::SYSTEM_EXIT) {
        let code = exc::system_exit_code(e);
        if code == none() {
            return 0;
        }
        if int::is_int(code) {
            return int::to_isize(code).map(|n| n as i32).unwrap_or(-1);
        }
        io::flush_stdout();
        let mut s = String::new();
        if ops::str_into(code, &mut s).is_ok() {
            s.push('\n');
            io::write_stderr(s.as_bytes());
        }
        return 1;
    }
    io::flush_stdout();
    crate::traceback::print_uncaught(e);
    1
}

/// The entry point `_start` calls with the initial stack pointer
/// (argc, argv[], NULL, envp[]).
#[cfg(not(test))]
pub unsafe extern "C" fn pyrt_main(sp: *const usize) -> ! {
    extern "C" {
        static pyaot_program: Program;
    }
    heap::set_stack_top(sp as usize);
    let argc = *sp;
    let argv = core::slice::from_raw_parts(sp.add(1) as *const *const u8, argc);
    init(&raw const pyaot_program, argv);
    let status = run_module();
    io::exit(status)
}
