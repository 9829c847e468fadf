//! The template table: which opcodes compile, and how. Most opcodes are one
//! generic row ("pop operands, call the runtime helper, test for an error,
//! push the result", `frontend::lower::generic`); the ones where speed lives
//! have their own function: `stack.rs` (locals, constants, globals,
//! shuffles), `flow.rs` (jumps, calls, iteration), `ops.rs` (operators).
//! The same opcodes as codegen-x86, with the same fast paths.

mod flow;
mod ops;
mod stack;

use crate::function::{FnEmitter, R};
use frontend::bytecode::Instr;
use frontend::lower::generic::{generic, Generic};
use frontend::opcode::Opcode::{self, *};
use frontend::rt;

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
        CALL => own!(|e, a| e.call_op(a)),
        MAKE_FUNCTION => own!(|e, a| e.make_function(a)),
        BUILD_LIST => own!(|e, a| e.build(rt::BUILD_LIST, a)),
        BUILD_TUPLE => own!(|e, a| e.build(rt::BUILD_TUPLE, a)),
        FOR_ITER => own!(|e, _a| e.for_iter()),
        RETURN_VALUE => own!(|e, _a| e.return_value()),
        UNPACK_SEQUENCE => own!(|e, a| e.unpack_sequence(a)),
        _ => return generic(op).map(Template::Helper),
    })
}
