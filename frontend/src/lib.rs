//! Everything target-independent: Python source to CPython 3.11 code objects.

pub mod bytecode;
pub mod code;
pub mod dis;
pub mod locations;
pub mod marshal;
pub mod meta;
pub mod opcode;

/// The runtime ABI (helpers, data symbols, layouts), shared with runtime-lib.
#[path = "../../runtime-lib/src/abi.rs"]
pub mod rt;
