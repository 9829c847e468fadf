//! The runtime ABI: the one place that says what compiled code and the
//! runtime agree on.
//!
//! This file is plain `core` Rust and is compiled twice: into `runtime-lib`
//! (which implements every entry point named here) and, through
//! `#[path]`, into `frontend` as `frontend::rt` (whose opcode metadata the
//! codegens read). A helper renamed here but not in the runtime fails the
//! `abi_symbols` test and the link, never a user's program.
//!
//! Conventions, for every target:
//! - A *value* is one machine word (`usize`): a tagged small int when its low
//!   bit is 1 (`value = (n << 1) | 1`), otherwise a pointer to a GC object
//!   whose first word is its type object. `0` is NULL: "no value / an
//!   exception has been raised".
//! - Every helper is `extern "C"`. One that returns a value returns NULL after
//!   raising; one that returns a status (`isize`) returns -1 after raising
//!   (0/1 are its results). The raised exception sits in the runtime's thread
//!   state; compiled code only propagates it.
//! - Compiled functions are `extern "C" fn(func: Value, args: *const Value)
//!   -> Value` where `args` points at exactly `co_argcount` values (the
//!   caller has already matched arguments to parameters and filled
//!   defaults). The module's code is called with `func = 0, args = 0`.

/// One machine word: a tagged small int or a pointer to a GC object.
pub type Value = usize;

/// Low bit set: small int, `n = (value as isize) >> INT_SHIFT`.
pub const INT_TAG: usize = 1;
pub const INT_SHIFT: u32 = 1;
/// Small ints hold `usize::BITS - 1` bits: [-2**62, 2**62) on x86-64,
/// [-2**30, 2**30) on 32-bit targets. Anything else is a heap bigint.
pub const SMALL_INT_BITS: u32 = usize::BITS - INT_SHIFT;

/// A runtime entry point that compiled code calls, by its link name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Helper {
    pub symbol: &'static str,
}

