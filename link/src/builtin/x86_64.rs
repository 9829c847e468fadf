//! x86-64 relocations (System V psABI, "Relocation Types"): which ones the
//! built-in linker applies, how it computes and checks each value, and how
//! it relaxes GOT loads in a static executable the way GNU ld does.
//!
//! This is the architecture seam: another target (Cortex-M: `R_ARM_ABS32`,
//! `R_ARM_THM_CALL`, `R_ARM_THM_JUMP24`, `R_ARM_THM_MOVW_ABS_NC`,
//! `R_ARM_THM_MOVT_ABS`, `R_ARM_REL32`, ...) gets a module of the same shape
//! beside this one: [`classify`], [`Reloc::needs_got`], [`relax`], [`apply`].

/// The relocation types the x86-64 runtime archive and generated code use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reloc {
    /// `R_X86_64_NONE`: nothing to do.
    None,
    /// `R_X86_64_64`: 8 bytes, S + A.
    Abs64,
    /// `R_X86_64_PC32`: 4 bytes, S + A - P, signed.
    Pc32,
    /// `R_X86_64_PLT32`: 4 bytes, L + A - P; in a static link the PLT entry
    /// L is the function itself.
    Plt32,
    /// `R_X86_64_32`: 4 bytes, S + A, zero-extended by the instruction.
    Abs32,
    /// `R_X86_64_32S`: 4 bytes, S + A, sign-extended by the instruction.
    Abs32S,
    /// `R_X86_64_PC64`: 8 bytes, S + A - P.
    Pc64,
    /// `R_X86_64_GOTPCREL`: 4 bytes, G + GOT + A - P (the address of S's GOT
    /// slot, relative). Only a `mov` is relaxed (to `lea`), as ld does.
    GotPcRel,
    /// `R_X86_64_GOTPCRELX`: as GOTPCREL, on an instruction the linker may
    /// rewrite (`call *`, `jmp *`, `mov`, `test`, ALU ops).
    GotPcRelX,
    /// `R_X86_64_REX_GOTPCRELX`: as GOTPCRELX, the instruction has a REX prefix.
    RexGotPcRelX,
}

const R_X86_64_NONE: u32 = 0;
const R_X86_64_64: u32 = 1;
const R_X86_64_PC32: u32 = 2;
const R_X86_64_GOTPCREL: u32 = 9;
const R_X86_64_32: u32 = 10;
const R_X86_64_32S: u32 = 11;
const R_X86_64_PC64: u32 = 24;
const R_X86_64_PLT32: u32 = 4;
const R_X86_64_GOTPCRELX: u32 = 41;
const R_X86_64_REX_GOTPCRELX: u32 = 42;

/// The relocation an ELF `r_type` stands for, `None` if the linker does not
/// implement it.
pub fn classify(r_type: u32) -> Option<Reloc> {
    Some(match r_type {
        R_X86_64_NONE => Reloc::None,
        R_X86_64_64 => Reloc::Abs64,
        R_X86_64_PC32 => Reloc::Pc32,
        R_X86_64_PLT32 => Reloc::Plt32,
        R_X86_64_32 => Reloc::Abs32,
        R_X86_64_32S => Reloc::Abs32S,
        R_X86_64_PC64 => Reloc::Pc64,
        R_X86_64_GOTPCREL => Reloc::GotPcRel,
        R_X86_64_GOTPCRELX => Reloc::GotPcRelX,
        R_X86_64_REX_GOTPCRELX => Reloc::RexGotPcRelX,
        _ => return None,
    })
}

