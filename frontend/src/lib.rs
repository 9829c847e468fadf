//! Everything target-independent: Python source to CPython 3.11 code objects.

pub mod bytecode;
pub mod code;
pub mod compile;
pub mod dis;
pub mod error;
pub mod locations;
pub mod lower;
pub mod marshal;
pub mod meta;
pub mod opcode;
pub mod versions;

/// The runtime ABI (helpers, data symbols, layouts), shared with runtime-lib.
#[path = "../../runtime-lib/src/abi.rs"]
pub mod rt;

pub use compile::compile_module;
pub use error::CompileError;
