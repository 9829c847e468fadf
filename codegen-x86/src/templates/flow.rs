//! Templates for control flow, calls and iteration.

use crate::function::{FnEmitter, Val, R};
use frontend::rt;
use iced_x86::code_asm::*;

impl FnEmitter<'_> {
    // ---- control flow --------------------------------------------------------

    /// JUMP_FORWARD / JUMP_BACKWARD: `jmp target`.
    pub fn jump(&mut self) -> R<()> {
        let target = self.target()?;
        self.flush()?;
        self.asm.a.jmp(target)?;
        Ok(())
    }

    fn target(&mut self) -> R<CodeLabel> {
        match self.cur.jump_target() {
            Some(t) => self.label_at(t),
            None => self.unsupported("jump outside the code object"),
        }
    }

    /// RETURN_VALUE: `mov v, %rax; decq depth; leave; ret`.
    pub fn return_value(&mut self) -> R<()> {
        let v = self.pop()?;
        self.load(v, rax)?;
        if !self.is_module {
            self.asm.dec_sym(rt::RECURSION_DEPTH)?;
        }
        self.asm.a.leave()?;
        self.asm.a.ret()?;
        Ok(())
    }

    /// POP_JUMP_IF_TRUE/FALSE (`jump_if`): compare with the True and False
    /// objects inline, `pyrt_is_true` for anything else.
    pub fn pop_jump_if(&mut self, jump_if: bool) -> R<()> {
        let target = self.target()?;
        let v = self.pop()?;
        self.flush()?;
        match v {
            Val::Sym(s) if s == rt::TRUE || s == rt::FALSE => {
                if (s == rt::TRUE) == jump_if {
                    self.asm.a.jmp(target)?;
                }
                return Ok(());
            }
            Val::Sym(_) => {
                // None is false.
                if !jump_if {
                    self.asm.a.jmp(target)?;
                }
                return Ok(());
            }
            _ => {}
        }
        self.truth_branch(v, jump_if, target)
    }

    /// Branch to `target` if `bool(v) == jump_if`, else fall through.
    fn truth_branch(&mut self, v: Val, jump_if: bool, target: CodeLabel) -> R<()> {
        let (taken, other) = if jump_if {
            (rt::TRUE, rt::FALSE)
        } else {
            (rt::FALSE, rt::TRUE)
        };
        let mut slow = self.asm.a.create_label();
        let mut next = self.asm.a.create_label();
        self.load(v, rax)?;
        self.asm.lea_sym(rcx, taken, 0)?;
        self.asm.a.cmp(rax, rcx)?;
        self.asm.a.je(target)?;
        self.asm.lea_sym(rcx, other, 0)?;
        self.asm.a.cmp(rax, rcx)?;
        self.asm.a.jne(slow)?;
        self.asm.bind(&mut next)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            // A small int is true unless it is 0 (tagged: 1).
            let mut not_int = e.asm.a.create_label();
            e.asm.bind(&mut slow)?;
            e.asm.a.test(al, 1)?;
            e.asm.a.jz(not_int)?;
            e.asm.a.cmp(rax, 1)?;
            if jump_if {
                e.asm.a.jne(target)?;
            } else {
                e.asm.a.je(target)?;
            }
            e.asm.a.jmp(next)?;
            e.asm.bind(&mut not_int)?;
            e.asm.a.mov(rdi, rax)?;
            e.asm.call_sym(rt::IS_TRUE.symbol)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.js(err)?;
            if jump_if {
                e.asm.a.jnz(target)?;
            } else {
                e.asm.a.jz(target)?;
            }
            e.asm.a.jmp(next)?;
            Ok(())
        });
        Ok(())
    }

    /// POP_JUMP_IF_NONE / _NOT_NONE: a pointer compare with None.
    pub fn pop_jump_if_none(&mut self, jump_if_none: bool) -> R<()> {
        let target = self.target()?;
        let v = self.pop()?;
        self.flush()?;
        self.load(v, rax)?;
        self.asm.lea_sym(rcx, rt::NONE, 0)?;
        self.asm.a.cmp(rax, rcx)?;
        if jump_if_none {
            self.asm.a.je(target)?;
        } else {
            self.asm.a.jne(target)?;
        }
        Ok(())
    }

    /// JUMP_IF_TRUE_OR_POP / JUMP_IF_FALSE_OR_POP: jump keeping the value,
    /// or pop it and fall through.
    pub fn jump_if_or_pop(&mut self, jump_if: bool) -> R<()> {
        let target = self.target()?;
        self.flush()?;
        let v = self.pop()?;
        self.truth_branch(v, jump_if, target)
    }

    // ---- calls ---------------------------------------------------------------

    /// CALL n. Stack: `[NULL or method, callable or self, arg1..argn]`.
    /// Fast path: a function whose code takes exactly this many arguments
    /// is entered directly with a pointer to the arguments in this frame.
    pub fn call(&mut self, n: u32) -> R<()> {
        let d = self.stack.len() as u32;
        let Some(m) = d.checked_sub(n + 2) else {
            return self.unsupported("value stack underflow");
        };
        // Below the call only what the call clobbers (pool registers) moves
        // to memory; a NULL pushed by PUSH_NULL stays known.
        let known_null = self.stack[m as usize] == Val::Imm(0);
        // Where the callable is now (a register still holds it after the
        // spill below).
        let callable = self.stack[m as usize + 1];
        self.spill_regs()?;
        let first = if known_null { m + 1 } else { m };
        for p in first..d {
            self.flush_entry(p as usize)?;
        }
        let kwnames = self.kwnames.take();
        let mut common = self.asm.a.create_label();
        if known_null {
            self.load(callable, rdi)?;
            self.asm.a.lea(rsi, self.slot(m + 2))?; // args
            self.asm.a.mov(edx, n)?;
        } else {
            let mut plain = self.asm.a.create_label();
            self.asm.a.mov(rdi, self.slot(m))?; // method, or NULL
            self.asm.a.test(rdi, rdi)?;
            self.asm.a.jz(plain)?;
            self.asm.a.lea(rsi, self.slot(m + 1))?; // self, args
            self.asm.a.mov(edx, n + 1)?;
            self.asm.a.jmp(common)?;
            self.asm.bind(&mut plain)?;
            self.asm.a.mov(rdi, self.slot(m + 1))?;
            self.asm.a.lea(rsi, self.slot(m + 2))?;
            self.asm.a.mov(edx, n)?;
        }
        self.asm.bind(&mut common)?;
        let mut slow = self.asm.a.create_label();
        let mut done = self.asm.a.create_label();
        if kwnames.is_none() {
            self.asm.a.test(dil, 1)?; // a small int is no function
            self.asm.a.jnz(slow)?;
            self.asm.lea_sym(rax, rt::TYPE_FUNCTION, 0)?;
            self.asm
                .a
                .cmp(qword_ptr(rdi + 8 * rt::layout::OBJ_TYPE as i32), rax)?;
            self.asm.a.jne(slow)?;
            self.asm
                .a
                .mov(rax, qword_ptr(rdi + 8 * rt::layout::FUNCTION_CODE as i32))?; // CodeInfo
            self.asm.a.cmp(qword_ptr(rax + 8), rdx)?; // ->argcount
            self.asm.a.jne(slow)?;
            self.asm.a.call(qword_ptr(rax))?; // ->entry(func, args)
            self.asm.a.jmp(done)?;
        }
        self.asm.bind(&mut slow)?;
        match kwnames {
            Some(k) => self
                .asm
                .load_sym(rcx, frontend::lower::CONSTS, 8 * k as i64)?,
            None => self.asm.a.xor(ecx, ecx)?,
        }
        self.asm.call_sym(rt::CALL.symbol)?;
        self.asm.bind(&mut done)?;
        self.check_value()?;
        self.stack.truncate(m as usize);
        self.push_rax()
    }

    pub fn kw_names(&mut self, i: u32) -> R<()> {
        match self.code.consts.get(i as usize) {
            Some(c) => {
                self.kwnames = Some(self.ctx.consts.add(c));
                Ok(())
            }
            None => self.unsupported("constant index out of range"),
        }
    }

    /// MAKE_FUNCTION flags: `pyrt_make_function(&CodeInfo, defaults)`.
    pub fn make_function(&mut self, flags: u32) -> R<()> {
        if flags & 0x08 != 0 {
            return self.unsupported("closures");
        }
        if flags & 0x02 != 0 {
            return self.unsupported("keyword-only parameters");
        }
        let code = self.pop()?;
        let Val::Code(id) = code else {
            return self.unsupported("MAKE_FUNCTION without a code constant");
        };
        if flags & 0x04 != 0 {
            self.pop()?; // annotations: evaluated, not kept
        }
        let defaults = if flags & 0x01 != 0 {
            Some(self.pop()?)
        } else {
            None
        };
        self.spill_regs()?;
        let info = self.ctx.info_symbol(id);
        match defaults {
            Some(v) => self.load(v, rsi)?,
            None => self.asm.a.xor(esi, esi)?,
        }
        self.asm.lea_sym(rdi, &info, 0)?;
        self.asm.call_sym(rt::MAKE_FUNCTION.symbol)?;
        self.check_value()?;
        self.push_rax()
    }

    /// BUILD_LIST / BUILD_TUPLE n: the items are an array in this frame.
    pub fn build(&mut self, helper: rt::Helper, n: u32) -> R<()> {
        self.flush()?;
        let d = self.stack.len() as u32;
        let Some(first) = d.checked_sub(n) else {
            return self.unsupported("value stack underflow");
        };
        self.asm.a.lea(rdi, self.slot(first))?;
        self.asm.a.mov(esi, n)?;
        self.asm.call_sym(helper.symbol)?;
        self.check_value()?;
        self.stack.truncate(first as usize);
        self.push_rax()
    }

    /// LOAD_METHOD namei: `pyrt_load_method(obj, name, &slots)` writes the
    /// two entries `[method, self]` or `[NULL, attribute]`.
    pub fn load_method(&mut self, namei: u32) -> R<()> {
        let obj = self.pop()?;
        self.spill_regs()?;
        let d = self.stack.len() as u32;
        let name = self.name(namei)?;
        self.load(obj, rdi)?;
        self.load(Val::Const(name), rsi)?;
        self.asm.a.lea(rdx, self.slot(d))?;
        self.asm.call_sym(rt::LOAD_METHOD.symbol)?;
        self.check_status()?;
        self.push(Val::Stack(d));
        self.push(Val::Stack(d + 1));
        Ok(())
    }

    /// UNPACK_SEQUENCE n: `pyrt_unpack_sequence(seq, n, &slots)`.
    pub fn unpack_sequence(&mut self, n: u32) -> R<()> {
        let seq = self.pop()?;
        self.spill_regs()?;
        let d = self.stack.len() as u32;
        self.load(seq, rdi)?;
        self.asm.a.mov(esi, n)?;
        self.asm.a.lea(rdx, self.slot(d))?;
        self.asm.call_sym(rt::UNPACK_SEQUENCE.symbol)?;
        self.check_status()?;
        for p in d..d + n {
            self.push(Val::Stack(p));
        }
        Ok(())
    }

    /// FOR_ITER: a range iterator over machine integers steps inline;
    /// anything else is `pyrt_for_iter(it, &slot)` (1 = push the item, 0 =
    /// exhausted). Exhausted: pop the iterator and jump past the loop.
    pub fn for_iter(&mut self) -> R<()> {
        use rt::layout::{OBJ_TYPE, RANGE_ITER_NEXT, RANGE_ITER_REMAINING, RANGE_ITER_STEP};
        let target = self.target()?;
        self.flush()?;
        let d = self.stack.len() as u32;
        if d == 0 {
            return self.unsupported("value stack underflow");
        }
        let word = |w: usize| qword_ptr(rdi + 8 * w as i32);
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.asm.a.mov(rdi, self.slot(d - 1))?; // the iterator
        self.asm.lea_sym(rax, rt::TYPE_RANGE_ITER, 0)?;
        self.asm.a.cmp(word(OBJ_TYPE), rax)?;
        self.asm.a.jne(slow)?;
        self.asm.a.mov(rax, word(RANGE_ITER_REMAINING))?;
        self.asm.a.test(rax, rax)?;
        self.asm.a.jz(target)?; // exhausted
        self.asm.a.mov(rdx, word(RANGE_ITER_NEXT))?;
        self.asm.a.lea(rcx, qword_ptr(rdx + rdx))?;
        self.asm.a.sar(rcx, 1)?;
        self.asm.a.cmp(rcx, rdx)?; // is it a small int?
        self.asm.a.jne(slow)?;
        self.asm.a.sub(rax, 1)?;
        self.asm.a.mov(word(RANGE_ITER_REMAINING), rax)?;
        self.asm.a.mov(rax, rdx)?;
        self.asm.a.add(rax, word(RANGE_ITER_STEP))?;
        self.asm.a.mov(word(RANGE_ITER_NEXT), rax)?;
        self.asm.a.lea(rax, qword_ptr(rdx + rdx + 1))?; // tag
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        let item = self.slot(d);
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.asm.a.lea(rsi, item)?;
            e.asm.call_sym(rt::FOR_ITER.symbol)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.js(err)?;
            e.asm.a.jz(target)?;
            e.asm.a.mov(rax, item)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }
}