/// The psABI name of an x86-64 relocation type, for messages.
pub fn type_name(r_type: u32) -> String {
    const NAMES: [&str; 44] = [
        "R_X86_64_NONE",
        "R_X86_64_64",
        "R_X86_64_PC32",
        "R_X86_64_GOT32",
        "R_X86_64_PLT32",
        "R_X86_64_COPY",
        "R_X86_64_GLOB_DAT",
        "R_X86_64_JUMP_SLOT",
        "R_X86_64_RELATIVE",
        "R_X86_64_GOTPCREL",
        "R_X86_64_32",
        "R_X86_64_32S",
        "R_X86_64_16",
        "R_X86_64_PC16",
        "R_X86_64_8",
        "R_X86_64_PC8",
        "R_X86_64_DTPMOD64",
        "R_X86_64_DTPOFF64",
        "R_X86_64_TPOFF64",
        "R_X86_64_TLSGD",
        "R_X86_64_TLSLD",
        "R_X86_64_DTPOFF32",
        "R_X86_64_GOTTPOFF",
        "R_X86_64_TPOFF32",
        "R_X86_64_PC64",
        "R_X86_64_GOTOFF64",
        "R_X86_64_GOTPC32",
        "R_X86_64_GOT64",
        "R_X86_64_GOTPCREL64",
        "R_X86_64_GOTPC64",
        "R_X86_64_GOTPLT64",
        "R_X86_64_PLTOFF64",
        "R_X86_64_SIZE32",
        "R_X86_64_SIZE64",
        "R_X86_64_GOTPC32_TLSDESC",
        "R_X86_64_TLSDESC_CALL",
        "R_X86_64_TLSDESC",
        "R_X86_64_IRELATIVE",
        "R_X86_64_RELATIVE64",
        "R_X86_64_unused39",
        "R_X86_64_unused40",
        "R_X86_64_GOTPCRELX",
        "R_X86_64_REX_GOTPCRELX",
        "R_X86_64_CODE_4_GOTPCRELX",
    ];
    match NAMES.get(r_type as usize) {
        Some(name) => format!("{name} ({r_type})"),
        None => format!("type {r_type}"),
    }
}

impl Reloc {
    /// Refers to a GOT slot unless [`relax`] rewrites the instruction.
    pub fn needs_got(self) -> bool {
        matches!(
            self,
            Reloc::GotPcRel | Reloc::GotPcRelX | Reloc::RexGotPcRelX
        )
    }

    /// How many bytes the relocation patches (at its offset).
    pub fn width(self) -> u64 {
        match self {
            Reloc::None => 0,
            Reloc::Abs64 | Reloc::Pc64 => 8,
            _ => 4,
        }
    }
}

/// A GOT load rewritten into a direct reference (GNU ld's conversions for a
/// non-PIC executable, `elf_x86_64_convert_load_reloc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relaxed {
    /// `mov S@GOTPCREL(%rip), %reg` -> `lea S(%rip), %reg` (plain GOTPCREL).
    Lea,
    /// `call *S@GOTPCREL(%rip)` -> `addr32 call S`.
    Call,
    /// `jmp *S@GOTPCREL(%rip)` -> `jmp S; nop`.
    Jump,
    /// `mov S@GOTPCREL(%rip), %reg` -> `mov $S, %reg`.
    MovImm,
    /// `test %reg, S@GOTPCREL(%rip)` -> `test $S, %reg`.
    TestImm,
    /// `op S@GOTPCREL(%rip), %reg` (add, or, adc, sbb, and, sub, xor, cmp) ->
    /// `op $S, %reg`.
    AluImm,
}

/// What the symbol of a GOT load turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Definition {
    /// Defined in a section of the executable.
    InSection,
    /// An absolute value (`SHN_ABS`).
    Absolute,
    /// Not defined (weak): its GOT slot holds 0.
    Undefined,
}

/// Whether the GOT load at `offset` of `section` can become a direct
/// reference, and how, following GNU ld. Only the usual addend -4 (the
/// displacement is the last field of the instruction) is rewritten.
/// GOTPCRELX and REX_GOTPCRELX promise a rewritable instruction: `call *`
/// and `jmp *` become direct, `mov`, `test` and ALU ops take the address as
/// an immediate. Plain GOTPCREL promises nothing, so, like ld, only a `mov`
/// (opcode 0x8b, a RIP-relative operand) to a symbol in a section becomes a
/// `lea`.
pub fn relax(
    kind: Reloc,
    section: &[u8],
    offset: u64,
    addend: i64,
    definition: Definition,
) -> Option<Relaxed> {
    if !kind.needs_got() || definition == Definition::Undefined || addend != -4 {
        return None;
    }
    let at = usize::try_from(offset).ok()?;
    if at < 2 || at.checked_add(4)? > section.len() {
        return None;
    }
    let opcode = section[at - 2];
    let modrm = section[at - 1];
    // RIP-relative operand: mod = 00, r/m = 101.
    if modrm & 0xc7 != 0x05 {
        return None;
    }
    if kind == Reloc::GotPcRel {
        return (opcode == 0x8b && definition == Definition::InSection).then_some(Relaxed::Lea);
    }
    if kind == Reloc::RexGotPcRelX && (at < 3 || section[at - 3] & 0xf0 != 0x40) {
        return None;
    }
    match opcode {
        0xff if modrm == 0x15 => Some(Relaxed::Call),
        0xff if modrm == 0x25 => Some(Relaxed::Jump),
        0x8b => Some(Relaxed::MovImm),
        0x85 => Some(Relaxed::TestImm),
        0x03 | 0x0b | 0x13 | 0x1b | 0x23 | 0x2b | 0x33 | 0x3b => Some(Relaxed::AluImm),
        _ => None,
    }
}

