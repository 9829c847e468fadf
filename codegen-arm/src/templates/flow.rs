//! Templates for control flow, calls and iteration.

use crate::function::{FnEmitter, Val, R};
use crate::thumb::{ptr, Cond, Label, R0, R1, R12, R2, R3, R7};
use frontend::lower::CONSTS;
use frontend::rt;

impl FnEmitter<'_> {
    // ---- control flow --------------------------------------------------------

    /// JUMP_FORWARD / JUMP_BACKWARD: `b target`.
    pub fn jump(&mut self) -> R<()> {
        let target = self.target()?;
        self.flush()?;
        self.asm.b(target)?;
        Ok(())
    }

    fn target(&mut self) -> R<Label> {
        match self.cur.jump_target() {
            Some(t) => self.label_at(t),
            None => self.unsupported("jump outside the code object"),
        }
    }

    /// RETURN_VALUE: `r0 = v; depth -= 1; add sp, sp, #N; pop {r7, pc}`.
    pub fn return_value(&mut self) -> R<()> {
        let v = self.pop()?;
        self.load(v, R0)?;
        if !self.is_module {
            self.add_depth(-1)?;
        }
        self.leave()
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
                    self.asm.b(target)?;
                }
                return Ok(());
            }
            Val::Sym(_) => {
                // None is false.
                if !jump_if {
                    self.asm.b(target)?;
                }
                return Ok(());
            }
            _ => {}
        }
        self.truth_branch(v, jump_if, target)
    }

    /// Branch to `target` if `bool(v) == jump_if`, else fall through.
    fn truth_branch(&mut self, v: Val, jump_if: bool, target: Label) -> R<()> {
        let (taken, other) = if jump_if {
            (rt::TRUE, rt::FALSE)
        } else {
            (rt::FALSE, rt::TRUE)
        };
        // After comparing a small int with 0 (tagged 1), or the helper's
        // 0/1 with 0: the condition that takes the jump.
        let jump_cond = if jump_if { Cond::Ne } else { Cond::Eq };
        let slow = self.asm.new_label();
        let next = self.asm.new_label();
        self.load(v, R0)?;
        self.sym_addr(R1, taken)?;
        self.asm.cmp(R0, R1)?;
        self.asm.b_cond(Cond::Eq, target)?;
        self.sym_addr(R1, other)?;
        self.asm.cmp(R0, R1)?;
        self.asm.b_cond(Cond::Ne, slow)?;
        self.asm.bind(next)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            // A small int is true unless it is 0 (tagged: 1).
            let not_int = e.asm.new_label();
            e.asm.bind(slow)?;
            e.asm.tst(R0, 1)?;
            e.asm.b_cond(Cond::Eq, not_int)?;
            e.asm.cmp(R0, 1)?;
            e.asm.b_cond(jump_cond, target)?;
            e.asm.b(next)?;
            e.asm.bind(not_int)?;
            e.call(rt::IS_TRUE)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Lt, err)?;
            e.asm.b_cond(jump_cond, target)?; // r0 is 1 (true) or 0
            e.asm.b(next)?;
            Ok(())
        });
        Ok(())
    }

    /// POP_JUMP_IF_NONE / _NOT_NONE: a pointer compare with None.
    pub fn pop_jump_if_none(&mut self, jump_if_none: bool) -> R<()> {
        let target = self.target()?;
        let v = self.pop()?;
        self.flush()?;
        self.load(v, R0)?;
        self.sym_addr(R1, rt::NONE)?;
        self.asm.cmp(R0, R1)?;
        let cond = if jump_if_none { Cond::Eq } else { Cond::Ne };
        self.asm.b_cond(cond, target)?;
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
    /// is entered directly (`blx`) with a pointer to the arguments in this
    /// frame.
    pub fn call_op(&mut self, n: u32) -> R<()> {
        use rt::layout::{FUNCTION_CODE, OBJ_TYPE};
        let d = self.stack.len() as u32;
        let Some(m) = d.checked_sub(n + 2) else {
            return self.unsupported("value stack underflow");
        };
        // A NULL pushed by PUSH_NULL stays known; then the callable goes in
        // r0 and only the arguments need their slots (a callable held in a
        // pool register stays a GC root: callees save r4-r8 on the stack).
        let known_null = self.stack[m as usize] == Val::Imm(0);
        let callable = self.stack[m as usize + 1];
        let first = if known_null { m + 2 } else { m };
        for p in first..d {
            self.flush_entry(p as usize)?;
        }
        let kwnames = self.kwnames.take();
        let common = self.asm.new_label();
        if known_null {
            self.load(callable, R0)?;
            self.asm.add(R1, R7, self.slot_off(m + 2))?; // args
            self.imm(R2, n)?;
        } else {
            let plain = self.asm.new_label();
            self.asm.ldr(R0, self.slot(m))?; // method, or NULL
            self.asm.cmp(R0, 0)?;
            self.asm.b_cond(Cond::Eq, plain)?;
            self.asm.add(R1, R7, self.slot_off(m + 1))?; // self, args
            self.imm(R2, n + 1)?;
            self.asm.b(common)?;
            self.asm.bind(plain)?;
            self.asm.ldr(R0, self.slot(m + 1))?;
            self.asm.add(R1, R7, self.slot_off(m + 2))?;
            self.imm(R2, n)?;
        }
        self.asm.bind(common)?;
        let slow = self.asm.new_label();
        let done = self.asm.new_label();
        if kwnames.is_none() {
            self.asm.tst(R0, 1)?; // a small int is no function
            self.asm.b_cond(Cond::Ne, slow)?;
            self.asm.ldr(R3, ptr(R0, 4 * OBJ_TYPE as i32))?;
            self.sym_addr(R12, rt::TYPE_FUNCTION)?;
            self.asm.cmp(R3, R12)?;
            self.asm.b_cond(Cond::Ne, slow)?;
            self.asm.ldr(R3, ptr(R0, 4 * FUNCTION_CODE as i32))?; // CodeInfo
            self.asm.ldr(R12, ptr(R3, 4))?; // ->argcount
            self.asm.cmp(R12, R2)?;
            self.asm.b_cond(Cond::Ne, slow)?;
            self.asm.ldr(R3, ptr(R3, 0))?; // ->entry
            self.asm.blx(R3)?; // entry(func, args)
            self.asm.b(done)?;
        }
        self.asm.bind(slow)?;
        match kwnames {
            Some(k) => self.load_sym(R3, CONSTS, 4 * k)?,
            None => self.asm.movs(R3, 0)?,
        }
        self.call(rt::CALL)?;
        self.asm.bind(done)?;
        self.check_value()?;
        self.stack.truncate(m as usize);
        self.push_reg(R0)
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
        let info = self.ctx.info_symbol(id);
        match defaults {
            Some(v) => self.load(v, R1)?,
            None => self.asm.movs(R1, 0)?,
        }
        self.sym_addr(R0, &info)?;
        self.call(rt::MAKE_FUNCTION)?;
        self.check_value()?;
        self.push_reg(R0)
    }

    /// BUILD_LIST / BUILD_TUPLE n: the items are an array in this frame.
    pub fn build(&mut self, helper: rt::Helper, n: u32) -> R<()> {
        self.flush()?;
        let d = self.stack.len() as u32;
        let Some(first) = d.checked_sub(n) else {
            return self.unsupported("value stack underflow");
        };
        self.asm.add(R0, R7, self.slot_off(first))?;
        self.imm(R1, n)?;
        self.call(helper)?;
        self.check_value()?;
        self.stack.truncate(first as usize);
        self.push_reg(R0)
    }

    /// LOAD_METHOD namei: `pyrt_load_method(obj, name, &slots)` writes the
    /// two entries `[method, self]` or `[NULL, attribute]`.
    pub fn load_method(&mut self, namei: u32) -> R<()> {
        let obj = self.pop()?;
        let d = self.stack.len() as u32;
        let name = self.name(namei)?;
        self.load(obj, R0)?;
        self.load(Val::Const(name), R1)?;
        self.asm.add(R2, R7, self.slot_off(d))?;
        self.call(rt::LOAD_METHOD)?;
        self.check_status()?;
        self.push(Val::Stack(d));
        self.push(Val::Stack(d + 1));
        Ok(())
    }

    /// UNPACK_SEQUENCE n: `pyrt_unpack_sequence(seq, n, &slots)`.
    pub fn unpack_sequence(&mut self, n: u32) -> R<()> {
        let seq = self.pop()?;
        let d = self.stack.len() as u32;
        self.load(seq, R0)?;
        self.imm(R1, n)?;
        self.asm.add(R2, R7, self.slot_off(d))?;
        self.call(rt::UNPACK_SEQUENCE)?;
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
        let word = |w: usize| ptr(R0, 4 * w as i32);
        let slow = self.asm.new_label();
        let back = self.asm.new_label();
        self.asm.ldr(R0, self.slot(d - 1))?; // the iterator
        self.sym_addr(R1, rt::TYPE_RANGE_ITER)?;
        self.asm.ldr(R2, word(OBJ_TYPE))?;
        self.asm.cmp(R2, R1)?;
        self.asm.b_cond(Cond::Ne, slow)?;
        self.asm.ldr(R1, word(RANGE_ITER_REMAINING))?;
        self.asm.cmp(R1, 0)?;
        self.asm.b_cond(Cond::Eq, target)?; // exhausted
        self.asm.ldr(R2, word(RANGE_ITER_NEXT))?;
        self.asm.adds(R3, R2, R2)?; // 2 * next: is it a small int?
        self.asm.b_cond(Cond::Vs, slow)?;
        self.asm.sub(R1, R1, 1)?;
        self.asm.str(R1, word(RANGE_ITER_REMAINING))?;
        self.asm.ldr(R12, word(RANGE_ITER_STEP))?;
        self.asm.add(R12, R2, R12)?;
        self.asm.str(R12, word(RANGE_ITER_NEXT))?;
        self.asm.orr(R0, R3, 1)?; // tag
        self.asm.bind(back)?;
        self.push_reg(R0)?;
        let err = self.error_label();
        let item = self.slot_off(d);
        self.slow_path(move |e| {
            e.asm.bind(slow)?;
            e.asm.add(R1, R7, item)?;
            e.call(rt::FOR_ITER)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Lt, err)?;
            e.asm.b_cond(Cond::Eq, target)?;
            e.asm.ldr(R0, ptr(R7, item))?;
            e.asm.b(back)?;
            Ok(())
        });
        Ok(())
    }
}
