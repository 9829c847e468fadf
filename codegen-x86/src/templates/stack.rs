//! Templates that move values: locals, constants, globals, stack shuffles.

use crate::function::{tag, FnEmitter, Val, POOL, R};
use frontend::code::Constant;
use frontend::rt;
use iced_x86::code_asm::*;

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
            let mut unbound = self.asm.a.create_label();
            self.asm.a.cmp(self.local(i), 0)?; // cmpq $0, -8(i+1)(%rbp)
            self.asm.a.je(unbound)?;
            let err = self.error_label();
            self.slow_path(move |e| {
                e.asm.bind(&mut unbound)?;
                let info = e.ctx.info_symbol(e.id);
                e.asm.lea_sym(rdi, &info, 0)?;
                e.asm.a.mov(esi, i)?;
                e.asm.call_sym(rt::UNBOUND_LOCAL.symbol)?;
                e.asm.a.jmp(err)?;
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
            let m = self.local(i);
            self.store(m, v)?;
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
        self.asm.a.mov(self.local(i), 0)?;
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

    /// LOAD_GLOBAL / LOAD_NAME: `mov globals+8*slot(%rip), %rax; test; jz slow`.
    pub fn load_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.asm
            .load_sym(rax, frontend::lower::GLOBALS, 8 * slot as i64)?;
        self.asm.a.test(rax, rax)?;
        self.asm.a.jz(slow)?;
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.asm.a.mov(edi, slot)?;
            e.asm.call_sym(rt::LOAD_GLOBAL_SLOW.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }

    /// STORE_GLOBAL / STORE_NAME: `mov %r, globals+8*slot(%rip)`.
    pub fn store_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let v = self.pop()?;
        let r = match v {
            Val::Reg(k) => POOL[k],
            _ => {
                self.load(v, rax)?;
                rax
            }
        };
        self.asm
            .store_sym(frontend::lower::GLOBALS, 8 * slot as i64, r)?;
        Ok(())
    }

    /// DELETE_GLOBAL / DELETE_NAME: unbind the slot; deleting an unbound
    /// name raises NameError (through the slow global lookup, which finds
    /// no builtin: deleting a builtin's name is refused at build time).
    pub fn delete_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let mut unbound = self.asm.a.create_label();
        self.asm
            .load_sym(rax, frontend::lower::GLOBALS, 8 * slot as i64)?;
        self.asm.a.test(rax, rax)?;
        self.asm.a.jz(unbound)?;
        self.asm.a.xor(eax, eax)?;
        self.asm
            .store_sym(frontend::lower::GLOBALS, 8 * slot as i64, rax)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut unbound)?;
            e.asm.a.mov(edi, slot)?;
            e.asm.call_sym(rt::LOAD_GLOBAL_SLOW.symbol)?;
            e.asm.a.jmp(err)?;
            Ok(())
        });
        Ok(())
    }

    pub fn copy(&mut self, i: u32) -> R<()> {
        let v = self.peek((i as usize).wrapping_sub(1))?;
        match v {
            Val::Stack(_) | Val::Reg(_) => {
                self.load(v, rax)?;
                self.push_rax()?;
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
            self.asm.a.mov(rax, m)?;
            self.asm.a.mov(rcx, n)?;
            self.asm.a.mov(m, rcx)?;
            self.asm.a.mov(n, rax)?;
        } else {
            self.stack.swap(top, other);
        }
        Ok(())
    }
}
