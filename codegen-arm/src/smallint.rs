//! The inline small-int operations of BINARY_OP on tagged words: a small
//! int `x` is the word `2x + 1`. Sums, differences and products of tagged
//! words overflow exactly when the Python result leaves the 31-bit range,
//! which the V flag (or `smull`'s high word) reports; floor division and
//! modulo round toward -inf like Python's.

use crate::thumb::{
    modified_immediate, Assembler, Cond, Label, Operand, Result, R0, R1, R12, R2, R3,
};

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

/// Small-int `r0 = r0 <op> r1` on tagged words (`op` a BINARY_OP oparg
/// without the in-place offset); branches to `slow` when the result does
/// not fit or the operation raises. r1-r3 and r12 are scratch. Returns
/// false for an operation that has no inline form (nothing emitted).
pub fn binary_op(a: &mut Assembler, op: u32, slow: Label) -> Result<bool> {
    match op {
        NB_ADD => {
            a.sub(R1, R1, 1)?; // 2b
            a.adds(R0, R0, R1)?;
            a.b_cond(Cond::Vs, slow)?;
        }
        NB_SUBTRACT => {
            a.subs(R0, R0, R1)?; // 2(a-b)
            a.b_cond(Cond::Vs, slow)?;
            a.orr(R0, R0, 1)?;
        }
        NB_MULTIPLY => {
            a.asr(R2, R0, 1)?; // a
            a.sub(R3, R1, 1)?; // 2b
            a.smull(R0, R12, R2, R3)?; // 2ab, 64 bits
            a.cmp(R12, R0.asr(31))?; // fits in 32?
            a.b_cond(Cond::Ne, slow)?;
            a.orr(R0, R0, 1)?;
        }
        NB_AND => a.and(R0, R0, R1)?,
        NB_OR => a.orr(R0, R0, R1)?,
        NB_XOR => {
            a.eor(R0, R0, R1)?;
            a.orr(R0, R0, 1)?;
        }
        NB_FLOOR_DIVIDE | NB_REMAINDER => {
            // Python rounds the quotient toward -inf: adjust sdiv's.
            let done = a.new_label();
            a.asr(R2, R0, 1)?; // a
            a.asrs(R3, R1, 1)?; // b
            a.b_cond(Cond::Eq, slow)?; // ZeroDivisionError
            a.sdiv(R0, R2, R3)?; // q
            a.mls(R1, R0, R3, R2)?; // r = a - q*b
            a.cmp(R1, 0)?;
            a.b_cond(Cond::Eq, done)?;
            a.eors(R12, R1, R3)?;
            a.b_cond(Cond::Pl, done)?; // remainder has the divisor's sign
            a.sub(R0, R0, 1)?;
            a.add(R1, R1, R3)?;
            a.bind(done)?;
            if op == NB_FLOOR_DIVIDE {
                a.adds(R0, R0, R0)?; // -2**30 // -1 does not fit
                a.b_cond(Cond::Vs, slow)?;
                a.orr(R0, R0, 1)?;
            } else {
                a.add(R0, R1, R1)?;
                a.orr(R0, R0, 1)?;
            }
        }
        NB_RSHIFT => {
            a.asrs(R1, R1, 1)?;
            a.b_cond(Cond::Mi, slow)?; // negative shift count: ValueError
            a.cmp(R1, 31)?;
            a.it(Cond::Hi)?;
            a.mov(R1, 31)?;
            a.asr(R0, R0, R1)?;
            a.orr(R0, R0, 1)?;
        }
        NB_LSHIFT => {
            a.asr(R1, R1, 1)?;
            a.cmp(R1, 31)?;
            a.b_cond(Cond::Hi, slow)?; // negative or huge count
            a.sub(R2, R0, 1)?; // 2a
            a.lsl(R3, R2, R1)?;
            a.asr(R12, R3, R1)?;
            a.cmp(R12, R2)?; // bits lost?
            a.b_cond(Cond::Ne, slow)?;
            a.orr(R0, R3, 1)?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// `r0 = r0 <op> b` for a small-int constant `b` (given as its tagged word)
/// in the instruction: `adds`/`subs r0, r0, #2b`, whose result is already
/// tagged. Returns false (nothing emitted) when `op` or `2b` has no
/// immediate form; the caller then uses [`binary_op`].
pub fn binary_op_imm(a: &mut Assembler, op: u32, b: i32, slow: Label) -> Result<bool> {
    let two_b = b as i64 - 1;
    if !(op == NB_ADD || op == NB_SUBTRACT) || !flag_setting_imm(two_b) {
        return Ok(false);
    }
    if op == NB_ADD {
        a.adds(R0, R0, Operand::Imm(two_b))?; // a + 2b
    } else {
        a.subs(R0, R0, Operand::Imm(two_b))?; // a - 2b
    }
    a.b_cond(Cond::Vs, slow)?;
    Ok(true)
}

/// Does `adds`/`subs`/`cmp r0, #v` have an encoding whose flags are those
/// of the operation with `v` (a negative `v` becomes the complementary
/// operation with `-v`, which sets V alike unless `-v` is 2**31)?
pub fn flag_setting_imm(v: i64) -> bool {
    let u = v.unsigned_abs();
    u < 1 << 31 && (u <= 255 || modified_immediate(u as u32).is_some())
}
