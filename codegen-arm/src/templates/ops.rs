//! Operator templates: small ints (`crate::smallint`) and lists inline,
//! runtime helpers on the slow path.

use crate::function::{FnEmitter, Val, R};
use crate::smallint::{self, *};
use crate::thumb::{ptr, ptr_index, Cond, Label, Reg, R0, R1, R2, R3};
use frontend::bytecode::Instr;
use frontend::opcode::Opcode::*;
use frontend::rt;

impl FnEmitter<'_> {
    // ---- operators -----------------------------------------------------------

    /// `r0 = flags say cond ? True : False` after a `cmp` (movw/movt leave
    /// the flags alone).
    fn bool_from_flags(&mut self, cond: Cond) -> R<()> {
        self.sym_addr(R0, rt::TRUE)?;
        self.sym_addr(R1, rt::FALSE)?;
        self.asm.it(cond.invert())?;
        self.asm.mov(R0, R1)?;
        Ok(())
    }

    /// IS_OP invert: a pointer compare.
    pub fn is_op(&mut self, invert: u32) -> R<()> {
        let b = self.pop()?;
        let a = self.pop()?;
        self.load(a, R2)?;
        self.load(b, R3)?;
        self.asm.cmp(R2, R3)?;
        self.bool_from_flags(if invert == 0 { Cond::Eq } else { Cond::Ne })?;
        self.push_reg(R0)
    }

    /// Load `v` into `r` and branch to `slow` unless it is a small int.
    fn int_operand(&mut self, v: Val, r: Reg, slow: Label) -> R<()> {
        self.load(v, r)?;
        if v.small_int().is_none() {
            self.asm.tst(r, 1)?;
            self.asm.b_cond(Cond::Eq, slow)?;
        }
        Ok(())
    }

    /// `cmp r0, b` for a small int `b`: an immediate when it has a form,
    /// else r1 (branching to `slow` unless it is a small int).
    fn cmp_int_operand(&mut self, b: Val, slow: Label) -> R<()> {
        match b
            .small_int()
            .filter(|&x| smallint::flag_setting_imm(x as i64))
        {
            Some(x) => self.asm.cmp(R0, x)?,
            None => {
                self.int_operand(b, R1, slow)?;
                self.asm.cmp(R0, R1)?;
            }
        }
        Ok(())
    }

    /// COMPARE_OP cmp, fused with the POP_JUMP_IF_* that follows: for two
    /// small ints `cmp` + `b<cond>`, otherwise `pyrt_compare_bool`.
    pub fn compare_and_branch(&mut self, cmp: u32, jump: Instr) -> R<()> {
        let jump_if = matches!(
            jump.opcode,
            POP_JUMP_FORWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_TRUE
        );
        let b = self.pop()?;
        let a = self.pop()?;
        self.flush()?;
        let target = match jump.jump_target() {
            Some(t) => self.label_at(t)?,
            None => return self.unsupported("jump outside the code object"),
        };
        let slow = self.asm.new_label();
        let next = self.asm.new_label();
        if a.never_int() || b.never_int() {
            self.asm.b(slow)?;
        } else {
            self.int_operand(a, R0, slow)?;
            // Tagging keeps the order: compare the words themselves.
            self.cmp_int_operand(b, slow)?;
            let cond = if jump_if {
                cond_of(cmp)
            } else {
                cond_of(cmp).invert()
            };
            self.asm.b_cond(cond, target)?;
        }
        self.asm.bind(next)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(slow)?;
            e.load(a, R0)?;
            e.load(b, R1)?;
            e.imm(R2, cmp)?;
            e.call(rt::COMPARE_BOOL)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Lt, err)?;
            e.asm
                .b_cond(if jump_if { Cond::Ne } else { Cond::Eq }, target)?;
            e.asm.b(next)?;
            Ok(())
        });
        Ok(())
    }

    /// COMPARE_OP cmp producing a bool: small ints inline (`cmp`, then
    /// True or False by an IT block).
    pub fn compare_op(&mut self, cmp: u32) -> R<()> {
        let (b, a) = (self.peek(0)?, self.peek(1)?);
        if a.never_int() || b.never_int() || cmp > 5 {
            return self.via_helper(COMPARE_OP, cmp);
        }
        self.pop()?;
        self.pop()?;
        let slow = self.asm.new_label();
        let back = self.asm.new_label();
        self.int_operand(a, R0, slow)?;
        self.cmp_int_operand(b, slow)?;
        self.bool_from_flags(cond_of(cmp))?;
        self.asm.bind(back)?;
        self.push_reg(R0)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(slow)?;
            e.load(a, R0)?;
            e.load(b, R1)?;
            e.imm(R2, cmp)?;
            e.call(rt::COMPARE_OP)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Eq, err)?;
            e.asm.b(back)?;
            Ok(())
        });
        Ok(())
    }

    /// BINARY_OP nb: small ints inline for + - * // % & | ^ << >>, with
    /// `pyrt_binary_op` on overflow or for other types.
    pub fn binary_op(&mut self, nb: u32) -> R<()> {
        let op = if nb >= NB_INPLACE {
            nb - NB_INPLACE
        } else {
            nb
        };
        let inline = matches!(
            op,
            NB_ADD
                | NB_SUBTRACT
                | NB_MULTIPLY
                | NB_AND
                | NB_OR
                | NB_XOR
                | NB_FLOOR_DIVIDE
                | NB_REMAINDER
                | NB_RSHIFT
                | NB_LSHIFT
        );
        let (b, a) = (self.peek(0)?, self.peek(1)?);
        if !inline || a.never_int() || b.never_int() {
            return self.via_helper(BINARY_OP, nb);
        }
        self.pop()?;
        self.pop()?;
        let slow = self.asm.new_label();
        let back = self.asm.new_label();
        self.int_operand(a, R0, slow)?;
        let by_imm = match b.small_int() {
            Some(bt) => smallint::binary_op_imm(&mut self.asm, op, bt, slow)?,
            None => false,
        };
        if !by_imm {
            self.int_operand(b, R1, slow)?;
            self.int_op_reg(op, slow)?;
        }
        self.asm.bind(back)?;
        self.push_reg(R0)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(slow)?;
            e.load(a, R0)?;
            e.load(b, R1)?;
            e.imm(R2, nb)?;
            e.call(rt::BINARY_OP)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Eq, err)?;
            e.asm.b(back)?;
            Ok(())
        });
        Ok(())
    }

    /// UNARY_NEGATIVE: small ints inline (`2 - word`), the helper otherwise.
    pub fn unary_negative(&mut self) -> R<()> {
        let v = self.peek(0)?;
        if v.never_int() {
            return self.via_helper(UNARY_NEGATIVE, 0);
        }
        self.pop()?;
        let slow = self.asm.new_label();
        let back = self.asm.new_label();
        self.int_operand(v, R0, slow)?;
        self.asm.rsbs(R0, R0, 2)?; // 2 - (2a+1) = 2(-a) + 1
        self.asm.b_cond(Cond::Vs, slow)?; // -(-2**30)
        self.asm.bind(back)?;
        self.push_reg(R0)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(slow)?;
            e.load(v, R0)?;
            e.call(rt::UNARY_NEGATIVE)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Eq, err)?;
            e.asm.b(back)?;
            Ok(())
        });
        Ok(())
    }

    /// Small-int `r0 = r0 <op> r1` on tagged words; `slow` when the result
    /// does not fit or the operation raises.
    fn int_op_reg(&mut self, op: u32, slow: Label) -> R<()> {
        if !smallint::binary_op(&mut self.asm, op, slow)? {
            return self.unsupported("internal: no inline int operation");
        }
        Ok(())
    }

    /// BINARY_SUBSCR: `list[i]` and `bytes[i]` for a small int in range
    /// inline, `pyrt_binary_subscr` otherwise.
    pub fn binary_subscr(&mut self) -> R<()> {
        use rt::layout::{BYTES_DATA, BYTES_LEN, LIST_ITEMS, LIST_LEN, OBJ_TYPE};
        let (i, c) = (self.peek(0)?, self.peek(1)?);
        if i.never_int() || c.small_int().is_some() {
            return self.via_helper(BINARY_SUBSCR, 0);
        }
        self.pop()?;
        self.pop()?;
        let slow = self.asm.new_label();
        let back = self.asm.new_label();
        let not_list = self.asm.new_label();
        self.load(c, R0)?;
        self.asm.tst(R0, 1)?;
        self.asm.b_cond(Cond::Ne, slow)?;
        self.int_operand(i, R2, slow)?;
        self.asm.asr(R2, R2, 1)?; // index
        self.asm.ldr(R3, ptr(R0, 4 * OBJ_TYPE as i32))?; // type
        self.sym_addr(R1, rt::TYPE_LIST)?;
        self.asm.cmp(R3, R1)?;
        self.asm.b_cond(Cond::Ne, not_list)?;
        self.index_in_range(LIST_LEN, slow)?;
        self.asm.ldr(R0, ptr(R0, 4 * LIST_ITEMS as i32))?;
        self.asm.ldr(R0, ptr_index(R0, R2, 2))?;
        self.asm.bind(back)?;
        self.push_reg(R0)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(not_list)?;
            e.sym_addr(R1, rt::TYPE_BYTES)?;
            e.asm.cmp(R3, R1)?;
            e.asm.b_cond(Cond::Ne, slow)?;
            e.index_in_range(BYTES_LEN, slow)?;
            e.asm.add(R0, R0, R2)?;
            e.asm.ldrb(R0, ptr(R0, 4 * BYTES_DATA as i32))?;
            e.asm.add(R0, R0, R0)?;
            e.asm.orr(R0, R0, 1)?; // tag
            e.asm.b(back)?;
            e.asm.bind(slow)?;
            e.load(c, R0)?;
            e.load(i, R1)?;
            e.call(rt::BINARY_SUBSCR)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Eq, err)?;
            e.asm.b(back)?;
            Ok(())
        });
        Ok(())
    }

    /// r2 = index into the sequence at r0 (negative counts from the end);
    /// `slow` unless `0 <= r2 < len` (r1 = len).
    fn index_in_range(&mut self, len_word: usize, slow: Label) -> R<()> {
        let positive = self.asm.new_label();
        self.asm.ldr(R1, ptr(R0, 4 * len_word as i32))?;
        self.asm.cmp(R2, 0)?;
        self.asm.b_cond(Cond::Ge, positive)?;
        self.asm.add(R2, R2, R1)?;
        self.asm.bind(positive)?;
        self.asm.cmp(R2, R1)?;
        self.asm.b_cond(Cond::HS, slow)?;
        Ok(())
    }

    /// STORE_SUBSCR (`c[i] = v`): lists with a small int index inline.
    pub fn store_subscr(&mut self) -> R<()> {
        use rt::layout::{LIST_ITEMS, LIST_LEN, OBJ_TYPE};
        let (i, c, v) = (self.peek(0)?, self.peek(1)?, self.peek(2)?);
        if i.never_int() || c.small_int().is_some() {
            return self.via_helper(STORE_SUBSCR, 0);
        }
        for _ in 0..3 {
            self.pop()?;
        }
        let slow = self.asm.new_label();
        let back = self.asm.new_label();
        self.load(c, R0)?;
        self.asm.tst(R0, 1)?;
        self.asm.b_cond(Cond::Ne, slow)?;
        self.asm.ldr(R3, ptr(R0, 4 * OBJ_TYPE as i32))?;
        self.sym_addr(R1, rt::TYPE_LIST)?;
        self.asm.cmp(R3, R1)?;
        self.asm.b_cond(Cond::Ne, slow)?;
        self.int_operand(i, R2, slow)?;
        self.asm.asr(R2, R2, 1)?;
        self.index_in_range(LIST_LEN, slow)?;
        self.load(v, R1)?;
        self.asm.ldr(R0, ptr(R0, 4 * LIST_ITEMS as i32))?;
        self.asm.str(R1, ptr_index(R0, R2, 2))?;
        self.asm.bind(back)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(slow)?;
            e.load(c, R0)?;
            e.load(i, R1)?;
            e.load(v, R2)?;
            e.call(rt::STORE_SUBSCR)?;
            e.asm.cmp(R0, 0)?;
            e.asm.b_cond(Cond::Lt, err)?;
            e.asm.b(back)?;
            Ok(())
        });
        Ok(())
    }
}

/// The signed condition of `dis.cmp_op[cmp]`: < <= == != > >=.
fn cond_of(cmp: u32) -> Cond {
    match cmp {
        0 => Cond::Lt,
        1 => Cond::Le,
        2 => Cond::Eq,
        3 => Cond::Ne,
        4 => Cond::Gt,
        _ => Cond::Ge,
    }
}
