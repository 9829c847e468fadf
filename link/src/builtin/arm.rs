//! ARM relocations for Thumb-2 code on Cortex-M ("ELF for the Arm
//! Architecture", AAELF32 §5.6): which ones the built-in linker applies, how
//! the REL format's addends are read from the instructions they patch, and
//! how each value is computed, range-checked and encoded.
//!
//! The same seam as [`super::x86_64`]: [`classify`], [`type_name`],
//! [`implicit_addend`] (ARM objects use REL: the addend lives in the field)
//! and [`apply`]. Notation as in AAELF: `S` the symbol's address, `A` the
//! addend, `P` the place, `T` 1 when the symbol is a Thumb function. The
//! linker keeps a Thumb function's address with its low bit set (its
//! `st_value` as the compiler wrote it), so `(S + A) | T` is `S + A`.

/// The relocation types Thumb code for Cortex-M uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reloc {
    /// `R_ARM_NONE`: nothing to do.
    None,
    /// `R_ARM_ABS32` (and `R_ARM_TARGET1`, which is ABS32 in a static image):
    /// a data word, `(S + A) | T`.
    Abs32,
    /// `R_ARM_REL32`: a data word, `((S + A) | T) - P`.
    Rel32,
    /// `R_ARM_THM_CALL`: `bl`, `((S + A) | T) - P`, ±16 MiB.
    ThmCall,
    /// `R_ARM_THM_JUMP24`: `b.w`, `((S + A) | T) - P`, ±16 MiB.
    ThmJump24,
    /// `R_ARM_THM_JUMP19`: `b<cond>.w`, `((S + A) | T) - P`, ±1 MiB.
    ThmJump19,
    /// `R_ARM_THM_MOVW_ABS_NC`: `movw`, the low half of `(S + A) | T`.
    ThmMovwAbsNc,
    /// `R_ARM_THM_MOVT_ABS`: `movt`, the high half of `S + A`.
    ThmMovtAbs,
}

pub const R_ARM_NONE: u32 = 0;
pub const R_ARM_ABS32: u32 = 2;
pub const R_ARM_REL32: u32 = 3;
pub const R_ARM_THM_CALL: u32 = 10;
pub const R_ARM_THM_JUMP24: u32 = 30;
pub const R_ARM_TARGET1: u32 = 38;
pub const R_ARM_THM_MOVW_ABS_NC: u32 = 47;
pub const R_ARM_THM_MOVT_ABS: u32 = 48;
pub const R_ARM_THM_JUMP19: u32 = 51;

/// The relocation an ELF `r_type` stands for, `None` if the linker does not
/// implement it.
pub fn classify(r_type: u32) -> Option<Reloc> {
    Some(match r_type {
        R_ARM_NONE => Reloc::None,
        R_ARM_ABS32 | R_ARM_TARGET1 => Reloc::Abs32,
        R_ARM_REL32 => Reloc::Rel32,
        R_ARM_THM_CALL => Reloc::ThmCall,
        R_ARM_THM_JUMP24 => Reloc::ThmJump24,
        R_ARM_THM_JUMP19 => Reloc::ThmJump19,
        R_ARM_THM_MOVW_ABS_NC => Reloc::ThmMovwAbsNc,
        R_ARM_THM_MOVT_ABS => Reloc::ThmMovtAbs,
        _ => return None,
    })
}

/// The AAELF name of an ARM relocation type, for messages.
pub fn type_name(r_type: u32) -> String {
    let name = match r_type {
        R_ARM_NONE => "R_ARM_NONE",
        1 => "R_ARM_PC24",
        R_ARM_ABS32 => "R_ARM_ABS32",
        R_ARM_REL32 => "R_ARM_REL32",
        R_ARM_THM_CALL => "R_ARM_THM_CALL",
        11 => "R_ARM_THM_PC8",
        28 => "R_ARM_CALL",
        29 => "R_ARM_JUMP24",
        R_ARM_THM_JUMP24 => "R_ARM_THM_JUMP24",
        R_ARM_TARGET1 => "R_ARM_TARGET1",
        40 => "R_ARM_V4BX",
        41 => "R_ARM_TARGET2",
        42 => "R_ARM_PREL31",
        43 => "R_ARM_MOVW_ABS_NC",
        44 => "R_ARM_MOVT_ABS",
        R_ARM_THM_MOVW_ABS_NC => "R_ARM_THM_MOVW_ABS_NC",
        R_ARM_THM_MOVT_ABS => "R_ARM_THM_MOVT_ABS",
        49 => "R_ARM_THM_MOVW_PREL_NC",
        50 => "R_ARM_THM_MOVT_PREL",
        R_ARM_THM_JUMP19 => "R_ARM_THM_JUMP19",
        53 => "R_ARM_THM_ALU_PREL_11_0",
        54 => "R_ARM_THM_PC12",
        102 => "R_ARM_THM_JUMP11",
        103 => "R_ARM_THM_JUMP8",
        _ => return format!("ARM relocation type {r_type}"),
    };
    format!("{name} ({r_type})")
}

