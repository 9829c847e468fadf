//! The generic template's table rows: "pop operands, call the runtime
//! helper, test for an error, push the result", with the helper's argument
//! order. `frontend::meta` gives most rows; the ones that take a name or
//! leave operands on the stack are here. Each codegen has one generic
//! template that emits any row.

use crate::meta;
use crate::opcode::Opcode::{self, *};
use crate::rt;

/// A helper argument, in the helper's parameter order.
#[derive(Clone, Copy, Debug)]
pub enum Arg {
    /// The k-th popped operand (0 = what was on top).
    Pop(usize),
    /// The entry k below the top, after the pops (not popped).
    Peek(usize),
    /// `PEEK(oparg)` after the pops (LIST_APPEND's list).
    PeekOparg,
    /// The instruction's argument, as a plain integer.
    Oparg,
    /// `co_names[oparg]`, as a str from the constant table.
    Name,
}

use Arg::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// A value (NULL = raised); pushed.
    Value,
    /// A status (-1 = raised); nothing pushed.
    Status,
}

/// "Pop `pops` operands, call `helper` with `args`, test for an error,
/// push the result (if it returns a value)".
#[derive(Clone, Debug)]
pub struct Generic {
    pub helper: rt::Helper,
    pub pops: usize,
    pub args: Vec<Arg>,
    pub returns: Returns,
}

impl Generic {
    /// The row `frontend::meta` gives for `op` (operand positions counted
    /// from the deepest popped one, then the oparg).
    pub fn from_meta(op: Opcode) -> Option<Generic> {
        let m = meta::helper(op)?;
        let pops = m.pops as usize;
        let mut args: Vec<Arg> = m.args.iter().map(|&p| Pop(pops - 1 - p as usize)).collect();
        if m.oparg {
            args.push(Oparg);
        }
        Some(Generic {
            helper: m.helper,
            pops,
            args,
            returns: if m.pushes == 1 {
                Returns::Value
            } else {
                Returns::Status
            },
        })
    }

    /// Rows that take a name or leave operands on the stack, which
    /// `frontend::meta` does not describe.
    fn named(op: Opcode) -> Option<Generic> {
        let (helper, pops, args, returns): (_, _, &[Arg], _) = match op {
            LOAD_ATTR => (rt::LOAD_ATTR, 1, &[Pop(0), Name], Returns::Value),
            // TOS.name = TOS1
            STORE_ATTR => (rt::STORE_ATTR, 2, &[Pop(0), Name, Pop(1)], Returns::Status),
            LIST_APPEND => (rt::LIST_APPEND, 1, &[PeekOparg, Pop(0)], Returns::Status),
            LIST_EXTEND => (rt::LIST_EXTEND, 1, &[PeekOparg, Pop(0)], Returns::Status),
            // (name, fromlist = TOS, level = TOS1)
            IMPORT_NAME => (rt::IMPORT_NAME, 2, &[Name, Pop(0), Pop(1)], Returns::Value),
            // The module stays on the stack.
            IMPORT_FROM => (rt::IMPORT_FROM, 0, &[Peek(0), Name], Returns::Value),
            _ => return None,
        };
        Some(Generic {
            helper,
            pops,
            args: args.to_vec(),
            returns,
        })
    }
}

/// The generic row for `op`: `frontend::meta`'s, else a named one.
pub fn generic(op: Opcode) -> Option<Generic> {
    Generic::from_meta(op).or_else(|| Generic::named(op))
}