/// Why a relocation could not be applied.
#[derive(Debug, PartialEq, Eq)]
pub enum ApplyError {
    /// The value does not fit the field.
    Overflow { value: i128 },
    /// The field lies outside the section.
    OutOfBounds,
}

/// Patches `section` at `offset` for a relocation of `kind` against a
/// symbol at `s` with addend `a`, the place being at address `p`. `got` is
/// the address of the symbol's GOT slot when the relocation needs one and
/// was not relaxed; `relaxed` is what [`relax`] decided.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    kind: Reloc,
    section: &mut [u8],
    offset: u64,
    s: u64,
    a: i64,
    p: u64,
    got: Option<u64>,
    relaxed: Option<Relaxed>,
) -> Result<(), ApplyError> {
    let at = usize::try_from(offset).map_err(|_| ApplyError::OutOfBounds)?;
    let width = kind.width() as usize;
    if at.checked_add(width).is_none_or(|end| end > section.len()) {
        return Err(ApplyError::OutOfBounds);
    }
    let (s, a, p) = (i128::from(s), i128::from(a), i128::from(p));
    match (kind, relaxed) {
        (Reloc::None, _) => Ok(()),
        (Reloc::Abs64, _) => put64(section, at, s + a),
        (Reloc::Pc64, _) => put64(section, at, s + a - p),
        (Reloc::Pc32 | Reloc::Plt32, _) => put_i32(section, at, s + a - p),
        (Reloc::Abs32, _) => put_u32(section, at, s + a),
        (Reloc::Abs32S, _) => put_i32(section, at, s + a),
        (_, Some(relaxed)) => {
            let rex = kind == Reloc::RexGotPcRelX;
            apply_relaxed(relaxed, rex, section, at, s, a, p)
        }
        (_, None) => {
            let got = got.ok_or(ApplyError::OutOfBounds)?;
            put_i32(section, at, i128::from(got) + a - p)
        }
    }
}

/// Rewrites the instruction around a GOT load into a direct reference,
/// then stores the displacement or immediate. `rex`: the instruction has a
/// REX prefix (the relocation is `R_X86_64_REX_GOTPCRELX`).
fn apply_relaxed(
    relaxed: Relaxed,
    rex: bool,
    section: &mut [u8],
    at: usize,
    s: i128,
    a: i128,
    p: i128,
) -> Result<(), ApplyError> {
    const REX_W: u8 = 0x08;
    const REX_R: u8 = 0x04;
    let has_rex = rex && at >= 3 && section[at - 3] & 0xf0 == 0x40;
    // The register moves from ModRM.reg to ModRM.rm: REX.R becomes REX.B.
    let move_reg_to_rm = |section: &mut [u8], opcode: u8, modrm: u8| {
        section[at - 2] = opcode;
        section[at - 1] = modrm;
        if has_rex {
            let rex = section[at - 3];
            section[at - 3] = (rex & !REX_R) | ((rex & REX_R) >> 2);
        }
    };
    let wide = has_rex && section[at - 3] & REX_W != 0;
    match relaxed {
        Relaxed::Lea => {
            section[at - 2] = 0x8d;
            put_i32(section, at, s + a - p)
        }
        Relaxed::Call => {
            section[at - 2] = 0x67; // addr32 prefix: keeps the length
            section[at - 1] = 0xe8;
            put_i32(section, at, s + a - p)
        }
        Relaxed::Jump => {
            section[at - 2] = 0xe9;
            section[at + 3] = 0x90;
            put_i32(section, at - 1, s + a - (p - 1))
        }
        Relaxed::MovImm => {
            let reg = (section[at - 1] >> 3) & 7;
            move_reg_to_rm(section, 0xc7, 0xc0 | reg);
            store_imm(section, at, s, wide)
        }
        Relaxed::TestImm => {
            let reg = (section[at - 1] >> 3) & 7;
            move_reg_to_rm(section, 0xf7, 0xc0 | reg);
            store_imm(section, at, s, wide)
        }
        Relaxed::AluImm => {
            let op = section[at - 2] & 0x38;
            let reg = (section[at - 1] >> 3) & 7;
            move_reg_to_rm(section, 0x81, 0xc0 | op | reg);
            store_imm(section, at, s, wide)
        }
    }
}

