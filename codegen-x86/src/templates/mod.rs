//! The template table: which opcodes compile, and how. Most opcodes are one
//! row of [`Generic`] ("pop operands, call the runtime helper, test for an
//! error, push the result"); the ones where speed lives have their own
//! function: `stack.rs` (locals, constants, globals, shuffles), `flow.rs`
//! (jumps, calls, iteration), `ops.rs` (operators).

mod flow;
mod ops;
mod stack;

use crate::function::{FnEmitter, R};
use frontend::bytecode::Instr;
use frontend::opcode::Opcode::{self, *};
use frontend::{meta, rt};

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

pub type OwnTemplate = fn(&mut FnEmitter<'_>, u32, Option<Instr>) -> R<bool>;

pub enum Template {
    /// A hand-written template; gets the argument and the next instruction
    /// (when it is not a jump target) and says whether it consumed it.
    Own(OwnTemplate),
    /// The generic template with one table row.
    Helper(Generic),
}

fn nothing(_: &mut FnEmitter<'_>, _: u32, _: Option<Instr>) -> R<bool> {
    Ok(false)
}

/// Adapts a template that ignores the next instruction.
macro_rules! own {
    (|$e:ident, $arg:ident| $body:expr) => {
        Template::Own(|$e: &mut FnEmitter<'_>, $arg: u32, _: Option<Instr>| {
            $body?;
            Ok(false)
        })
    };
}

/// The template for `op`, if it has one.
pub fn template_for(op: Opcode) -> Option<Template> {
    Some(match op {
        NOP | RESUME | PRECALL => Template::Own(nothing),
        // Folded into their instruction's argument / skipped by the decoder.
        EXTENDED_ARG | CACHE => Template::Own(nothing),
        POP_TOP => own!(|e, _a| e.pop().map(drop)),
        PUSH_NULL => own!(|e, _a| e.push_null()),
        COPY => own!(|e, a| e.copy(a)),
        SWAP => own!(|e, a| e.swap(a)),
        LOAD_FAST => own!(|e, a| e.load_fast(a)),
        STORE_FAST => own!(|e, a| e.store_fast(a)),
        DELETE_FAST => own!(|e, a| e.delete_fast(a)),
        LOAD_CONST => own!(|e, a| e.load_const(a)),
        LOAD_GLOBAL => own!(|e, a| {
            if a & 1 == 1 {
                e.push_null()?;
            }
            e.load_global(a >> 1)
        }),
        LOAD_NAME => own!(|e, a| e.load_global(a)),
        STORE_NAME | STORE_GLOBAL => own!(|e, a| e.store_global(a)),
        DELETE_NAME | DELETE_GLOBAL => own!(|e, a| e.delete_global(a)),
        JUMP_FORWARD | JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT => own!(|e, _a| e.jump()),
        POP_JUMP_FORWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_TRUE => {
            own!(|e, _a| e.pop_jump_if(true))
        }
        POP_JUMP_FORWARD_IF_FALSE | POP_JUMP_BACKWARD_IF_FALSE => {
            own!(|e, _a| e.pop_jump_if(false))
        }
        POP_JUMP_FORWARD_IF_NONE | POP_JUMP_BACKWARD_IF_NONE => {
            own!(|e, _a| e.pop_jump_if_none(true))
        }
        POP_JUMP_FORWARD_IF_NOT_NONE | POP_JUMP_BACKWARD_IF_NOT_NONE => {
            own!(|e, _a| e.pop_jump_if_none(false))
        }
        JUMP_IF_TRUE_OR_POP => own!(|e, _a| e.jump_if_or_pop(true)),
        JUMP_IF_FALSE_OR_POP => own!(|e, _a| e.jump_if_or_pop(false)),
        COMPARE_OP => Template::Own(|e, cmp, next| match next {
            Some(j)
                if cmp <= 5
                    && matches!(
                        j.opcode,
                        POP_JUMP_FORWARD_IF_TRUE
                            | POP_JUMP_BACKWARD_IF_TRUE
                            | POP_JUMP_FORWARD_IF_FALSE
                            | POP_JUMP_BACKWARD_IF_FALSE
                    ) =>
            {
                e.compare_and_branch(cmp, j)?;
                Ok(true)
            }
            _ => {
                e.compare_op(cmp)?;
                Ok(false)
            }
        }),
        IS_OP => own!(|e, a| e.is_op(a)),
        UNARY_NEGATIVE => own!(|e, _a| e.unary_negative()),
        BINARY_OP => own!(|e, a| e.binary_op(a)),
        BINARY_SUBSCR => own!(|e, _a| e.binary_subscr()),
        STORE_SUBSCR => own!(|e, _a| e.store_subscr()),
        LOAD_METHOD => own!(|e, a| e.load_method(a)),
        KW_NAMES => own!(|e, a| e.kw_names(a)),
        CALL => own!(|e, a| e.call(a)),
        MAKE_FUNCTION => own!(|e, a| e.make_function(a)),
        BUILD_LIST => own!(|e, a| e.build(rt::BUILD_LIST, a)),
        BUILD_TUPLE => own!(|e, a| e.build(rt::BUILD_TUPLE, a)),
        FOR_ITER => own!(|e, _a| e.for_iter()),
        RETURN_VALUE => own!(|e, _a| e.return_value()),
        UNPACK_SEQUENCE => own!(|e, a| e.unpack_sequence(a)),
        _ => return generic(op).map(Template::Helper),
    })
}
