//! Operator templates: small ints and lists inline, runtime helpers on
//! the slow path.

use crate::function::{fits_i32, FnEmitter, Val, R};
use frontend::bytecode::Instr;
use frontend::opcode::Opcode::*;
use frontend::rt;
use iced_x86::code_asm::*;

impl FnEmitter<'_> {
    // ---- operators -----------------------------------------------------------

    /// IS_OP invert: a pointer compare, `True`/`False` by `cmov`.
    pub fn is_op(&mut self, invert: u32) -> R<()> {
        let b = self.pop()?;
        let a = self.pop()?;
        self.load(a, rax)?;
        self.load(b, rcx)?;
        self.asm.a.cmp(rax, rcx)?;
        let (yes, no) = if invert == 0 {
            (rt::TRUE, rt::FALSE)
        } else {
            (rt::FALSE, rt::TRUE)
        };
        self.asm.lea_sym(rax, yes, 0)?;
        self.asm.lea_sym(rcx, no, 0)?;
        self.asm.a.cmovne(rax, rcx)?;
        self.push_rax()
    }

    /// Load `a` into rax and jump to `slow` unless it is a small int.
    fn int_operand(&mut self, v: Val, r: AsmRegister64, slow: CodeLabel) -> R<()> {
        self.load(v, r)?;
        if v.small_int().is_none() {
            let low = match r {
                r if r == rax => al,
                r if r == rcx => cl,
                _ => return self.unsupported("internal: int operand register"),
            };
            self.asm.a.test(low, 1)?;
            self.asm.a.jz(slow)?;
        }
        Ok(())
    }

    /// COMPARE_OP cmp, fused with the POP_JUMP_IF_* that follows: for two
    /// small ints `cmp` + `jcc`, otherwise `pyrt_compare_bool`.
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
        let mut slow = self.asm.a.create_label();
        let mut next = self.asm.a.create_label();
        if a.never_int() || b.never_int() {
            self.asm.a.jmp(slow)?;
        } else {
            self.int_operand(a, rax, slow)?;
            match b.small_int().filter(|x| fits_i32(*x)) {
                Some(x) => self.asm.a.cmp(rax, x as i32)?,
                None => {
                    self.int_operand(b, rcx, slow)?;
                    self.asm.a.cmp(rax, rcx)?;
                }
            }
            // Tagging keeps the order: compare the words themselves.
            let cond = if jump_if { cmp } else { negate(cmp) };
            jcc(&mut self.asm.a, cond, target)?;
        }
        self.asm.bind(&mut next)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.load(a, rdi)?;
            e.load(b, rsi)?;
            e.asm.a.mov(edx, cmp)?;
            e.asm.call_sym(rt::COMPARE_BOOL.symbol)?;
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

    /// COMPARE_OP cmp producing a bool: small ints inline (`cmp` + `cmov`).
    pub fn compare_op(&mut self, cmp: u32) -> R<()> {
        let (b, a) = (self.peek(0)?, self.peek(1)?);
        if a.never_int() || b.never_int() || cmp > 5 {
            return self.via_helper(COMPARE_OP, cmp);
        }
        self.pop()?;
        self.pop()?;
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.int_operand(a, rax, slow)?;
        self.int_operand(b, rcx, slow)?;
        self.asm.a.cmp(rax, rcx)?;
        self.asm.lea_sym(rax, rt::TRUE, 0)?;
        self.asm.lea_sym(rcx, rt::FALSE, 0)?;
        cmov_not(&mut self.asm.a, cmp)?;
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(a, rdi)?;
            e.load(b, rsi)?;
            e.asm.a.mov(edx, cmp)?;
            e.asm.call_sym(rt::COMPARE_OP.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
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
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.int_operand(a, rax, slow)?;
        let imm = b.small_int().filter(|x| fits_i32(*x) && fits_i32(*x - 1));
        let a_ = &mut self.asm.a;
        match (op, imm) {
            (NB_ADD, Some(bt)) => {
                a_.add(rax, (bt - 1) as i32)?; // a + 2b
                a_.jo(slow)?;
            }
            (NB_SUBTRACT, Some(bt)) => {
                a_.sub(rax, (bt - 1) as i32)?; // a - 2b
                a_.jo(slow)?;
            }
            (NB_MULTIPLY, Some(bt)) => {
                a_.sar(rax, 1)?; // untag a
                a_.imul_3(rax, rax, (bt - 1) as i32)?; // a * 2b
                a_.jo(slow)?;
                a_.or(rax, 1)?;
            }
            (NB_AND, Some(bt)) => a_.and(rax, bt as i32)?,
            (NB_OR, Some(bt)) => a_.or(rax, bt as i32)?,
            (NB_XOR, Some(bt)) => a_.xor(rax, (bt - 1) as i32)?,
            (NB_RSHIFT, Some(bt)) if bt >= 1 => {
                a_.sar(rax, (bt >> 1).min(63) as u32)?;
                a_.or(rax, 1)?;
            }
            _ => {
                self.int_operand(b, rcx, slow)?;
                self.int_op_reg(op, slow)?;
            }
        }
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(a, rdi)?;
            e.load(b, rsi)?;
            e.asm.a.mov(edx, nb)?;
            e.asm.call_sym(rt::BINARY_OP.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
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
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.int_operand(v, rax, slow)?;
        self.asm.a.mov(ecx, 2)?;
        self.asm.a.sub(rcx, rax)?; // -(2a+1) + 2 = 2(-a) + 1
        self.asm.a.jo(slow)?; // -(-2**62)
        self.asm.a.mov(rax, rcx)?;
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(v, rdi)?;
            e.asm.call_sym(rt::UNARY_NEGATIVE.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }

    /// Small-int `rax = rax <op> rcx` on tagged words; `slow` when the
    /// result does not fit or the operation raises.
    fn int_op_reg(&mut self, op: u32, slow: CodeLabel) -> R<()> {
        let a = &mut self.asm.a;
        match op {
            NB_ADD => {
                a.sub(rcx, 1)?; // 2b
                a.add(rax, rcx)?;
                a.jo(slow)?;
            }
            NB_SUBTRACT => {
                a.sub(rax, rcx)?; // 2(a-b)
                a.jo(slow)?;
                a.or(rax, 1)?;
            }
            NB_MULTIPLY => {
                a.sar(rax, 1)?;
                a.sub(rcx, 1)?;
                a.imul_2(rax, rcx)?; // a * 2b
                a.jo(slow)?;
                a.or(rax, 1)?;
            }
            NB_AND => a.and(rax, rcx)?,
            NB_OR => a.or(rax, rcx)?,
            NB_XOR => {
                a.xor(rax, rcx)?;
                a.or(rax, 1)?;
            }
            NB_FLOOR_DIVIDE | NB_REMAINDER => {
                // Python rounds the quotient toward -inf: adjust idiv's.
                let mut done = a.create_label();
                a.sar(rax, 1)?;
                a.sar(rcx, 1)?;
                a.test(rcx, rcx)?;
                a.jz(slow)?; // ZeroDivisionError
                a.cqo()?;
                a.idiv(rcx)?;
                a.test(rdx, rdx)?;
                a.jz(done)?;
                a.mov(rsi, rdx)?;
                a.xor(rsi, rcx)?;
                a.jns(done)?; // remainder has the divisor's sign
                a.sub(rax, 1)?;
                a.add(rdx, rcx)?;
                self.asm.bind(&mut done)?;
                let a = &mut self.asm.a;
                if op == NB_FLOOR_DIVIDE {
                    a.add(rax, rax)?; // -2**62 // -1 does not fit
                    a.jo(slow)?;
                    a.or(rax, 1)?;
                } else {
                    a.lea(rax, qword_ptr(rdx + rdx + 1))?;
                }
            }
            NB_RSHIFT => {
                a.sar(rcx, 1)?;
                a.js(slow)?; // negative shift count: ValueError
                a.mov(edx, 63)?;
                a.cmp(rcx, rdx)?;
                a.cmova(rcx, rdx)?;
                a.sar(rax, cl)?;
                a.or(rax, 1)?;
            }
            NB_LSHIFT => {
                a.sar(rcx, 1)?;
                a.cmp(rcx, 63)?;
                a.ja(slow)?; // negative or huge count
                a.sub(rax, 1)?; // 2a
                a.mov(rdx, rax)?;
                a.shl(rax, cl)?;
                a.mov(rsi, rax)?;
                a.sar(rsi, cl)?;
                a.cmp(rsi, rdx)?; // bits lost?
                a.jne(slow)?;
                a.or(rax, 1)?;
            }
            _ => return self.unsupported("internal: no inline int operation"),
        }
        Ok(())
    }

    /// BINARY_SUBSCR: `list[i]` and `bytes[i]` for a small int in range
    /// inline, `pyrt_binary_subscr` otherwise.
    pub fn binary_subscr(&mut self) -> R<()> {
        let (i, c) = (self.peek(0)?, self.peek(1)?);
        if i.never_int() || c.small_int().is_some() {
            return self.via_helper(BINARY_SUBSCR, 0);
        }
        self.pop()?;
        self.pop()?;
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        let mut not_list = self.asm.a.create_label();
        self.load(c, rax)?;
        self.asm.a.test(al, 1)?;
        self.asm.a.jnz(slow)?;
        self.load(i, rdx)?;
        if i.small_int().is_none() {
            self.asm.a.test(dl, 1)?;
            self.asm.a.jz(slow)?;
        }
        self.asm.a.sar(rdx, 1)?; // index
        self.asm.a.mov(rsi, qword_ptr(rax))?; // type
        self.asm.lea_sym(rdi, rt::TYPE_LIST, 0)?;
        self.asm.a.cmp(rsi, rdi)?;
        self.asm.a.jne(not_list)?;
        self.index_in_range(rt::layout::LIST_LEN, slow)?;
        self.asm
            .a
            .mov(rax, qword_ptr(rax + 8 * rt::layout::LIST_ITEMS as i32))?;
        self.asm.a.mov(rax, qword_ptr(rax + rdx * 8))?;
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut not_list)?;
            e.asm.lea_sym(rdi, rt::TYPE_BYTES, 0)?;
            e.asm.a.cmp(rsi, rdi)?;
            e.asm.a.jne(slow)?;
            e.index_in_range(rt::layout::BYTES_LEN, slow)?;
            e.asm
                .a
                .movzx(eax, byte_ptr(rax + rdx + 8 * rt::layout::BYTES_DATA as i32))?;
            e.asm.a.lea(rax, qword_ptr(rax + rax + 1))?; // tag
            e.asm.a.jmp(back)?;
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(c, rdi)?;
            e.load(i, rsi)?;
            e.asm.call_sym(rt::BINARY_SUBSCR.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }

    /// rdx = index into the sequence at rax (negative counts from the end);
    /// `slow` unless `0 <= rdx < len`.
    fn index_in_range(&mut self, len_word: usize, slow: CodeLabel) -> R<()> {
        let mut positive = self.asm.a.create_label();
        let len = qword_ptr(rax + 8 * len_word as i32);
        self.asm.a.test(rdx, rdx)?;
        self.asm.a.jns(positive)?;
        self.asm.a.add(rdx, len)?;
        self.asm.bind(&mut positive)?;
        self.asm.a.cmp(rdx, len)?;
        self.asm.a.jae(slow)?;
        Ok(())
    }

    /// STORE_SUBSCR (`c[i] = v`): lists with a small int index inline.
    pub fn store_subscr(&mut self) -> R<()> {
        let (i, c, v) = (self.peek(0)?, self.peek(1)?, self.peek(2)?);
        if i.never_int() || c.small_int().is_some() {
            return self.via_helper(STORE_SUBSCR, 0);
        }
        for _ in 0..3 {
            self.pop()?;
        }
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.load(c, rax)?;
        self.asm.a.test(al, 1)?;
        self.asm.a.jnz(slow)?;
        self.asm.lea_sym(rdi, rt::TYPE_LIST, 0)?;
        self.asm.a.cmp(qword_ptr(rax), rdi)?;
        self.asm.a.jne(slow)?;
        self.load(i, rdx)?;
        if i.small_int().is_none() {
            self.asm.a.test(dl, 1)?;
            self.asm.a.jz(slow)?;
        }
        self.asm.a.sar(rdx, 1)?;
        self.index_in_range(rt::layout::LIST_LEN, slow)?;
        self.load(v, rcx)?;
        self.asm
            .a
            .mov(rax, qword_ptr(rax + 8 * rt::layout::LIST_ITEMS as i32))?;
        self.asm.a.mov(qword_ptr(rax + rdx * 8), rcx)?;
        self.asm.bind(&mut back)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(c, rdi)?;
            e.load(i, rsi)?;
            e.load(v, rdx)?;
            e.asm.call_sym(rt::STORE_SUBSCR.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.js(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }
}

// BINARY_OP opargs (Include/opcode.h, 3.11).
pub const NB_ADD: u32 = 0;
pub const NB_AND: u32 = 1;
pub const NB_FLOOR_DIVIDE: u32 = 2;
pub const NB_LSHIFT: u32 = 3;
pub const NB_MULTIPLY: u32 = 5;
pub const NB_REMAINDER: u32 = 6;
pub const NB_OR: u32 = 7;
pub const NB_RSHIFT: u32 = 9;
pub const NB_SUBTRACT: u32 = 10;
pub const NB_XOR: u32 = 12;
pub const NB_INPLACE: u32 = 13;

/// `dis.cmp_op`: < <= == != > >=
fn negate(cmp: u32) -> u32 {
    match cmp {
        0 => 5,
        1 => 4,
        2 => 3,
        3 => 2,
        4 => 1,
        _ => 0,
    }
}

/// `j<cmp> target` after a signed `cmp`.
fn jcc(a: &mut CodeAssembler, cmp: u32, target: CodeLabel) -> Result<(), IcedError> {
    match cmp {
        0 => a.jl(target),
        1 => a.jle(target),
        2 => a.je(target),
        3 => a.jne(target),
        4 => a.jg(target),
        _ => a.jge(target),
    }
}

/// rax = True; rcx = False: `cmov<not cmp> %rcx, %rax`.
fn cmov_not(a: &mut CodeAssembler, cmp: u32) -> Result<(), IcedError> {
    match cmp {
        0 => a.cmovge(rax, rcx),
        1 => a.cmovg(rax, rcx),
        2 => a.cmovne(rax, rcx),
        3 => a.cmove(rax, rcx),
        4 => a.cmovle(rax, rcx),
        _ => a.cmovl(rax, rcx),
    }
}
