//! The template table, written once for every target: which opcodes
//! compile, and how. Most opcodes are one row of [`Generic`] ("pop operands,
//! call the runtime helper, test for an error, push the result"); the ones
//! where speed lives have a hand-written template, a method of the target's
//! emitter ([`Templates`]). Each codegen implements the trait with its own
//! instructions; what the opcodes mean (the NULL bit of `LOAD_GLOBAL`, which
//! jumps a `COMPARE_OP` fuses with, which opcodes do nothing) is said here.

use super::generic::{generic, Generic};
use crate::bytecode::Instr;
use crate::opcode::Opcode::{self, *};
use crate::rt;

/// The hand-written templates a target's function emitter provides. Each
/// emits the machine code of one opcode for its argument.
pub trait Templates {
    type Error;
    fn pop_top(&mut self) -> Result<(), Self::Error>;
    fn push_null(&mut self) -> Result<(), Self::Error>;
    fn copy(&mut self, n: u32) -> Result<(), Self::Error>;
    fn swap(&mut self, n: u32) -> Result<(), Self::Error>;
    fn load_fast(&mut self, local: u32) -> Result<(), Self::Error>;
    fn store_fast(&mut self, local: u32) -> Result<(), Self::Error>;
    fn delete_fast(&mut self, local: u32) -> Result<(), Self::Error>;
    fn load_const(&mut self, index: u32) -> Result<(), Self::Error>;
    fn load_global(&mut self, name: u32) -> Result<(), Self::Error>;
    fn store_global(&mut self, name: u32) -> Result<(), Self::Error>;
    fn delete_global(&mut self, name: u32) -> Result<(), Self::Error>;
    fn jump(&mut self) -> Result<(), Self::Error>;
    fn pop_jump_if(&mut self, when: bool) -> Result<(), Self::Error>;
    fn pop_jump_if_none(&mut self, when_none: bool) -> Result<(), Self::Error>;
    fn jump_if_or_pop(&mut self, when: bool) -> Result<(), Self::Error>;
    /// `COMPARE_OP cmp` fused with the conditional jump `jump` after it.
    fn compare_and_branch(&mut self, cmp: u32, jump: Instr) -> Result<(), Self::Error>;
    fn compare_op(&mut self, cmp: u32) -> Result<(), Self::Error>;
    fn is_op(&mut self, invert: u32) -> Result<(), Self::Error>;
    fn unary_negative(&mut self) -> Result<(), Self::Error>;
    fn binary_op(&mut self, nb_op: u32) -> Result<(), Self::Error>;
    fn binary_subscr(&mut self) -> Result<(), Self::Error>;
    fn store_subscr(&mut self) -> Result<(), Self::Error>;
    fn load_method(&mut self, name: u32) -> Result<(), Self::Error>;
    fn kw_names(&mut self, index: u32) -> Result<(), Self::Error>;
    fn call(&mut self, nargs: u32) -> Result<(), Self::Error>;
    fn make_function(&mut self, flags: u32) -> Result<(), Self::Error>;
    /// `BUILD_LIST` / `BUILD_TUPLE`: `helper(items, n)`.
    fn build(&mut self, helper: rt::Helper, n: u32) -> Result<(), Self::Error>;
    fn for_iter(&mut self) -> Result<(), Self::Error>;
    fn return_value(&mut self) -> Result<(), Self::Error>;
    fn unpack_sequence(&mut self, n: u32) -> Result<(), Self::Error>;
}

/// A hand-written template: gets the argument and the next instruction
/// (when it is not a jump target) and says whether it consumed it.
pub type OwnTemplate<E> = fn(&mut E, u32, Option<Instr>) -> Result<bool, <E as Templates>::Error>;

pub enum Template<E: Templates> {
    Own(OwnTemplate<E>),
    /// The generic template with one table row.
    Helper(Generic),
}

fn nothing<E: Templates>(_: &mut E, _: u32, _: Option<Instr>) -> Result<bool, E::Error> {
    Ok(false)
}

/// Adapts a template that ignores the next instruction.
macro_rules! own {
    (|$e:ident, $arg:ident| $body:expr) => {
        Template::Own(|$e: &mut E, $arg: u32, _: Option<Instr>| {
            $body?;
            Ok(false)
        })
    };
}

/// `COMPARE_OP` followed by a conditional jump compiles as one
/// compare-and-branch; otherwise it pushes a bool.
fn compare_op<E: Templates>(e: &mut E, cmp: u32, next: Option<Instr>) -> Result<bool, E::Error> {
    match next {
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
    }
}

/// The template for `op` on emitter `E`, if it has one.
pub fn template_for<E: Templates>(op: Opcode) -> Option<Template<E>> {
    Some(match op {
        NOP | RESUME | PRECALL => Template::Own(nothing::<E>),
        // Folded into their instruction's argument / skipped by the decoder.
        EXTENDED_ARG | CACHE => Template::Own(nothing::<E>),
        POP_TOP => own!(|e, _a| e.pop_top()),
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
        COMPARE_OP => Template::Own(compare_op::<E>),
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
