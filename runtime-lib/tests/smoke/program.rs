//! A hand-written stand-in for a compiled program, to test the runtime
//! before (and independently of) the code generator. It does what pyaot's
//! output for `smoke.py` does: the same `Program` record, constants
//! blob and `CodeInfo` records, and entry functions that call the runtime
//! helpers the way the templates do (test the result, record the traceback
//! entry, return NULL).
//!
//! Built and run by the runtime's `smoke_program_matches_cpython` test the
//! way pyaot builds a program: this file becomes an object file
//! (`rustc --emit obj`), linked with `libpyaot_rt.a` by
//! `cc -static -nostdlib -nostartfiles -no-pie`.
#![no_std]
#![allow(non_upper_case_globals)]

#[path = "../../src/abi.rs"]
#[allow(dead_code)]
mod abi;

use abi::{CodeInfo, Program, Value};

extern "C" {
    fn pyrt_load_global_slow(slot: usize) -> Value;
    fn pyrt_binary_op(a: Value, b: Value, op: usize) -> Value;
    fn pyrt_build_list(items: *const Value, n: usize) -> Value;
    fn pyrt_call(callable: Value, args: *const Value, nargs: usize, kwnames: Value) -> Value;
    fn pyrt_make_function(code: *const CodeInfo, defaults: Value) -> Value;
    fn pyrt_get_iter(v: Value) -> Value;
    fn pyrt_for_iter(it: Value, out: *mut Value) -> isize;
    fn pyrt_traceback_here(code: *const CodeInfo, offset: usize);
    fn pyrt_recursion_error() -> Value;
    static mut pyrt_recursion_depth: usize;
    static pyrt_recursion_limit: usize;
    static pyrt_None: usize;
    static pyrt_builtin_print: [usize; 2];
    static pyrt_builtin_range: [usize; 2];
    static pyrt_op_add: usize;
    static pyrt_op_floor_divide: usize;
    static pyrt_op_power: usize;
    static pyrt_op_true_divide: usize;
    static pyrt_const_float: usize;
    static pyrt_const_bytes: usize;
    static pyrt_const_long: usize;
}

const NB_FLOOR_DIVIDE: usize = 2;
const NB_ADD: usize = 0;
const NB_POWER: usize = 8;
const NB_TRUE_DIVIDE: usize = 11;

fn int(n: isize) -> Value {
    ((n << 1) | 1) as Value
}

/// Constants: 0 '<module>', 1 'smoke.py', 2 'print', 3 'f', 4 'hello',
/// 5 'a', 6 2.5, 7 ('x',), 8 (), 9 7.0, 10 'é日本', 11 b'a\x00\xff',
/// 12 2**100, 13 'range', 14 'i', 15 'y'.
const NCONSTS: usize = 16;
static BLOB: &[u8] = b"\x7a\x08\x3c\x6d\x6f\x64\x75\x6c\x65\x3e\x7a\x08\x73\x6d\x6f\x6b\x65\x2e\x70\x79\x7a\x05\x70\x72\x69\x6e\x74\x7a\x01\x66\x7a\x05\x68\x65\x6c\x6c\x6f\x7a\x01\x61\x67\x00\x00\x00\x00\x00\x00\x04\x40\x29\x01\x7a\x01\x78\x29\x00\x67\x00\x00\x00\x00\x00\x00\x1c\x40\x75\x08\x00\x00\x00\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\x73\x03\x00\x00\x00\x61\x00\xff\x6c\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x7a\x05\x72\x61\x6e\x67\x65\x7a\x01\x69\x7a\x01\x79";
static mut CONSTS: [Value; NCONSTS] = [0; NCONSTS];
/// Global slots: 0 print, 1 f, 2 i, 3 y, 4 range.
static mut GLOBALS: [Value; 5] = [0; 5];
static GLOBAL_NAMES: [usize; 5] = [2, 3, 14, 15, 13];
/// The builtins' binding records: `print` and `range`.
static GLOBAL_BUILTINS: Shared<[*const [usize; 2]; 5]> = Shared([
    &raw const pyrt_builtin_print,
    core::ptr::null(),
    core::ptr::null(),
    core::ptr::null(),
    &raw const pyrt_builtin_range,
]);

static SOURCE: &str = include_str!("smoke.py");

#[repr(transparent)]
struct Shared<T>(T);
unsafe impl<T> Sync for Shared<T> {}

type Entry = extern "C" fn(Value, *const Value) -> Value;

/// `CodeInfo` with a typed entry point (a function address is not a
/// constant integer in Rust, so `CodeInfo::entry: usize` cannot be
/// initialised statically); same layout.
#[repr(C)]
struct Code {
    entry: Entry,
    argcount: usize,
    nlocals: usize,
    flags: usize,
    firstlineno: usize,
    name: usize,
    qualname: usize,
    varnames: usize,
    locations: *const u32,
    locations_len: usize,
}

const _: () = assert!(core::mem::size_of::<Code>() == core::mem::size_of::<CodeInfo>());

fn info(c: &'static Shared<Code>) -> *const CodeInfo {
    &c.0 as *const Code as *const CodeInfo
}