/// A symbol address as a 32-bit immediate: sign-extended when the
/// instruction is 64-bit (`R_X86_64_32S`), zero-extended otherwise
/// (`R_X86_64_32`).
fn store_imm(section: &mut [u8], at: usize, s: i128, wide: bool) -> Result<(), ApplyError> {
    if wide {
        put_i32(section, at, s)
    } else {
        put_u32(section, at, s)
    }
}

fn put64(section: &mut [u8], at: usize, value: i128) -> Result<(), ApplyError> {
    // Two's complement wrap-around, as every linker does for 64-bit fields.
    section[at..at + 8].copy_from_slice(&(value as u64).to_le_bytes());
    Ok(())
}

fn put_i32(section: &mut [u8], at: usize, value: i128) -> Result<(), ApplyError> {
    let value32 = i32::try_from(value).map_err(|_| ApplyError::Overflow { value })?;
    section[at..at + 4].copy_from_slice(&value32.to_le_bytes());
    Ok(())
}

fn put_u32(section: &mut [u8], at: usize, value: i128) -> Result<(), ApplyError> {
    let value32 = u32::try_from(value).map_err(|_| ApplyError::Overflow { value })?;
    section[at..at + 4].copy_from_slice(&value32.to_le_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `movq foo@GOTPCREL(%rip), %r9` (REX.WR) becomes `movq $foo, %r9` (REX.WB).
    #[test]
    fn mov_with_rex_r_becomes_mov_immediate_with_rex_b() {
        let mut code = vec![0x4c, 0x8b, 0x0d, 0, 0, 0, 0];
        let relaxed = relax(Reloc::RexGotPcRelX, &code, 3, -4, Definition::InSection);
        assert_eq!(relaxed, Some(Relaxed::MovImm));
        apply(
            Reloc::RexGotPcRelX,
            &mut code,
            3,
            0x402008,
            -4,
            0x401003,
            None,
            relaxed,
        )
        .unwrap();
        assert_eq!(code, [0x49, 0xc7, 0xc1, 0x08, 0x20, 0x40, 0x00]);
    }

    #[test]
    fn plain_gotpcrel_relaxes_only_mov_to_lea() {
        let mov = [0x48, 0x8b, 0x05, 0, 0, 0, 0];
        let relaxed = relax(Reloc::GotPcRel, &mov, 3, -4, Definition::InSection);
        assert_eq!(relaxed, Some(Relaxed::Lea));
        let call = [0xff, 0x15, 0, 0, 0, 0];
        assert_eq!(
            relax(Reloc::GotPcRel, &call, 2, -4, Definition::InSection),
            None
        );
        assert_eq!(
            relax(Reloc::GotPcRel, &mov, 3, -4, Definition::Absolute),
            None
        );
    }

    #[test]
    fn pc32_overflow_is_reported() {
        let mut code = [0u8; 4];
        let result = apply(Reloc::Pc32, &mut code, 0, 0x1_0000_0000, -4, 0, None, None);
        assert!(matches!(result, Err(ApplyError::Overflow { .. })));
    }

    #[test]
    fn field_past_the_end_is_reported() {
        let mut code = [0u8; 6];
        let result = apply(Reloc::Abs64, &mut code, 0, 1, 0, 0, None, None);
        assert_eq!(result, Err(ApplyError::OutOfBounds));
    }
}
