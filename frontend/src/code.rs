//! CPython 3.11 code objects, exactly as `marshal` stores them.
//!
//! The compiler produces these, the marshal writer serialises them into a
//! `.pyc`, the `dis` printer shows them, and the codegens translate them.
//! Nothing here is specific to pyaot's own compiler: a code object read from
//! CPython's own `.pyc` has the same shape.

use num_bigint::BigInt;

/// `co_flags` bits (Include/cpython/code.h, 3.11).
pub mod flags {
    pub const CO_OPTIMIZED: u32 = 0x0001;
    pub const CO_NEWLOCALS: u32 = 0x0002;
    pub const CO_VARARGS: u32 = 0x0004;
    pub const CO_VARKEYWORDS: u32 = 0x0008;
    pub const CO_NESTED: u32 = 0x0010;
    pub const CO_GENERATOR: u32 = 0x0020;
    pub const CO_NOFREE: u32 = 0x0040;
    pub const CO_COROUTINE: u32 = 0x0080;
    pub const CO_ITERABLE_COROUTINE: u32 = 0x0100;
    pub const CO_ASYNC_GENERATOR: u32 = 0x0200;
}

/// `co_localspluskinds` bits (Include/internal/pycore_code.h, 3.11).
pub mod kinds {
    pub const CO_FAST_LOCAL: u8 = 0x20;
    pub const CO_FAST_CELL: u8 = 0x40;
    pub const CO_FAST_FREE: u8 = 0x80;
}

/// A value in `co_consts`.
#[derive(Clone, Debug)]
pub enum Constant {
    None,
    Ellipsis,
    Bool(bool),
    Int(BigInt),
    Float(f64),
    Complex { re: f64, im: f64 },
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Constant>),
    FrozenSet(Vec<Constant>),
    Code(Box<CodeObject>),
}

/// One code object (`types.CodeType`) in its 3.11 layout.
#[derive(Clone, Debug)]
pub struct CodeObject {
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub stacksize: u32,
    pub flags: u32,
    /// `co_code`: 2-byte code units, CACHE entries included.
    pub code: Vec<u8>,
    pub consts: Vec<Constant>,
    pub names: Vec<String>,
    /// `co_localsplusnames`: locals (arguments first), then cells, then frees.
    pub localsplusnames: Vec<String>,
    /// `co_localspluskinds`, one byte per name (see [`kinds`]).
    pub localspluskinds: Vec<u8>,
    pub filename: String,
    pub name: String,
    pub qualname: String,
    pub firstlineno: u32,
    /// `co_linetable` in the 3.11 format (Objects/locations.md).
    pub linetable: Vec<u8>,
    /// `co_exceptiontable` (Objects/exception_handling_notes.txt).
    pub exceptiontable: Vec<u8>,
}