/// `[start_offset, line, end_line, col, end_col]` per instruction.
static MODULE_LOCATIONS: [u32; 15] = [
    0, 1, 2, 0, 17, // def f(x): ...
    10, 3, 3, 0, 120, // print(...)
    20, 6, 6, 0, 4, // f(0)
];
static F_LOCATIONS: [u32; 5] = [0, 2, 2, 11, 17]; // 1 // x

static MODULE_CODE: Shared<Code> = Shared(Code {
    entry: module_entry,
    argcount: 0,
    nlocals: 0,
    flags: 0,
    firstlineno: 1,
    name: 0,
    qualname: 0,
    varnames: 8,
    locations: MODULE_LOCATIONS.as_ptr(),
    locations_len: 3,
});

static F_CODE: Shared<Code> = Shared(Code {
    entry: f_entry,
    argcount: 1,
    nlocals: 1,
    flags: 3,
    firstlineno: 1,
    name: 3,
    qualname: 3,
    varnames: 7,
    locations: F_LOCATIONS.as_ptr(),
    locations_len: 1,
});

#[no_mangle]
static pyaot_program: Shared<Program> = Shared(Program {
    module: &MODULE_CODE.0 as *const Code as *const CodeInfo,
    consts_blob: BLOB.as_ptr(),
    consts_blob_len: BLOB.len(),
    nconsts: NCONSTS,
    consts: &raw mut CONSTS as *mut Value,
    nglobals: 5,
    globals: &raw mut GLOBALS as *mut Value,
    global_names: GLOBAL_NAMES.as_ptr(),
    global_builtins: GLOBAL_BUILTINS.0.as_ptr() as *const usize,
    filename: 1,
    source: SOURCE.as_ptr(),
    source_len: SOURCE.len(),
    features: FEATURES.0.as_ptr() as *const usize,
});

/// The runtime features `smoke.py` needs: the operators `+`, `//`, `**`,
/// `/` and float, bytes and big int constants.
static FEATURES: Shared<[*const usize; 8]> = Shared([
    &raw const pyrt_op_add,
    &raw const pyrt_op_floor_divide,
    &raw const pyrt_op_power,
    &raw const pyrt_op_true_divide,
    &raw const pyrt_const_float,
    &raw const pyrt_const_bytes,
    &raw const pyrt_const_long,
    core::ptr::null(),
]);

/// The error exit of a compiled function.
unsafe fn error(code: *const CodeInfo, offset: usize) -> Value {
    pyrt_traceback_here(code, offset);
    pyrt_recursion_depth -= 1;
    0
}

/// `def f(x): return 1 // x`
extern "C" fn f_entry(_func: Value, args: *const Value) -> Value {
    unsafe {
        pyrt_recursion_depth += 1;
        if pyrt_recursion_depth > pyrt_recursion_limit {
            pyrt_recursion_depth -= 1;
            return pyrt_recursion_error();
        }
        let x = *args;
        let r = pyrt_binary_op(int(1), x, NB_FLOOR_DIVIDE);
        if r == 0 {
            return error(info(&F_CODE), 0);
        }
        pyrt_recursion_depth -= 1;
        r
    }
}

extern "C" fn module_entry(_func: Value, _args: *const Value) -> Value {
    unsafe {
        let consts = &raw const CONSTS as *const Value;
        let c = |i: usize| *consts.add(i);
        let globals = &raw mut GLOBALS as *mut Value;
        // def f(x): ...
        let f = pyrt_make_function(info(&F_CODE), 0);
        *globals.add(1) = f;
        // print("hello", 42, [1, 'a', 2.5, 'é日本', b'a\x00\xff'], 2 ** 100, -7 // 2, 7.0 / 2, <2**100>)
        let mut print = *globals;
        if print == 0 {
            print = pyrt_load_global_slow(0);
            if print == 0 {
                return error(info(&MODULE_CODE), 10);
            }
        }
        let items = [int(1), c(5), c(6), c(10), c(11)];
        let list = pyrt_build_list(items.as_ptr(), items.len());
        let big = pyrt_binary_op(int(2), int(100), NB_POWER);
        let q = pyrt_binary_op(int(-7), int(2), NB_FLOOR_DIVIDE);
        let d = pyrt_binary_op(c(9), int(2), NB_TRUE_DIVIDE);
        let args = [c(4), int(42), list, big, q, d, c(12)];
        if pyrt_call(print, args.as_ptr(), args.len(), 0) == 0 {
            return error(info(&MODULE_CODE), 10);
        }
        // for i in range(2000000): y = [2.5 + i]
        let range = pyrt_load_global_slow(4);
        let it = pyrt_get_iter(pyrt_call(range, [int(2_000_000)].as_ptr(), 1, 0));
        let mut i: Value = 0;
        while pyrt_for_iter(it, &mut i) == 1 {
            *globals.add(2) = i;
            let x = pyrt_binary_op(c(6), i, NB_ADD);
            *globals.add(3) = pyrt_build_list([x].as_ptr(), 1);
        }
        // f(0)
        if pyrt_call(f, [int(0)].as_ptr(), 1, 0) == 0 {
            return error(info(&MODULE_CODE), 20);
        }
        &raw const pyrt_None as Value
    }
}