impl Reloc {
    /// How many bytes the relocation patches (at its offset).
    pub fn width(self) -> u64 {
        match self {
            Reloc::None => 0,
            _ => 4,
        }
    }
}

/// The two halfwords of a 32-bit Thumb instruction at `at`.
fn halfwords(section: &[u8], at: usize) -> Option<(u16, u16)> {
    let b = section.get(at..at.checked_add(4)?)?;
    Some((
        u16::from_le_bytes([b[0], b[1]]),
        u16::from_le_bytes([b[2], b[3]]),
    ))
}

fn put_halfwords(section: &mut [u8], at: usize, first: u16, second: u16) {
    section[at..at + 2].copy_from_slice(&first.to_le_bytes());
    section[at + 2..at + 4].copy_from_slice(&second.to_le_bytes());
}

/// The offset a `bl` / `b.w` (encodings T1 / T4) branches by:
/// `SignExtend(S:I1:I2:imm10:imm11:0)`, `I = NOT(J XOR S)`.
fn decode_branch24(first: u16, second: u16) -> i64 {
    let s = u32::from(first >> 10) & 1;
    let imm10 = u32::from(first) & 0x3ff;
    let j1 = u32::from(second >> 13) & 1;
    let j2 = u32::from(second >> 11) & 1;
    let imm11 = u32::from(second) & 0x7ff;
    let i1 = !(j1 ^ s) & 1;
    let i2 = !(j2 ^ s) & 1;
    let raw = (s << 24) | (i1 << 23) | (i2 << 22) | (imm10 << 12) | (imm11 << 1);
    i64::from(((raw << 7) as i32) >> 7)
}

/// `offset` in the fields of a `bl` / `b.w`, keeping the opcode bits.
fn encode_branch24(first: u16, second: u16, offset: i64) -> (u16, u16) {
    let v = offset as u32;
    let s = (v >> 24) & 1;
    let i1 = (v >> 23) & 1;
    let i2 = (v >> 22) & 1;
    let j1 = !(i1 ^ s) & 1;
    let j2 = !(i2 ^ s) & 1;
    let imm10 = (v >> 12) & 0x3ff;
    let imm11 = (v >> 1) & 0x7ff;
    (
        (first & 0xf800) | (s << 10) as u16 | imm10 as u16,
        (second & 0xd000) | (j1 << 13) as u16 | (j2 << 11) as u16 | imm11 as u16,
    )
}

/// The offset a conditional `b<c>.w` (encoding T3) branches by:
/// `SignExtend(S:J2:J1:imm6:imm11:0)`.
fn decode_branch19(first: u16, second: u16) -> i64 {
    let s = u32::from(first >> 10) & 1;
    let imm6 = u32::from(first) & 0x3f;
    let j1 = u32::from(second >> 13) & 1;
    let j2 = u32::from(second >> 11) & 1;
    let imm11 = u32::from(second) & 0x7ff;
    let raw = (s << 20) | (j2 << 19) | (j1 << 18) | (imm6 << 12) | (imm11 << 1);
    i64::from(((raw << 11) as i32) >> 11)
}

fn encode_branch19(first: u16, second: u16, offset: i64) -> (u16, u16) {
    let v = offset as u32;
    let s = (v >> 20) & 1;
    let j2 = (v >> 19) & 1;
    let j1 = (v >> 18) & 1;
    let imm6 = (v >> 12) & 0x3f;
    let imm11 = (v >> 1) & 0x7ff;
    (
        (first & 0xfbc0) | (s << 10) as u16 | imm6 as u16,
        (second & 0xd000) | (j1 << 13) as u16 | (j2 << 11) as u16 | imm11 as u16,
    )
}

/// The 16-bit immediate of a `movw` / `movt` (encoding T3): `imm4:i:imm3:imm8`.
fn decode_imm16(first: u16, second: u16) -> u16 {
    let imm4 = first & 0xf;
    let i = (first >> 10) & 1;
    let imm3 = (second >> 12) & 7;
    let imm8 = second & 0xff;
    (imm4 << 12) | (i << 11) | (imm3 << 8) | imm8
}