macro_rules! helpers {
    ($($(#[$doc:meta])* $name:ident = $sym:literal;)*) => {
        $($(#[$doc])* pub const $name: Helper = Helper { symbol: $sym };)*
        /// Every helper, for the test that checks the archive defines them.
        pub const ALL_HELPERS: &[Helper] = &[$($name),*];
    };
}

helpers! {
    // ---- numbers and generic operators ------------------------------------
    /// `(a, b, nb_op) -> value`: `BINARY_OP` with its 3.11 oparg (`NB_ADD`=0 …
    /// `NB_INPLACE_XOR`=25); small ints take this path only on overflow.
    BINARY_OP = "pyrt_binary_op";
    /// `(a, b, cmp) -> value`: `COMPARE_OP` with `dis.cmp_op` index 0..=5.
    COMPARE_OP = "pyrt_compare_op";
    /// `(a, b, cmp) -> status`: the comparison's truth, for compare-and-branch.
    COMPARE_BOOL = "pyrt_compare_bool";
    /// `(item, container, invert) -> value`: `CONTAINS_OP`.
    CONTAINS_OP = "pyrt_contains_op";
    /// `(a) -> value`
    UNARY_NEGATIVE = "pyrt_unary_negative";
    /// `(a) -> value`
    UNARY_POSITIVE = "pyrt_unary_positive";
    /// `(a) -> value`
    UNARY_INVERT = "pyrt_unary_invert";
    /// `(a) -> value` (`True`/`False`)
    UNARY_NOT = "pyrt_unary_not";
    /// `(a) -> status`: `bool(a)`, for conditional jumps on non-bool values.
    IS_TRUE = "pyrt_is_true";

    // ---- containers ---------------------------------------------------------
    /// `(container, index) -> value`: `container[index]`.
    BINARY_SUBSCR = "pyrt_binary_subscr";
    /// `(container, index, value) -> status`: `container[index] = value`.
    STORE_SUBSCR = "pyrt_store_subscr";
    /// `(container, index) -> status`: `del container[index]`.
    DELETE_SUBSCR = "pyrt_delete_subscr";
    /// `(items: *const Value, n) -> value`: a new list of `n` items.
    BUILD_LIST = "pyrt_build_list";
    /// `(items: *const Value, n) -> value`: a new tuple of `n` items.
    BUILD_TUPLE = "pyrt_build_tuple";
    /// `(list, item) -> status`: `LIST_APPEND`.
    LIST_APPEND = "pyrt_list_append";
    /// `(list, iterable) -> status`: `LIST_EXTEND`.
    LIST_EXTEND = "pyrt_list_extend";
    /// `(seq, n, out: *mut Value) -> status`: `UNPACK_SEQUENCE n`; writes the
    /// items to `out[0..n]` in stack order (`out[0]` ends up deepest, i.e. the
    /// *last* item of the sequence, as CPython pushes them reversed).
    UNPACK_SEQUENCE = "pyrt_unpack_sequence";

    // ---- iteration ----------------------------------------------------------
    /// `(obj) -> value`: `iter(obj)`.
    GET_ITER = "pyrt_get_iter";
    /// `(iterator, out: *mut Value) -> status`: 1 = next item stored in
    /// `*out`, 0 = exhausted, -1 = raised.
    FOR_ITER = "pyrt_for_iter";

    // ---- names, attributes, calls -------------------------------------------
    /// `(slot) -> value`: global slot `slot` is unbound: the builtin of that
    /// name, or `NameError`.
    LOAD_GLOBAL_SLOW = "pyrt_load_global_slow";
    /// `(code: *const CodeInfo, local) -> NULL`: raises `UnboundLocalError`
    /// for local `local` of `code`.
    UNBOUND_LOCAL = "pyrt_unbound_local";
    /// `(obj, name) -> value`: `obj.name` (`name` is a str value).
    LOAD_ATTR = "pyrt_load_attr";
    /// `(obj, name, value) -> status`: `obj.name = value`.
    STORE_ATTR = "pyrt_store_attr";
    /// `(obj, name, out: *mut Value) -> status`: `LOAD_METHOD`; writes the two
    /// stack slots, `out[0]` deeper: `[method, obj]` or `[NULL, attribute]`.
    LOAD_METHOD = "pyrt_load_method";
    /// `(callable, args: *const Value, nargs, kwnames) -> value`: any call.
    /// `kwnames` is NULL or a tuple of str naming the last `len(kwnames)`
    /// of the `nargs` arguments (`KW_NAMES`).
    CALL = "pyrt_call";
    /// `(code: *const CodeInfo, defaults) -> value`: `MAKE_FUNCTION`;
    /// `defaults` is NULL or a tuple (flag 0x01).
    MAKE_FUNCTION = "pyrt_make_function";
    /// `(name, fromlist, level) -> value`: `IMPORT_NAME`.
    IMPORT_NAME = "pyrt_import_name";
    /// `(module, name) -> value`: `IMPORT_FROM`.
    IMPORT_FROM = "pyrt_import_from";

    // ---- errors ------------------------------------------------------------
    /// `(code: *const CodeInfo, offset)`: append this frame (bytecode byte
    /// offset of the failing instruction) to the traceback of the exception
    /// being raised. Called by the error exit of every compiled function.
    TRACEBACK_HERE = "pyrt_traceback_here";
    /// `() -> NULL`: raises `RecursionError` (the inline depth check failed).
    /// The function that could not be entered then undoes its depth
    /// increment and returns NULL *without* `pyrt_traceback_here`: CPython
    /// never entered that frame, so its traceback does not show it.
    RECURSION_ERROR = "pyrt_recursion_error";
}

// ---- data symbols the runtime defines ---------------------------------------

/// The `None` object (a static; its address is the value).
pub const NONE: &str = "pyrt_None";
/// The `True` object.
pub const TRUE: &str = "pyrt_True";
/// The `False` object.
pub const FALSE: &str = "pyrt_False";
/// `usize`: Python frames currently active (the module counts as one).
pub const RECURSION_DEPTH: &str = "pyrt_recursion_depth";
/// `usize`: raise `RecursionError` when entering a frame would make
/// `RECURSION_DEPTH` exceed this (CPython's default, 1000).
pub const RECURSION_LIMIT: &str = "pyrt_recursion_limit";
/// Type objects compiled code compares against for inline fast paths.
pub const TYPE_FUNCTION: &str = "pyrt_type_function";
pub const TYPE_LIST: &str = "pyrt_type_list";
pub const TYPE_BYTES: &str = "pyrt_type_bytes";
pub const TYPE_FLOAT: &str = "pyrt_type_float";
/// `iter(range(...))` while its items are machine integers (FOR_ITER's
/// inline path).
pub const TYPE_RANGE_ITER: &str = "pyrt_type_range_iter";

// ---- data symbols the compiled program defines ---------------------------

/// The [`Program`] descriptor; the runtime's entry point runs it.
pub const PROGRAM: &str = "pyaot_program";

/// Builtin functions and modules the runtime provides (by name). The
/// compiler refuses, at build time, a program that uses a CPython builtin
/// missing from this list.
pub const BUILTINS: &[&str] = &[
    "print", "len", "str", "repr", "int", "float", "bool", "abs", "range", "min", "max", "bytes",
    "list", "tuple",
];

/// The binding record of each name of [`BUILTINS`], by its data symbol:
/// two words, the object the name is bound to and, for a type, the
/// constructor that calling it runs (0 for none). The compiler emits, for
/// each global slot named after a builtin, a pointer to that record
/// ([`Program::global_builtins`]), so a program links only the builtins (and
/// the constructors) it names.
pub const BUILTIN_OBJECTS: &[(&str, &str)] = &[
    ("print", "pyrt_builtin_print"),
    ("len", "pyrt_builtin_len"),
    ("str", "pyrt_builtin_str"),
    ("repr", "pyrt_builtin_repr"),
    ("int", "pyrt_builtin_int"),
    ("float", "pyrt_builtin_float"),
    ("bool", "pyrt_builtin_bool"),
    ("abs", "pyrt_builtin_abs"),
    ("range", "pyrt_builtin_range"),
    ("min", "pyrt_builtin_min"),
    ("max", "pyrt_builtin_max"),
    ("bytes", "pyrt_builtin_bytes"),
    ("list", "pyrt_builtin_list"),
    ("tuple", "pyrt_builtin_tuple"),
];

/// Module globals the runtime binds before the module body runs, like
/// CPython's `__main__` module (`__name__ == "__main__"`).
pub const MODULE_GLOBALS: &[&str] = &["__name__"];

/// Runtime code a program links only when its bytecode needs it: each entry
/// names the `BINARY_OP` opargs (plain and in-place) that need the feature
/// record at the data symbol. The compiler lists the records the program
/// needs in [`Program::features`]; the runtime runs each record's `init`
/// (one word, a function pointer) at start-up, before the module body.
pub const OPERATOR_FEATURES: &[(&[u32], &str)] = &[
    // `+`, `-`, `<<`, `>>`, `&`, `|`, `^`: int arithmetic beyond 64 bits.
    (&[0, 13], "pyrt_op_add"),
    (&[10, 23], "pyrt_op_subtract"),
    (&[3, 16], "pyrt_op_lshift"),
    (&[9, 22], "pyrt_op_rshift"),
    (&[1, 14], "pyrt_op_and"),
    (&[7, 20], "pyrt_op_or"),
    (&[12, 25], "pyrt_op_xor"),
    // `*`: int multiplication beyond 64 bits.
    (&[5, 18], "pyrt_op_multiply"),
    // `//`: int division beyond 64 bits.
    (&[2, 15], "pyrt_op_floor_divide"),
    // `%`: printf-style formatting (`str % args`), int modulo beyond 64 bits.
    (&[6, 19], "pyrt_op_remainder"),
    // `**`: int powers beyond 64 bits and with negative exponents.
    (&[8, 21], "pyrt_op_power"),
    // `/`: int true division (a float).
    (&[11, 24], "pyrt_op_true_divide"),
];

/// The feature record for float constants: in [`Program::features`] when
/// some constant of the program is (or holds) a float, so that only such
/// programs link the float type through the constant unmarshaller.
pub const FLOAT_CONSTANTS: &str = "pyrt_const_float";

/// The feature record for bytes constants: in [`Program::features`] when
/// some constant of the program is (or holds) a bytes object.
pub const BYTES_CONSTANTS: &str = "pyrt_const_bytes";

/// The feature record for big int constants: in [`Program::features`] when
/// some constant of the program is (or holds) an int of 2**60 or more in
/// magnitude (more than four 15-bit marshal digits).
pub const LONG_CONSTANTS: &str = "pyrt_const_long";

/// Modules `import` can load.
pub const MODULES: &[&str] = &["sys"];

/// Attribute and method names the runtime implements on some type or
/// module. The compiler refuses, at build time, an attribute name that no
/// supported type has.
pub const ATTRIBUTES: &[&str] = &["append", "argv", "exit"];

/// The Cortex-M image (`--target cortex-m3`): what the built-in linker
/// (link/src/builtin/firmware.rs) and the runtime's reset handler agree on.
/// The runtime defines the vector table; the linker places it first in
/// flash and defines the symbols below (addresses, declare them as
/// `extern "C" { static _sdata: u32; }` and take their address).
///
/// I/O is ARM semihosting, as `pyaot run --target cortex-m3` and the tests
/// run QEMU (`qemu-system-arm -M mps2-an385 -semihosting-config
/// enable=on,target=native,arg=app.py,arg=ARG1,... -kernel app.elf`, no
/// chardev, checked with QEMU 10.0): standard output is a handle from
/// `SYS_OPEN(":tt", mode 4)` written with `SYS_WRITE`, standard error one
/// from `SYS_OPEN(":tt", mode 8)` (QEMU keeps them apart; `SYS_WRITE0` and
/// `SYS_WRITEC` go to stderr). `sys.argv` is `SYS_GET_CMDLINE` split at
/// spaces (`app.py ARG1 ...`). The exit status is `SYS_EXIT_EXTENDED`
/// (0x20) with the block `{0x20026, status}`.
pub mod cortex_m {
    /// The vector table: words `[initial SP (= _stack_top), reset handler,
    /// NMI, HardFault, ...]`, in a section named [`VECTORS_SECTION`]. The
    /// root of the link: everything linked is reachable from it. The reset
    /// handler (its second word) is the ELF entry point.
    pub const VECTORS: &str = "__vectors";
    pub const VECTORS_SECTION: &str = ".vectors";
    /// Load address (in flash) of `.data`'s initial values.
    pub const SIDATA: &str = "_sidata";
    /// `.data` in RAM: `[_sdata, _edata)`, copied from `_sidata` at reset.
    pub const SDATA: &str = "_sdata";
    pub const EDATA: &str = "_edata";
    /// `.bss` in RAM: `[_sbss, _ebss)`, zeroed at reset.
    pub const SBSS: &str = "_sbss";
    pub const EBSS: &str = "_ebss";
    /// The heap: `[_heap_start, _heap_end)`, 8-byte aligned.
    pub const HEAP_START: &str = "_heap_start";
    pub const HEAP_END: &str = "_heap_end";
    /// The stack: `[_stack_bottom, _stack_top)`; `_stack_top` is the end of
    /// RAM (8-byte aligned), the initial SP.
    pub const STACK_BOTTOM: &str = "_stack_bottom";
    pub const STACK_TOP: &str = "_stack_top";
}

/// Object layouts that inline fast paths read, in words from the object's
/// start. The runtime asserts its structs agree.
pub mod layout {
    /// Every object: word 0 is its type object.
    pub const OBJ_TYPE: usize = 0;
    /// Function: the `CodeInfo` it runs.
    pub const FUNCTION_CODE: usize = 1;
    /// List: number of items.
    pub const LIST_LEN: usize = 1;
    /// List: pointer to the items (an array of values).
    pub const LIST_ITEMS: usize = 2;
    /// Bytes: number of bytes.
    pub const BYTES_LEN: usize = 1;
    /// Bytes: the bytes themselves start here (inline).
    pub const BYTES_DATA: usize = 2;
    /// Float: the `f64` (8 bytes, also on 32-bit targets).
    pub const FLOAT_VALUE: usize = 1;
    /// Range iterator: the next item, the step and the number of items
    /// left, as machine integers (`isize`, `isize`, `usize`), not values.
    pub const RANGE_ITER_NEXT: usize = 1;
    pub const RANGE_ITER_STEP: usize = 2;
    pub const RANGE_ITER_REMAINING: usize = 3;
}

/// What the compiler emits for each code object (read-only data). Every
/// field is one word so that both targets lay it out the same way.
#[repr(C)]
pub struct CodeInfo {
    /// `extern "C" fn(func: Value, args: *const Value) -> Value`
    pub entry: usize,
    pub argcount: usize,
    /// `co_nlocals` (arguments included).
    pub nlocals: usize,
    pub flags: usize,
    pub firstlineno: usize,
    /// Index into [`Program::consts`] of `co_name` (a str).
    pub name: usize,
    /// Index into [`Program::consts`] of `co_qualname` (a str).
    pub qualname: usize,
    /// Index into [`Program::consts`] of a tuple of `co_localsplusnames`.
    pub varnames: usize,
    /// Source locations for tracebacks: `locations_len` records of five
    /// `u32`s, `[start_offset, line, end_line, col, end_col]`, sorted by
    /// `start_offset` (a bytecode byte offset). An instruction's location is
    /// the last record whose `start_offset` is at or before its offset.
    /// Columns are 0-based UTF-8 byte offsets as in CPython; `u32::MAX`
    /// marks an absent line or column. Decoded from `co_linetable` by the
    /// compiler, so the runtime never parses the 3.11 format.
    pub locations: *const u32,
    pub locations_len: usize,
}

/// The whole compiled program (read-only data, symbol [`PROGRAM`]).
#[repr(C)]
pub struct Program {
    /// The module's code object; its `entry` runs the module body.
    pub module: *const CodeInfo,
    /// `nconsts` constants in `marshal` format, back to back, no refs. A code
    /// object constant is written as `None`: compiled code never loads it as
    /// a value, `MAKE_FUNCTION` takes the `CodeInfo` directly.
    pub consts_blob: *const u8,
    pub consts_blob_len: usize,
    pub nconsts: usize,
    /// `nconsts` writable words (zeroed); the runtime unmarshals into them at
    /// start-up. A GC root.
    pub consts: *mut Value,
    pub nglobals: usize,
    /// `nglobals` writable words (zeroed = unbound): the module namespace.
    /// A GC root.
    pub globals: *mut Value,
    /// `nglobals` words: for each global slot, the index into `consts` of
    /// its name (a str).
    pub global_names: *const usize,
    /// `nglobals` words: for each global slot named after a builtin, the
    /// address of its binding record ([`BUILTIN_OBJECTS`]: what the slot
    /// loads while unbound), else 0.
    pub global_builtins: *const usize,
    /// Index into `consts` of the file name (a str) tracebacks print.
    pub filename: usize,
    /// The program's source text (UTF-8), for the source lines tracebacks
    /// print.
    pub source: *const u8,
    pub source_len: usize,
    /// The feature records ([`OPERATOR_FEATURES`], [`FLOAT_CONSTANTS`], ...) the
    /// program needs: their addresses, ended by 0.
    pub features: *const usize,
}
