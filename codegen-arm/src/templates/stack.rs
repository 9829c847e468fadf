//! Templates that move values: locals, constants, globals, stack shuffles.

use crate::function::{tag, FnEmitter, Val, POOL, R};
use crate::thumb::{Cond, R0, R1, R12, R3};
use frontend::code::Constant;
use frontend::lower::GLOBALS;
use frontend::rt;

impl FnEmitter<'_> {
    // ---- loads and stores ----------------------------------------------------

    /// LOAD_FAST i: push local i (testing it is bound unless certain).
    pub fn load_fast(&mut self, i: u32) -> R<()> {
        let index = self.an.index_of[&self.cur.offset];
        if !self.an.bound[index]
            .get(i as usize)
            .copied()
            .unwrap_or(false)
        {
            let unbound = self.asm.new_label();
            self.asm.ldr(R0, self.local(i))?; // ldr r0, [r7, #4*i]
            self.asm.cmp(R0, 0)?;
            self.asm.b_cond(Cond::Eq, unbound)?;
            let err = self.error_label();
            self.slow_path(move |e| {
                e.asm.bind(unbound)?;
                let info = e.ctx.info_symbol(e.id);
                e.sym_addr(R0, &info)?;
                e.imm(R1, i)?;
                e.call(rt::UNBOUND_LOCAL)?;
                e.asm.b(err)?;
                Ok(())
            });
        }
        self.push(Val::Local(i));
        Ok(())
    }

    /// STORE_FAST i: pop into local i.
    pub fn store_fast(&mut self, i: u32) -> R<()> {
        let v = self.pop()?;
        // Entries that still read local i must keep its old value.
        for p in 0..self.stack.len() {
            if self.stack[p] == Val::Local(i) {
                self.flush_entry(p)?;
            }
        }
        if v != Val::Local(i) {
            let r = match v {
                Val::Reg(k) => POOL[k],
                _ => {
                    self.load(v, R0)?;
                    R0
                }
            };
            self.asm.str(r, self.local(i))?; // str r, [r7, #4*i]
        }
        Ok(())
    }

    /// DELETE_FAST i: test it is bound, then unbind it.
    pub fn delete_fast(&mut self, i: u32) -> R<()> {
        self.load_fast(i)?;
        self.pop()?;
        for p in 0..self.stack.len() {
            if self.stack[p] == Val::Local(i) {
                self.flush_entry(p)?;
            }
        }
        self.asm.movs(R0, 0)?;
        self.asm.str(R0, self.local(i))?;
        Ok(())
    }

    /// LOAD_CONST i: small ints, None, True and False become immediates.
    pub fn load_const(&mut self, i: u32) -> R<()> {
        let v = match self.code.consts.get(i as usize) {
            None => return self.unsupported("constant index out of range"),
            Some(Constant::None) => Val::Sym(rt::NONE),
            Some(Constant::Bool(true)) => Val::Sym(rt::TRUE),
            Some(Constant::Bool(false)) => Val::Sym(rt::FALSE),
            Some(Constant::Int(n)) if tag(n).is_some() => Val::Imm(tag(n).unwrap_or(1)),
            Some(Constant::Code(_)) => Val::Code(self.ctx.child_code(self.id, i as usize)),
            Some(c) => Val::Const(self.ctx.consts.add(c)),
        };
        self.push(v);
        Ok(())
    }

    /// LOAD_GLOBAL / LOAD_NAME: `ldr r0, [globals + 4*slot]; cmp r0, #0;
    /// beq slow`.
    pub fn load_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let slow = self.asm.new_label();
        let back = self.asm.new_label();
        self.load_sym(R0, GLOBALS, 4 * slot)?;
        self.asm.cmp(R0, 0)?;
        self.asm.b_cond(Cond::Eq, slow)?;
        self.asm.bind(back)?;
        self.push_reg(R0)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(slow)?;
            e.imm(R0, slot)?;
            e.call(rt::LOAD_GLOBAL_SLOW)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Eq, err)?;
            e.asm.b(back)?;
            Ok(())
        });
        Ok(())
    }

    /// STORE_GLOBAL / STORE_NAME: `str r0, [globals + 4*slot]`.
    pub fn store_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let v = self.pop()?;
        self.load(v, R0)?;
        self.store_sym(R0, R3, GLOBALS, 4 * slot)
    }

    /// DELETE_GLOBAL / DELETE_NAME: unbind the slot; deleting an unbound
    /// name raises NameError (through the slow global lookup, which finds
    /// no builtin: deleting a builtin's name is refused at build time).
    pub fn delete_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let unbound = self.asm.new_label();
        self.load_sym(R0, GLOBALS, 4 * slot)?;
        self.asm.cmp(R0, 0)?;
        self.asm.b_cond(Cond::Eq, unbound)?;
        self.asm.movs(R0, 0)?;
        self.store_sym(R0, R3, GLOBALS, 4 * slot)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(unbound)?;
            e.imm(R0, slot)?;
            e.call(rt::LOAD_GLOBAL_SLOW)?;
            e.asm.b(err)?;
            Ok(())
        });
        Ok(())
    }

    pub fn copy(&mut self, i: u32) -> R<()> {
        let v = self.peek((i as usize).wrapping_sub(1))?;
        match v {
            Val::Stack(_) | Val::Reg(_) => {
                self.load(v, R0)?;
                self.push_reg(R0)?;
            }
            _ => self.push(v),
        }
        Ok(())
    }

    pub fn swap(&mut self, i: u32) -> R<()> {
        let (Some(top), Some(other)) = (
            self.stack.len().checked_sub(1),
            (i as usize)
                .checked_sub(1)
                .and_then(|k| self.stack.len().checked_sub(k + 1)),
        ) else {
            return self.unsupported("value stack underflow");
        };
        let (x, y) = (self.stack[top], self.stack[other]);
        if matches!(x, Val::Stack(_)) || matches!(y, Val::Stack(_)) {
            self.flush_entry(top)?;
            self.flush_entry(other)?;
            let (m, n) = (self.slot(top as u32), self.slot(other as u32));
            self.asm.ldr(R0, m)?;
            self.asm.ldr(R12, n)?;
            self.asm.str(R12, m)?;
            self.asm.str(R0, n)?;
        } else {
            self.stack.swap(top, other);
        }
        Ok(())
    }
}