fn encode_imm16(first: u16, second: u16, imm16: u16) -> (u16, u16) {
    let imm4 = imm16 >> 12;
    let i = (imm16 >> 11) & 1;
    let imm3 = (imm16 >> 8) & 7;
    let imm8 = imm16 & 0xff;
    (
        (first & 0xfbf0) | (i << 10) | imm4,
        (second & 0x8f00) | (imm3 << 12) | imm8,
    )
}

/// The addend a REL relocation of `kind` keeps in the field it patches at
/// `offset` (AAELF §5.6.1.1: for `movw`/`movt` the 16-bit immediate,
/// sign-extended). `None` when the field lies outside the section.
pub fn implicit_addend(kind: Reloc, section: &[u8], offset: u64) -> Option<i64> {
    let at = usize::try_from(offset).ok()?;
    Some(match kind {
        Reloc::None => 0,
        Reloc::Abs32 | Reloc::Rel32 => {
            let b = section.get(at..at.checked_add(4)?)?;
            i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        }
        Reloc::ThmCall | Reloc::ThmJump24 => {
            let (first, second) = halfwords(section, at)?;
            decode_branch24(first, second)
        }
        Reloc::ThmJump19 => {
            let (first, second) = halfwords(section, at)?;
            decode_branch19(first, second)
        }
        Reloc::ThmMovwAbsNc | Reloc::ThmMovtAbs => {
            let (first, second) = halfwords(section, at)?;
            i64::from(decode_imm16(first, second) as i16)
        }
    })
}

/// Stores `addend` in the field of a relocation of `kind` at `offset`, the
/// REL way (the inverse of [`implicit_addend`]), for objects pyaot writes.
pub fn store_addend(kind: Reloc, section: &mut [u8], offset: u64, addend: i64) -> bool {
    let Ok(at) = usize::try_from(offset) else {
        return false;
    };
    let Some((first, second)) = halfwords(section, at) else {
        return kind == Reloc::None;
    };
    match kind {
        Reloc::None => {}
        Reloc::Abs32 | Reloc::Rel32 => {
            section[at..at + 4].copy_from_slice(&(addend as u32).to_le_bytes())
        }
        Reloc::ThmCall | Reloc::ThmJump24 => {
            let (first, second) = encode_branch24(first, second, addend);
            put_halfwords(section, at, first, second);
        }
        Reloc::ThmJump19 => {
            let (first, second) = encode_branch19(first, second, addend);
            put_halfwords(section, at, first, second);
        }
        Reloc::ThmMovwAbsNc | Reloc::ThmMovtAbs => {
            let (first, second) = encode_imm16(first, second, addend as u16);
            put_halfwords(section, at, first, second);
        }
    }
    true
}

/// Why a relocation could not be applied.
#[derive(Debug, PartialEq, Eq)]
pub enum ApplyError {
    /// The value does not fit the field (a branch out of range).
    Overflow { value: i128 },
    /// The field lies outside the section.
    OutOfBounds,
    /// A branch to an ARM-state (not Thumb) function: Cortex-M executes
    /// Thumb only.
    NotThumb,
}

/// `nop.w`: what a call to an undefined weak function becomes.
const NOP_W: (u16, u16) = (0xf3af, 0x8000);

