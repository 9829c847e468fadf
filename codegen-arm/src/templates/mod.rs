//! The template table: which opcodes compile, and how. Most opcodes are one
//! generic row ("pop operands, call the runtime helper, test for an error,
//! push the result", `frontend::lower::generic`); the ones where speed lives
//! have their own function: `stack.rs` (locals, constants, globals,
//! shuffles), `flow.rs` (jumps, calls, iteration), `ops.rs` (operators).
//! The same opcodes as codegen-x86, with the same fast paths.

mod flow;
mod ops;
mod stack;

use crate::function::{CgError, FnEmitter, R};
use frontend::bytecode::Instr;
pub use frontend::lower::templates::Template;
use frontend::lower::templates::{self, Templates};
use frontend::opcode::Opcode;
use frontend::rt;

/// This target's hand-written templates, for the table in
/// [`frontend::lower::templates`] (the same opcodes and fast paths on every
/// target).
impl Templates for FnEmitter<'_> {
    type Error = CgError;
    fn pop_top(&mut self) -> R<()> {
        self.pop().map(drop)
    }
    fn push_null(&mut self) -> R<()> {
        FnEmitter::push_null(self)
    }
    fn copy(&mut self, n: u32) -> R<()> {
        FnEmitter::copy(self, n)
    }
    fn swap(&mut self, n: u32) -> R<()> {
        FnEmitter::swap(self, n)
    }
    fn load_fast(&mut self, local: u32) -> R<()> {
        FnEmitter::load_fast(self, local)
    }
    fn store_fast(&mut self, local: u32) -> R<()> {
        FnEmitter::store_fast(self, local)
    }
    fn delete_fast(&mut self, local: u32) -> R<()> {
        FnEmitter::delete_fast(self, local)
    }
    fn load_const(&mut self, index: u32) -> R<()> {
        FnEmitter::load_const(self, index)
    }
    fn load_global(&mut self, name: u32) -> R<()> {
        FnEmitter::load_global(self, name)
    }
    fn store_global(&mut self, name: u32) -> R<()> {
        FnEmitter::store_global(self, name)
    }
    fn delete_global(&mut self, name: u32) -> R<()> {
        FnEmitter::delete_global(self, name)
    }
    fn jump(&mut self) -> R<()> {
        FnEmitter::jump(self)
    }
    fn pop_jump_if(&mut self, when: bool) -> R<()> {
        FnEmitter::pop_jump_if(self, when)
    }
    fn pop_jump_if_none(&mut self, when_none: bool) -> R<()> {
        FnEmitter::pop_jump_if_none(self, when_none)
    }
    fn jump_if_or_pop(&mut self, when: bool) -> R<()> {
        FnEmitter::jump_if_or_pop(self, when)
    }
    fn compare_and_branch(&mut self, cmp: u32, jump: Instr) -> R<()> {
        FnEmitter::compare_and_branch(self, cmp, jump)
    }
    fn compare_op(&mut self, cmp: u32) -> R<()> {
        FnEmitter::compare_op(self, cmp)
    }
    fn is_op(&mut self, invert: u32) -> R<()> {
        FnEmitter::is_op(self, invert)
    }
    fn unary_negative(&mut self) -> R<()> {
        FnEmitter::unary_negative(self)
    }
    fn binary_op(&mut self, nb_op: u32) -> R<()> {
        FnEmitter::binary_op(self, nb_op)
    }
    fn binary_subscr(&mut self) -> R<()> {
        FnEmitter::binary_subscr(self)
    }
    fn store_subscr(&mut self) -> R<()> {
        FnEmitter::store_subscr(self)
    }
    fn load_method(&mut self, name: u32) -> R<()> {
        FnEmitter::load_method(self, name)
    }
    fn kw_names(&mut self, index: u32) -> R<()> {
        FnEmitter::kw_names(self, index)
    }
    fn call(&mut self, nargs: u32) -> R<()> {
        FnEmitter::call_op(self, nargs)
    }
    fn make_function(&mut self, flags: u32) -> R<()> {
        FnEmitter::make_function(self, flags)
    }
    fn build(&mut self, helper: rt::Helper, n: u32) -> R<()> {
        FnEmitter::build(self, helper, n)
    }
    fn for_iter(&mut self) -> R<()> {
        FnEmitter::for_iter(self)
    }
    fn return_value(&mut self) -> R<()> {
        FnEmitter::return_value(self)
    }
    fn unpack_sequence(&mut self, n: u32) -> R<()> {
        FnEmitter::unpack_sequence(self, n)
    }
}

/// The template for `op`, if it has one.
pub fn template_for<'p>(op: Opcode) -> Option<Template<FnEmitter<'p>>> {
    templates::template_for(op)
}