/// Patches `section` at `offset` for a relocation of `kind` against a
/// symbol at `s` (low bit set for a Thumb function) with addend `a`, the
/// place being at address `p`. `defined` is false for an undefined weak
/// symbol: a call to it becomes a `nop.w`, as GNU ld does.
pub fn apply(
    kind: Reloc,
    section: &mut [u8],
    offset: u64,
    s: u64,
    a: i64,
    p: u64,
    defined: bool,
) -> Result<(), ApplyError> {
    let at = usize::try_from(offset).map_err(|_| ApplyError::OutOfBounds)?;
    let width = kind.width() as usize;
    if at.checked_add(width).is_none_or(|end| end > section.len()) {
        return Err(ApplyError::OutOfBounds);
    }
    let (s, a, p) = (i128::from(s), i128::from(a), i128::from(p));
    let word = |section: &mut [u8], value: i128| {
        section[at..at + 4].copy_from_slice(&(value as u32).to_le_bytes());
    };
    match kind {
        Reloc::None => {}
        Reloc::Abs32 => word(section, s + a),
        Reloc::Rel32 => word(section, s + a - p),
        Reloc::ThmCall | Reloc::ThmJump24 | Reloc::ThmJump19 => {
            if !defined {
                put_halfwords(section, at, NOP_W.0, NOP_W.1);
                return Ok(());
            }
            if s & 1 == 0 && s != 0 {
                return Err(ApplyError::NotThumb);
            }
            let value = ((s + a) & !1) - p;
            let bits = if kind == Reloc::ThmJump19 { 21 } else { 25 };
            let limit = 1i128 << (bits - 1);
            if value < -limit || value >= limit {
                return Err(ApplyError::Overflow { value });
            }
            let (first, second) = halfwords(section, at).ok_or(ApplyError::OutOfBounds)?;
            let (first, second) = if kind == Reloc::ThmJump19 {
                encode_branch19(first, second, value as i64)
            } else {
                encode_branch24(first, second, value as i64)
            };
            put_halfwords(section, at, first, second);
        }
        Reloc::ThmMovwAbsNc | Reloc::ThmMovtAbs => {
            let value = s + a;
            let half = if kind == Reloc::ThmMovtAbs {
                (value >> 16) as u16
            } else {
                value as u16
            };
            let (first, second) = halfwords(section, at).ok_or(ApplyError::OutOfBounds)?;
            let (first, second) = encode_imm16(first, second, half);
            put_halfwords(section, at, first, second);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Encodings from `arm-none-eabi-as -mcpu=cortex-m3` (cortex-m.md's `enc`).
    fn bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    /// `bl .+0x1004` at 0x100 (enc: `01f000f8`), and the REL addend -4 of
    /// an unrelocated `bl sym` (`fff7feff`).
    #[test]
    fn bl_forward_and_rel_addend() {
        let mut code = bytes("fff7feff");
        assert_eq!(implicit_addend(Reloc::ThmCall, &code, 0), Some(-4));
        apply(Reloc::ThmCall, &mut code, 0, 0x1105, -4, 0x100, true).unwrap();
        // target 0x1104: offset from pc (0x104) is 0x1000
        assert_eq!(code, bytes("01f000f8"));
        assert_eq!(decode_branch24(0xf001, 0xf800), 0x1000);
    }

    #[test]
    fn bl_backward_round_trips() {
        for offset in [-4i64, -0x10_0000, 0xff_fffe, -0x100_0000, 2, 0x1234] {
            let (a, b) = encode_branch24(0xf000, 0xd000, offset);
            assert_eq!(decode_branch24(a, b), offset, "{offset:#x}");
            assert_eq!(b & 0xd000, 0xd000);
        }
        for offset in [-4i64, 0xf_fffe, -0x10_0000, 0x7f0] {
            let (a, b) = encode_branch19(0xf000, 0x8000, offset);
            assert_eq!(decode_branch19(a, b), offset, "{offset:#x}");
        }
    }

    /// `movw r3, #0x1234` is `41f23423`; `movt r3, #0xbeef` is `cbf6ef63`.
    #[test]
    fn movw_movt_immediates() {
        let mut movw = bytes("40f20003");
        apply(Reloc::ThmMovwAbsNc, &mut movw, 0, 0x1234, 0, 0, true).unwrap();
        assert_eq!(movw, bytes("41f23423"));
        let mut movt = bytes("c0f20003");
        apply(Reloc::ThmMovtAbs, &mut movt, 0, 0xbeef_0000, 0, 0, true).unwrap();
        assert_eq!(movt, bytes("cbf6ef63"));
        assert_eq!(implicit_addend(Reloc::ThmMovwAbsNc, &movw, 0), Some(0x1234));
        let mut negative = bytes("40f20003");
        assert!(store_addend(Reloc::ThmMovwAbsNc, &mut negative, 0, -8));
        assert_eq!(implicit_addend(Reloc::ThmMovwAbsNc, &negative, 0), Some(-8));
    }

    #[test]
    fn branch_out_of_range_is_an_error() {
        let mut code = bytes("fff7feff");
        let result = apply(Reloc::ThmCall, &mut code, 0, 0x0200_0001, -4, 0, true);
        assert!(matches!(result, Err(ApplyError::Overflow { .. })));
        let mut code = bytes("3ff4feaf"); // beq.w .
        let result = apply(Reloc::ThmJump19, &mut code, 0, 0x0020_0001, -4, 0, true);
        assert!(matches!(result, Err(ApplyError::Overflow { .. })));
    }

    #[test]
    fn call_to_undefined_weak_is_a_nop() {
        let mut code = bytes("fff7feff");
        apply(Reloc::ThmCall, &mut code, 0, 0, -4, 0x400, false).unwrap();
        assert_eq!(code, bytes("aff30080"));
    }

    #[test]
    fn abs32_keeps_the_thumb_bit() {
        let mut word = [0u8; 4];
        apply(Reloc::Abs32, &mut word, 0, 0x101, 0, 0, true).unwrap();
        assert_eq!(u32::from_le_bytes(word), 0x101);
    }
}
