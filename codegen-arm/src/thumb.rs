//! A Thumb-2 assembler for ARMv7-M (Cortex-M3).
//!
//! Each method is named like the instruction it emits and picks the shortest
//! valid encoding, the way GNU as does: a 16-bit form when the operands fit
//! one (low registers, small immediates, flag setting that matches the IT
//! state), else the 32-bit form. Every instruction also produces a line of
//! GNU as text (unified syntax) that assembles to the same bytes: 32-bit
//! encodings of mnemonics that have a 16-bit form carry `.w`, instructions
//! inside an IT block carry their condition. That text is the listing that
//! `--emit asm` prints; the golden tests feed it to `arm-none-eabi-as`.
//!
//! ```
//! use codegen_arm::thumb::*;
//! let mut a = Assembler::new();
//! let done = a.new_label();
//! a.cmp(R0, 0)?;                 // cmp    r0, #0
//! a.b_cond(Cond::Eq, done)?;     // beq.w  .L0
//! a.adds(R0, R0, R1)?;           // adds   r0, r0, r1
//! a.bind(done)?;                 // .L0:
//! a.bx(LR)?;                     // bx     lr
//! let code = a.finish()?;
//! assert_eq!(code.bytes.len(), 10);
//! # Ok::<(), Error>(())
//! ```
//!
//! Branches to labels are resolved by [`Assembler::finish`]; a branch to a
//! label already bound (backward) gets the 16-bit form when it reaches, a
//! forward one the 32-bit form unless the `_n` variant asks for 16 bits.
//! Calls and jumps to symbols, `movw`/`movt` of a symbol address and data
//! words become [`Reloc`]s. ARM ELF relocations are REL: the addend is also
//! written into the instruction or word, exactly as GNU as does.

use std::fmt;

use link::RelocKind;

/// A core register: `r0`–`r12`, `sp`, `lr`, `pc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reg(u8);

pub const R0: Reg = Reg(0);
pub const R1: Reg = Reg(1);
pub const R2: Reg = Reg(2);
pub const R3: Reg = Reg(3);
pub const R4: Reg = Reg(4);
pub const R5: Reg = Reg(5);
pub const R6: Reg = Reg(6);
pub const R7: Reg = Reg(7);
pub const R8: Reg = Reg(8);
pub const R9: Reg = Reg(9);
pub const R10: Reg = Reg(10);
pub const R11: Reg = Reg(11);
pub const R12: Reg = Reg(12);
pub const SP: Reg = Reg(13);
pub const LR: Reg = Reg(14);
pub const PC: Reg = Reg(15);

impl Reg {
    /// The register numbered `n` (0–15).
    pub fn new(n: u8) -> Option<Reg> {
        (n < 16).then_some(Reg(n))
    }
    pub fn num(self) -> u8 {
        self.0
    }
    /// r0–r7: the registers 16-bit encodings can name in 3 bits.
    pub fn is_low(self) -> bool {
        self.0 < 8
    }
    fn n(self) -> u16 {
        self.0 as u16
    }
    fn is_sp_or_pc(self) -> bool {
        self == SP || self == PC
    }
    /// `rm, lsl #n` as the second operand of a data-processing instruction.
    pub fn lsl(self, n: u8) -> Operand {
        Operand::Shifted(self, Shift::Lsl, n)
    }
    pub fn lsr(self, n: u8) -> Operand {
        Operand::Shifted(self, Shift::Lsr, n)
    }
    pub fn asr(self, n: u8) -> Operand {
        Operand::Shifted(self, Shift::Asr, n)
    }
    pub fn ror(self, n: u8) -> Operand {
        Operand::Shifted(self, Shift::Ror, n)
    }
}

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            13 => f.write_str("sp"),
            14 => f.write_str("lr"),
            15 => f.write_str("pc"),
            n => write!(f, "r{n}"),
        }
    }
}

/// A shift applied to a register operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shift {
    Lsl = 0,
    Lsr = 1,
    Asr = 2,
    Ror = 3,
}

impl Shift {
    fn name(self) -> &'static str {
        ["lsl", "lsr", "asr", "ror"][self as usize]
    }
    /// The imm5 field for a shift by `n`, if `n` is a valid amount.
    fn imm5(self, n: u8) -> Option<u16> {
        match self {
            Shift::Lsl => (n < 32).then_some(n as u16),
            Shift::Lsr | Shift::Asr => (1..=32).contains(&n).then_some(n as u16 & 31),
            Shift::Ror => (1..32).contains(&n).then_some(n as u16),
        }
    }
}

/// The flexible second operand: a register, a shifted register or an
/// immediate (an `i32` or a `u32` bit pattern).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    Reg(Reg),
    Shifted(Reg, Shift, u8),
    Imm(i64),
}

impl From<Reg> for Operand {
    fn from(r: Reg) -> Operand {
        Operand::Reg(r)
    }
}
impl From<i32> for Operand {
    fn from(v: i32) -> Operand {
        Operand::Imm(v as i64)
    }
}
impl From<u32> for Operand {
    fn from(v: u32) -> Operand {
        Operand::Imm(v as i64)
    }
}

impl Operand {
    /// A register operand without a shift (`lsl #0` counts as none).
    fn plain_reg(self) -> Option<Reg> {
        match self {
            Operand::Reg(r) | Operand::Shifted(r, Shift::Lsl, 0) => Some(r),
            _ => None,
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match *self {
            Operand::Reg(r) | Operand::Shifted(r, Shift::Lsl, 0) => write!(f, "{r}"),
            Operand::Shifted(r, sh, n) => write!(f, "{r}, {} #{n}", sh.name()),
            Operand::Imm(v) => f.write_str(&imm(v)),
        }
    }
}

/// A condition code (the `<c>` of `b<c>` and of IT blocks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    Eq = 0,
    Ne,
    Cs,
    Cc,
    Mi,
    Pl,
    Vs,
    Vc,
    Hi,
    Ls,
    Ge,
    Lt,
    Gt,
    Le,
}

impl Cond {
    /// Unsigned higher or same (= `cs`).
    pub const HS: Cond = Cond::Cs;
    /// Unsigned lower (= `cc`).
    pub const LO: Cond = Cond::Cc;

    pub fn name(self) -> &'static str {
        [
            "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le",
        ][self as usize]
    }
    /// The condition that holds exactly when `self` does not.
    pub fn invert(self) -> Cond {
        const ALL: [Cond; 14] = [
            Cond::Eq,
            Cond::Ne,
            Cond::Cs,
            Cond::Cc,
            Cond::Mi,
            Cond::Pl,
            Cond::Vs,
            Cond::Vc,
            Cond::Hi,
            Cond::Ls,
            Cond::Ge,
            Cond::Lt,
            Cond::Gt,
            Cond::Le,
        ];
        ALL[self as usize ^ 1]
    }
    fn bits(self) -> u16 {
        self as u16
    }
}

/// A memory operand: `[rn, #off]` or `[rn, rm, lsl #shift]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mem {
    Offset(Reg, i32),
    Index(Reg, Reg, u8),
}

/// `[base, #offset]` (`[base]` when the offset is 0).
pub fn ptr(base: Reg, offset: i32) -> Mem {
    Mem::Offset(base, offset)
}

/// `[base, index, lsl #shift]`, shift 0–3.
pub fn ptr_index(base: Reg, index: Reg, shift: u8) -> Mem {
    Mem::Index(base, index, shift)
}

impl fmt::Display for Mem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match *self {
            Mem::Offset(rn, 0) => write!(f, "[{rn}]"),
            Mem::Offset(rn, off) => write!(f, "[{rn}, {}]", imm(off as i64)),
            Mem::Index(rn, rm, 0) => write!(f, "[{rn}, {rm}]"),
            Mem::Index(rn, rm, s) => write!(f, "[{rn}, {rm}, lsl #{s}]"),
        }
    }
}

/// A place in the code, bound with [`Assembler::bind`]; printed `.L<n>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(u32);

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, ".L{}", self.0)
    }
}

/// Why an instruction could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The immediate has no encoding in any form of the instruction.
    Immediate { insn: String, value: i64 },
    /// A register the instruction's encodings cannot name or forbid.
    Register { insn: String, reg: Reg },
    /// Operands that fit no form (e.g. `muls` with a high register).
    Operands { insn: String, why: &'static str },
    /// A branch or literal load whose target is too far or misplaced.
    Range { insn: String, offset: i64 },
    /// A label used but never bound, or bound twice.
    Label { label: Label, why: &'static str },
    /// An instruction not allowed where it is in (or after) an IT block.
    It { insn: String, why: &'static str },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Immediate { insn, value } => {
                write!(f, "{insn}: immediate {} cannot be encoded", imm(*value))
            }
            Error::Register { insn, reg } => {
                write!(f, "{insn}: register {reg} is not allowed here")
            }
            Error::Operands { insn, why } => write!(f, "{insn}: {why}"),
            Error::Range { insn, offset } => {
                write!(f, "{insn}: target out of range (offset {offset})")
            }
            Error::Label { label, why } => write!(f, "label {label}: {why}"),
            Error::It { insn, why } => write!(f, "{insn}: {why}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// A relocation against a symbol. `addend` is the full addend (what a RELA
/// entry would hold); the same value is also encoded in place for REL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reloc {
    pub offset: u32,
    pub kind: RelocKind,
    pub symbol: String,
    pub addend: i32,
}

impl Reloc {
    pub fn into_link(self, section: link::SectionId) -> link::Reloc {
        link::Reloc {
            section,
            offset: self.offset as u64,
            kind: self.kind,
            symbol: self.symbol,
            addend: self.addend as i64,
        }
    }
}

/// One line of the listing: an instruction, a directive or a label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub offset: u32,
    pub text: String,
}

impl Line {
    pub fn is_label(&self) -> bool {
        self.text.ends_with(':')
    }
}

/// What [`Assembler::finish`] returns.
#[derive(Clone, Debug)]
pub struct Code {
    pub bytes: Vec<u8>,
    pub relocs: Vec<Reloc>,
    pub listing: Vec<Line>,
    labels: Vec<Option<u32>>,
}

impl Code {
    pub fn label_offset(&self, label: Label) -> Option<u32> {
        self.labels.get(label.0 as usize).copied().flatten()
    }
    /// The listing as GNU as source: labels flush left, instructions indented.
    pub fn listing_text(&self) -> String {
        let mut out = String::new();
        for line in &self.listing {
            if !line.is_label() {
                out.push('\t');
            }
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fix {
    /// `b.n`: imm11, ±2 KiB.
    B16,
    /// `b<c>.n`: imm8, ±256 B.
    BCond16,
    /// `b.w` (T4): ±16 MiB.
    B32,
    /// `b<c>.w` (T3): ±1 MiB.
    BCond32,
    /// `bl` to a label: ±16 MiB.
    Bl,
    /// `cbz`/`cbnz`: forward 0–126.
    Cbz,
    /// `ldr rt, label` 16-bit: forward, word aligned, 0–1020 from Align(PC, 4).
    Lit16,
    /// `ldr.w rt, label`: ±4095 from Align(PC, 4).
    Lit32,
}

#[derive(Clone, Debug)]
struct Fixup {
    at: u32,
    label: Label,
    kind: Fix,
    line: usize,
}

/// The data-processing operations (the `op` field of the 32-bit forms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dp {
    And = 0,
    Bic = 1,
    Orr = 2,
    Orn = 3,
    Eor = 4,
    Add = 8,
    Adc = 10,
    Sbc = 11,
    Sub = 13,
    Rsb = 14,
}

impl Dp {
    fn name(self) -> &'static str {
        match self {
            Dp::And => "and",
            Dp::Bic => "bic",
            Dp::Orr => "orr",
            Dp::Orn => "orn",
            Dp::Eor => "eor",
            Dp::Add => "add",
            Dp::Adc => "adc",
            Dp::Sbc => "sbc",
            Dp::Sub => "sub",
            Dp::Rsb => "rsb",
        }
    }
    /// The opcode of the 16-bit `op rdn, rm` form (0100 00 op rm rdn).
    fn narrow(self) -> Option<u16> {
        match self {
            Dp::And => Some(0),
            Dp::Eor => Some(1),
            Dp::Adc => Some(5),
            Dp::Sbc => Some(6),
            Dp::Orr => Some(12),
            Dp::Bic => Some(14),
            _ => None,
        }
    }
    fn commutative(self) -> bool {
        matches!(self, Dp::And | Dp::Eor | Dp::Adc | Dp::Orr | Dp::Add)
    }
    /// The operation that gives the same result with the immediate
    /// complemented (or negated), GNU as's fallback for unencodable ones.
    fn with_inverted_imm(self, v: u32) -> Option<(Dp, u32)> {
        match self {
            Dp::And => Some((Dp::Bic, !v)),
            Dp::Bic => Some((Dp::And, !v)),
            Dp::Orr => Some((Dp::Orn, !v)),
            Dp::Orn => Some((Dp::Orr, !v)),
            Dp::Adc => Some((Dp::Sbc, !v)),
            Dp::Sbc => Some((Dp::Adc, !v)),
            Dp::Add => Some((Dp::Sub, v.wrapping_neg())),
            Dp::Sub => Some((Dp::Add, v.wrapping_neg())),
            Dp::Eor | Dp::Rsb => None,
        }
    }
}

/// The flag-setting comparisons: data-processing operations without a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compare {
    Cmp,
    Cmn,
    Tst,
}

impl Compare {
    fn name(self) -> &'static str {
        match self {
            Compare::Cmp => "cmp",
            Compare::Cmn => "cmn",
            Compare::Tst => "tst",
        }
    }
    /// The 16-bit low-register form (0100 00 op Rm Rn).
    fn narrow(self) -> u16 {
        match self {
            Compare::Cmp => 0x4280,
            Compare::Cmn => 0x42C0,
            Compare::Tst => 0x4200,
        }
    }
    /// The operation of the 32-bit forms (with S set and Rd = 1111).
    fn op(self) -> Dp {
        match self {
            Compare::Cmp => Dp::Sub,
            Compare::Cmn => Dp::Add,
            Compare::Tst => Dp::And,
        }
    }
    /// The comparison that takes the negated immediate (`cmp #-1` = `cmn #1`).
    fn negated(self) -> Option<Compare> {
        match self {
            Compare::Cmp => Some(Compare::Cmn),
            Compare::Cmn => Some(Compare::Cmp),
            Compare::Tst => None,
        }
    }
}

/// The single-register loads and stores; `narrow_imm`, `narrow_reg` and
/// `wide` give their encodings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    Ldr,
    Str,
    Ldrb,
    Strb,
    Ldrh,
    Strh,
    Ldrsb,
    Ldrsh,
}

impl Access {
    fn name(self) -> &'static str {
        match self {
            Access::Ldr => "ldr",
            Access::Str => "str",
            Access::Ldrb => "ldrb",
            Access::Strb => "strb",
            Access::Ldrh => "ldrh",
            Access::Strh => "strh",
            Access::Ldrsb => "ldrsb",
            Access::Ldrsh => "ldrsh",
        }
    }
    /// (scale, opcode) of `op rt, [rn, #imm5*scale]`.
    fn narrow_imm(self) -> Option<(i32, u16)> {
        match self {
            Access::Str => Some((4, 0x6000)),
            Access::Ldr => Some((4, 0x6800)),
            Access::Strb => Some((1, 0x7000)),
            Access::Ldrb => Some((1, 0x7800)),
            Access::Strh => Some((2, 0x8000)),
            Access::Ldrh => Some((2, 0x8800)),
            Access::Ldrsb | Access::Ldrsh => None,
        }
    }
    /// opB of `op rt, [rn, rm]` (0101 opB rm rn rt).
    fn narrow_reg(self) -> u16 {
        match self {
            Access::Str => 0,
            Access::Strh => 1,
            Access::Strb => 2,
            Access::Ldrsb => 3,
            Access::Ldr => 4,
            Access::Ldrh => 5,
            Access::Ldrb => 6,
            Access::Ldrsh => 7,
        }
    }
    /// First halfword of the imm12 form (T3/T1), without Rn.
    fn wide(self) -> u16 {
        match self {
            Access::Strb => 0xF880,
            Access::Ldrb => 0xF890,
            Access::Strh => 0xF8A0,
            Access::Ldrh => 0xF8B0,
            Access::Str => 0xF8C0,
            Access::Ldr => 0xF8D0,
            Access::Ldrsb => 0xF990,
            Access::Ldrsh => 0xF9B0,
        }
    }
}

/// The ThumbExpandImm encoding (i:imm3:imm8, 12 bits) of `v`, if any.
pub fn modified_immediate(v: u32) -> Option<u16> {
    let b = v & 0xff;
    if v <= 0xff {
        return Some(v as u16);
    }
    if v == b << 16 | b {
        return Some(0x100 | b as u16);
    }
    let b1 = (v >> 8) & 0xff;
    if v == b1 << 24 | b1 << 8 {
        return Some(0x200 | b1 as u16);
    }
    if v == b << 24 | b << 16 | b << 8 | b {
        return Some(0x300 | b as u16);
    }
    (8..32).find_map(|rot| {
        let u = v.rotate_left(rot);
        (u <= 0xff && u & 0x80 != 0).then_some((rot << 7) as u16 | (u & 0x7f) as u16)
    })
}

/// Spreads a 12-bit i:imm3:imm8 over the two halfwords of a 32-bit form.
fn split12(e: u16) -> (u16, u16) {
    (((e >> 11) & 1) << 10, ((e >> 8) & 7) << 12 | (e & 0xff))
}

/// Spreads imm16 over the halfwords of `movw`/`movt` (imm4:i:imm3:imm8).
fn split16(v: u16) -> (u16, u16) {
    let (h1, h2) = split12(v & 0xfff);
    (h1 | v >> 12, h2)
}

/// Immediate text: decimal while short, hex beyond.
fn imm(v: i64) -> String {
    if v.unsigned_abs() < 4096 {
        format!("#{v}")
    } else if v < 0 {
        format!("#-0x{:x}", v.unsigned_abs())
    } else {
        format!("#0x{v:x}")
    }
}

/// A symbol as GNU as reads it (quoted unless it is a plain identifier).
fn sym_text(sym: &str, addend: i32) -> String {
    let plain = !sym.is_empty()
        && !sym.starts_with(|c: char| c.is_ascii_digit())
        && sym
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.$".contains(c));
    let name = if plain {
        sym.to_string()
    } else {
        format!("\"{}\"", sym.replace('\\', "\\\\").replace('"', "\\\""))
    };
    match addend {
        0 => name,
        a if a > 0 => format!("{name}+{a}"),
        a => format!("{name}-{}", -(a as i64)),
    }
}

/// A value usable as a 32-bit immediate (an `i32` or a `u32` bit pattern).
fn imm32(v: i64) -> Option<u32> {
    (i32::MIN as i64..=u32::MAX as i64)
        .contains(&v)
        .then_some(v as u32)
}

/// The offset field of a T4 `b.w`/`bl` (S:I1:I2:imm10:imm11:0, ±16 MiB).
fn branch24(off: i32) -> (u16, u16) {
    let s = (off < 0) as u16;
    let i1 = ((off >> 23) & 1) as u16;
    let i2 = ((off >> 22) & 1) as u16;
    let j1 = (i1 ^ s ^ 1) & 1;
    let j2 = (i2 ^ s ^ 1) & 1;
    (
        s << 10 | ((off >> 12) & 0x3ff) as u16,
        j1 << 13 | j2 << 11 | ((off >> 1) & 0x7ff) as u16,
    )
}

/// A listing line: `asm_line!(self, "add", s, wide; "{rd}, {rn}, {}", x)` is
/// the mnemonic (with `s`, the IT condition and `.w`) and the operands.
macro_rules! asm_line {
    ($a:expr, $base:expr, $s:expr, $wide:expr; $($operands:tt)*) => {
        format!("{} {}", $a.mn($base, $s, $wide), format_args!($($operands)*))
    };
}

/// The Thumb-2 assembler. See the module documentation.
#[derive(Default)]
pub struct Assembler {
    bytes: Vec<u8>,
    relocs: Vec<Reloc>,
    listing: Vec<Line>,
    labels: Vec<Option<u32>>,
    fixups: Vec<Fixup>,
    /// Conditions of the instructions still to come in the current IT block.
    it: Vec<Cond>,
}

impl Assembler {
    pub fn new() -> Assembler {
        Assembler::default()
    }

    /// The offset the next instruction will have.
    pub fn offset(&self) -> u32 {
        self.bytes.len() as u32
    }

    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// Binds `label` to the current offset.
    pub fn bind(&mut self, label: Label) -> Result<()> {
        let here = self.offset();
        if self.in_it() {
            return Err(Error::It {
                insn: format!("{label}:"),
                why: "a label inside an IT block",
            });
        }
        match self.labels.get_mut(label.0 as usize) {
            Some(slot @ None) => *slot = Some(here),
            Some(Some(_)) => {
                return Err(Error::Label {
                    label,
                    why: "bound twice",
                })
            }
            None => {
                return Err(Error::Label {
                    label,
                    why: "not made by this assembler",
                })
            }
        }
        self.listing.push(Line {
            offset: here,
            text: format!("{label}:"),
        });
        Ok(())
    }

    /// Resolves the label references and hands over the code.
    pub fn finish(mut self) -> Result<Code> {
        if !self.it.is_empty() {
            return Err(Error::It {
                insn: "it".into(),
                why: "IT block not complete at the end",
            });
        }
        for fix in std::mem::take(&mut self.fixups) {
            self.patch(&fix)?;
        }
        Ok(Code {
            bytes: self.bytes,
            relocs: self.relocs,
            listing: self.listing,
            labels: self.labels,
        })
    }

    // ----- emission helpers -------------------------------------------------

    /// The condition of the next instruction when it is inside an IT block.
    fn cond(&self) -> Option<Cond> {
        self.it.first().copied()
    }

    fn in_it(&self) -> bool {
        !self.it.is_empty()
    }

    /// `base{s}{cond}{.w}` in unified syntax.
    fn mn(&self, base: &str, s: bool, wide: bool) -> String {
        let mut m = String::from(base);
        if s {
            m.push('s');
        }
        if let Some(c) = self.cond() {
            m.push_str(c.name());
        }
        if wide {
            m.push_str(".w");
        }
        m
    }

    fn emit16(&mut self, text: String, hw: u16) {
        self.listing.push(Line {
            offset: self.offset(),
            text,
        });
        self.bytes.extend_from_slice(&hw.to_le_bytes());
        self.step_it();
    }

    fn emit32(&mut self, text: String, hw1: u16, hw2: u16) {
        self.listing.push(Line {
            offset: self.offset(),
            text,
        });
        self.bytes.extend_from_slice(&hw1.to_le_bytes());
        self.bytes.extend_from_slice(&hw2.to_le_bytes());
        self.step_it();
    }

    fn step_it(&mut self) {
        if !self.it.is_empty() {
            self.it.remove(0);
        }
    }

    fn reg_err(insn: &str, reg: Reg) -> Error {
        Error::Register {
            insn: insn.to_string(),
            reg,
        }
    }

    fn imm_err(insn: &str, value: i64) -> Error {
        Error::Immediate {
            insn: insn.to_string(),
            value,
        }
    }

    /// Registers that a 32-bit data-processing form cannot name (sp, pc).
    fn no_sp_pc(insn: &str, regs: &[Reg]) -> Result<()> {
        match regs.iter().find(|r| r.is_sp_or_pc()) {
            Some(&r) => Err(Self::reg_err(insn, r)),
            None => Ok(()),
        }
    }

    /// A 16-bit flag-setting data-processing form sets flags outside an IT
    /// block and not inside one: it fits when that matches `s`.
    fn narrow_flags_ok(&self, s: bool) -> bool {
        s != self.in_it()
    }

    /// Branches and the like must be the last instruction of an IT block.
    fn last_in_it(&self, insn: &str) -> Result<()> {
        if self.it.len() > 1 {
            return Err(Error::It {
                insn: insn.to_string(),
                why: "must be the last instruction of an IT block",
            });
        }
        Ok(())
    }

    fn outside_it(&self, insn: &str) -> Result<()> {
        if self.in_it() {
            return Err(Error::It {
                insn: insn.to_string(),
                why: "not allowed inside an IT block",
            });
        }
        Ok(())
    }

    // ----- moves ------------------------------------------------------------

    /// `mov rd, #imm` / `mov rd, rm`: no flags. An immediate takes `movs`
    /// (16-bit, inside IT), `mov.w` (modified immediate), `movw` (0–65535) or
    /// `mvn` (complement encodable), the first that fits.
    pub fn mov(&mut self, rd: Reg, src: impl Into<Operand>) -> Result<()> {
        self.mov_s(false, rd, src.into())
    }

    /// `movs rd, #imm` / `movs rd, rm`: sets N and Z.
    pub fn movs(&mut self, rd: Reg, src: impl Into<Operand>) -> Result<()> {
        self.mov_s(true, rd, src.into())
    }

    fn mov_s(&mut self, s: bool, rd: Reg, src: Operand) -> Result<()> {
        let name = if s { "movs" } else { "mov" };
        match src {
            Operand::Imm(v) => {
                let u = imm32(v).ok_or_else(|| Self::imm_err(name, v))?;
                Self::no_sp_pc(name, &[rd])?;
                if rd.is_low() && u <= 0xff && self.narrow_flags_ok(s) {
                    let text = asm_line!(self, "mov", s, false; "{rd}, {}", imm(u as i64));
                    self.emit16(text, 0x2000 | rd.n() << 8 | u as u16);
                } else if let Some(e) = modified_immediate(u) {
                    let (h1, h2) = split12(e);
                    let text = asm_line!(self, "mov", s, true; "{rd}, {}", imm(u as i64));
                    self.emit32(text, 0xF04F | (s as u16) << 4 | h1, h2 | rd.n() << 8);
                } else if !s && u <= 0xffff {
                    self.movw(rd, u as u16)?;
                } else if let Some(e) = modified_immediate(!u) {
                    let (h1, h2) = split12(e);
                    let text = asm_line!(self, "mvn", s, true; "{rd}, {}", imm(!u as i64));
                    self.emit32(text, 0xF06F | (s as u16) << 4 | h1, h2 | rd.n() << 8);
                } else {
                    return Err(Self::imm_err(name, v));
                }
            }
            Operand::Reg(rm) | Operand::Shifted(rm, Shift::Lsl, 0) => {
                if !s {
                    if rd == PC || rm == PC {
                        return Err(Self::reg_err(name, PC));
                    }
                    let text = asm_line!(self, "mov", false, false; "{rd}, {rm}");
                    self.emit16(
                        text,
                        0x4600 | (rd.n() >> 3) << 7 | rm.n() << 3 | (rd.n() & 7),
                    );
                } else if rd.is_low() && rm.is_low() && !self.in_it() {
                    let text = asm_line!(self, "mov", true, false; "{rd}, {rm}");
                    self.emit16(text, rm.n() << 3 | rd.n());
                } else {
                    Self::no_sp_pc(name, &[rd, rm])?;
                    let text = asm_line!(self, "mov", true, true; "{rd}, {rm}");
                    self.emit32(text, 0xEA5F, rd.n() << 8 | rm.n());
                }
            }
            Operand::Shifted(rm, sh, n) => self.shift_imm(sh, s, rd, rm, n)?,
        }
        Ok(())
    }

    /// `movw rd, #imm16`: rd = imm16.
    pub fn movw(&mut self, rd: Reg, imm16: u16) -> Result<()> {
        Self::no_sp_pc("movw", &[rd])?;
        let (h1, h2) = split16(imm16);
        let text = asm_line!(self, "movw", false, false; "{rd}, {}", imm(imm16 as i64));
        self.emit32(text, 0xF240 | h1, h2 | rd.n() << 8);
        Ok(())
    }

    /// `movt rd, #imm16`: the top half of rd = imm16.
    pub fn movt(&mut self, rd: Reg, imm16: u16) -> Result<()> {
        Self::no_sp_pc("movt", &[rd])?;
        let (h1, h2) = split16(imm16);
        let text = asm_line!(self, "movt", false, false; "{rd}, {}", imm(imm16 as i64));
        self.emit32(text, 0xF2C0 | h1, h2 | rd.n() << 8);
        Ok(())
    }

    /// rd = any 32-bit value, flags untouched: one instruction when [`mov`]
    /// has a form for it, else `movw` + `movt`.
    ///
    /// [`mov`]: Assembler::mov
    pub fn mov32(&mut self, rd: Reg, value: u32) -> Result<()> {
        let one = (rd.is_low() && value <= 0xff && self.in_it())
            || modified_immediate(value).is_some()
            || value <= 0xffff
            || modified_immediate(!value).is_some();
        if one {
            self.mov(rd, value)
        } else {
            self.movw(rd, value as u16)?;
            self.movt(rd, (value >> 16) as u16)
        }
    }

    /// `movw rd, #:lower16:sym+addend` (R_ARM_THM_MOVW_ABS_NC).
    pub fn movw_sym(&mut self, rd: Reg, sym: &str, addend: i16) -> Result<()> {
        self.mov_half_sym(rd, sym, addend, false)
    }

    /// `movt rd, #:upper16:sym+addend` (R_ARM_THM_MOVT_ABS).
    pub fn movt_sym(&mut self, rd: Reg, sym: &str, addend: i16) -> Result<()> {
        self.mov_half_sym(rd, sym, addend, true)
    }

    /// rd = the address of `sym` (`movw` + `movt`).
    pub fn mov32_sym(&mut self, rd: Reg, sym: &str) -> Result<()> {
        self.movw_sym(rd, sym, 0)?;
        self.movt_sym(rd, sym, 0)
    }

    fn mov_half_sym(&mut self, rd: Reg, sym: &str, addend: i16, top: bool) -> Result<()> {
        let (name, op, part, kind) = if top {
            ("movt", 0xF2C0, "upper16", RelocKind::ArmThmMovtAbs)
        } else {
            ("movw", 0xF240, "lower16", RelocKind::ArmThmMovwAbsNc)
        };
        Self::no_sp_pc(name, &[rd])?;
        let (h1, h2) = split16(addend as u16);
        let text =
            asm_line!(self, name, false, false; "{rd}, #:{part}:{}", sym_text(sym, addend as i32));
        self.relocs.push(Reloc {
            offset: self.offset(),
            kind,
            symbol: sym.to_string(),
            addend: addend as i32,
        });
        self.emit32(text, op | h1, h2 | rd.n() << 8);
        Ok(())
    }

    /// `mvn rd, #imm` / `mvn rd, rm`: rd = NOT operand.
    pub fn mvn(&mut self, rd: Reg, src: impl Into<Operand>) -> Result<()> {
        self.mvn_s(false, rd, src.into())
    }

    pub fn mvns(&mut self, rd: Reg, src: impl Into<Operand>) -> Result<()> {
        self.mvn_s(true, rd, src.into())
    }

    fn mvn_s(&mut self, s: bool, rd: Reg, src: Operand) -> Result<()> {
        let name = if s { "mvns" } else { "mvn" };
        match src {
            Operand::Imm(v) => {
                let u = imm32(v).ok_or_else(|| Self::imm_err(name, v))?;
                match modified_immediate(u) {
                    Some(e) => {
                        Self::no_sp_pc(name, &[rd])?;
                        let (h1, h2) = split12(e);
                        let text = asm_line!(self, "mvn", s, true; "{rd}, {}", imm(u as i64));
                        self.emit32(text, 0xF06F | (s as u16) << 4 | h1, h2 | rd.n() << 8);
                    }
                    None => self
                        .mov_s(s, rd, Operand::Imm(!u as i64))
                        .map_err(|_| Self::imm_err(name, v))?,
                }
            }
            Operand::Reg(rm) if rd.is_low() && rm.is_low() && self.narrow_flags_ok(s) => {
                let text = asm_line!(self, "mvn", s, false; "{rd}, {rm}");
                self.emit16(text, 0x43C0 | rm.n() << 3 | rd.n());
            }
            Operand::Reg(rm) | Operand::Shifted(rm, ..) => {
                Self::no_sp_pc(name, &[rd, rm])?;
                let (imm3, imm2, ty) = self.shift_fields(name, src)?;
                let text = asm_line!(self, "mvn", s, true; "{rd}, {src}");
                self.emit32(
                    text,
                    0xEA6F | (s as u16) << 4,
                    imm3 << 12 | rd.n() << 8 | imm2 << 6 | ty << 4 | rm.n(),
                );
            }
        }
        Ok(())
    }

    /// (imm3, imm2, type) of a register operand's shift in a 32-bit form.
    fn shift_fields(&self, insn: &str, op: Operand) -> Result<(u16, u16, u16)> {
        match op {
            Operand::Reg(_) => Ok((0, 0, 0)),
            Operand::Shifted(_, sh, n) => {
                let imm5 = sh.imm5(n).ok_or_else(|| Self::imm_err(insn, n as i64))?;
                Ok((imm5 >> 2, imm5 & 3, sh as u16))
            }
            Operand::Imm(v) => Err(Self::imm_err(insn, v)),
        }
    }

    // ----- arithmetic and logic --------------------------------------------

    /// `add rd, rn, op` (no flags). Immediates: 16-bit forms with sp, the
    /// 32-bit modified immediate, then `addw` (0–4095); negative ones become
    /// `sub`.
    pub fn add(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Add, false, rd, rn, op.into())
    }
    pub fn adds(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Add, true, rd, rn, op.into())
    }
    pub fn sub(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Sub, false, rd, rn, op.into())
    }
    pub fn subs(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Sub, true, rd, rn, op.into())
    }
    pub fn adc(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Adc, false, rd, rn, op.into())
    }
    pub fn adcs(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Adc, true, rd, rn, op.into())
    }
    pub fn sbc(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Sbc, false, rd, rn, op.into())
    }
    pub fn sbcs(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Sbc, true, rd, rn, op.into())
    }
    /// `rsb rd, rn, op`: rd = op - rn.
    pub fn rsb(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Rsb, false, rd, rn, op.into())
    }
    pub fn rsbs(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Rsb, true, rd, rn, op.into())
    }
    pub fn and(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::And, false, rd, rn, op.into())
    }
    pub fn ands(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::And, true, rd, rn, op.into())
    }
    pub fn orr(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Orr, false, rd, rn, op.into())
    }
    pub fn orrs(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Orr, true, rd, rn, op.into())
    }
    /// `orn rd, rn, op`: rd = rn OR NOT op.
    pub fn orn(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Orn, false, rd, rn, op.into())
    }
    pub fn eor(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Eor, false, rd, rn, op.into())
    }
    pub fn eors(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Eor, true, rd, rn, op.into())
    }
    /// `bic rd, rn, op`: rd = rn AND NOT op.
    pub fn bic(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Bic, false, rd, rn, op.into())
    }
    pub fn bics(&mut self, rd: Reg, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.dp(Dp::Bic, true, rd, rn, op.into())
    }

    fn dp(&mut self, op: Dp, s: bool, rd: Reg, rn: Reg, src: Operand) -> Result<()> {
        let name = format!("{}{}", op.name(), if s { "s" } else { "" });
        match src {
            Operand::Imm(v) => self.dp_imm(op, s, rd, rn, v, &name),
            _ => self.dp_reg(op, s, rd, rn, src, &name),
        }
    }

    fn dp_imm(&mut self, op: Dp, s: bool, rd: Reg, rn: Reg, v: i64, name: &str) -> Result<()> {
        let u = imm32(v).ok_or_else(|| Self::imm_err(name, v))?;
        let add_sub = matches!(op, Dp::Add | Dp::Sub);
        // add/sub of a negative value is the other one of a positive value.
        if add_sub && v < 0 {
            let other = if op == Dp::Add { Dp::Sub } else { Dp::Add };
            return self.dp_imm(other, s, rd, rn, -v, name);
        }
        if add_sub {
            if rd == PC || rn == PC {
                return Err(Self::reg_err(name, PC));
            }
            if rd == SP && rn != SP {
                return Err(Self::reg_err(name, SP));
            }
            if self.add_sub_imm_narrow(op, s, rd, rn, u) {
                return Ok(());
            }
        } else {
            Self::no_sp_pc(name, &[rd, rn])?;
            if op == Dp::Rsb && u == 0 && rd.is_low() && rn.is_low() && self.narrow_flags_ok(s) {
                let text = asm_line!(self, "rsb", s, false; "{rd}, {rn}, #0");
                self.emit16(text, 0x4240 | rn.n() << 3 | rd.n());
                return Ok(());
            }
        }
        // 32-bit: the modified immediate, then addw/subw (0-4095, no
        // flags), then the complementary operation.
        if add_sub && !s && u <= 0xfff && modified_immediate(u).is_none() {
            let (h1, h2) = split12(u as u16);
            let (base, w) = if op == Dp::Add {
                (0xF200, "addw")
            } else {
                (0xF2A0, "subw")
            };
            let text = asm_line!(self, w, false, false; "{rd}, {rn}, {}", imm(u as i64));
            self.emit32(text, base | h1 | rn.n(), h2 | rd.n() << 8);
            return Ok(());
        }
        let (op, u, e) = match modified_immediate(u) {
            Some(e) => (op, u, e),
            None => op
                .with_inverted_imm(u)
                .and_then(|(o, w)| Some((o, w, modified_immediate(w)?)))
                .ok_or_else(|| Self::imm_err(name, v))?,
        };
        let (h1, h2) = split12(e);
        let text = asm_line!(self, op.name(), s, op != Dp::Orn; "{rd}, {rn}, {}", imm(u as i64));
        self.emit32(
            text,
            0xF000 | h1 | (op as u16) << 5 | (s as u16) << 4 | rn.n(),
            h2 | rd.n() << 8,
        );
        Ok(())
    }

    /// The 16-bit `add`/`sub` immediate forms; true when one was emitted.
    fn add_sub_imm_narrow(&mut self, op: Dp, s: bool, rd: Reg, rn: Reg, u: u32) -> bool {
        let add = op == Dp::Add;
        let (imm3, imm8) = if add {
            (0x1C00, 0x3000)
        } else {
            (0x1E00, 0x3800)
        };
        if rd.is_low() && rn.is_low() && self.narrow_flags_ok(s) {
            if rd == rn && u <= 0xff {
                let text = asm_line!(self, op.name(), s, false; "{rd}, {rn}, {}", imm(u as i64));
                self.emit16(text, imm8 | rd.n() << 8 | u as u16);
                return true;
            }
            if u <= 7 {
                let text = asm_line!(self, op.name(), s, false; "{rd}, {rn}, {}", imm(u as i64));
                self.emit16(text, imm3 | (u as u16) << 6 | rn.n() << 3 | rd.n());
                return true;
            }
        }
        if !s && rn == SP && u.is_multiple_of(4) {
            if rd == SP && u <= 508 {
                let base = if add { 0xB000 } else { 0xB080 };
                let text = asm_line!(self, op.name(), false, false; "sp, sp, {}", imm(u as i64));
                self.emit16(text, base | (u / 4) as u16);
                return true;
            }
            if add && rd.is_low() && u <= 1020 {
                let text = asm_line!(self, "add", false, false; "{rd}, sp, {}", imm(u as i64));
                self.emit16(text, 0xA800 | rd.n() << 8 | (u / 4) as u16);
                return true;
            }
        }
        false
    }

    fn dp_reg(
        &mut self,
        op: Dp,
        s: bool,
        rd: Reg,
        rn: Reg,
        src: Operand,
        name: &str,
    ) -> Result<()> {
        let (rm, plain) = match src {
            Operand::Reg(r) => (r, true),
            Operand::Shifted(r, sh, n) => (r, sh == Shift::Lsl && n == 0),
            Operand::Imm(v) => return Err(Self::imm_err(name, v)),
        };
        // 16-bit forms.
        if plain {
            let all_low = rd.is_low() && rn.is_low() && rm.is_low();
            if matches!(op, Dp::Add | Dp::Sub) && all_low && self.narrow_flags_ok(s) {
                let base = if op == Dp::Add { 0x1800 } else { 0x1A00 };
                let text = asm_line!(self, op.name(), s, false; "{rd}, {rn}, {rm}");
                self.emit16(text, base | rm.n() << 6 | rn.n() << 3 | rd.n());
                return Ok(());
            }
            if op == Dp::Add && !s && (rd == rn || rd == rm) && !(rn == PC && rm == PC) && rd != PC
            {
                let other = if rd == rn { rm } else { rn };
                let text = asm_line!(self, "add", false, false; "{rd}, {rn}, {rm}");
                self.emit16(
                    text,
                    0x4400 | (rd.n() >> 3) << 7 | other.n() << 3 | (rd.n() & 7),
                );
                return Ok(());
            }
            if let Some(code) = op.narrow() {
                let other = if rd == rn {
                    Some(rm)
                } else if rd == rm && op.commutative() {
                    Some(rn)
                } else {
                    None
                };
                if let Some(other) =
                    other.filter(|o| o.is_low() && rd.is_low() && self.narrow_flags_ok(s))
                {
                    let text = asm_line!(self, op.name(), s, false; "{rd}, {rn}, {rm}");
                    self.emit16(text, 0x4000 | code << 6 | other.n() << 3 | rd.n());
                    return Ok(());
                }
            }
        }
        // 32-bit shifted-register form.
        if matches!(op, Dp::Add | Dp::Sub) && rn == SP {
            if rd == PC || rm.is_sp_or_pc() {
                return Err(Self::reg_err(name, if rd == PC { PC } else { rm }));
            }
        } else {
            Self::no_sp_pc(name, &[rd, rn, rm])?;
        }
        let (imm3, imm2, ty) = self.shift_fields(name, src)?;
        let text = asm_line!(self, op.name(), s, op != Dp::Orn; "{rd}, {rn}, {src}");
        self.emit32(
            text,
            0xEA00 | (op as u16) << 5 | (s as u16) << 4 | rn.n(),
            imm3 << 12 | rd.n() << 8 | imm2 << 6 | ty << 4 | rm.n(),
        );
        Ok(())
    }

    /// `mul rd, rn, rm` (no flags; 32-bit unless inside IT with low registers).
    pub fn mul(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.mul_s(false, rd, rn, rm)
    }

    /// `muls rd, rn, rm`: only a 16-bit form, so rd must equal rn or rm and all be low.
    pub fn muls(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.mul_s(true, rd, rn, rm)
    }

    fn mul_s(&mut self, s: bool, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        let name = if s { "muls" } else { "mul" };
        let other = if rd == rm {
            Some(rn)
        } else if rd == rn {
            Some(rm)
        } else {
            None
        };
        let low = rd.is_low() && rn.is_low() && rm.is_low();
        if let Some(other) = other.filter(|_| low && self.narrow_flags_ok(s)) {
            let text = asm_line!(self, "mul", s, false; "{rd}, {rn}, {rm}");
            self.emit16(text, 0x4340 | other.n() << 3 | rd.n());
            return Ok(());
        }
        if s {
            return Err(Error::Operands {
                insn: name.into(),
                why: "muls has only a 16-bit form: low registers, rd = rn or rm, outside IT",
            });
        }
        Self::no_sp_pc(name, &[rd, rn, rm])?;
        let text = asm_line!(self, "mul", false, true; "{rd}, {rn}, {rm}");
        self.emit32(text, 0xFB00 | rn.n(), 0xF000 | rd.n() << 8 | rm.n());
        Ok(())
    }

    /// `smull rdlo, rdhi, rn, rm`: signed 32x32 -> 64.
    pub fn smull(&mut self, rdlo: Reg, rdhi: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.long_mul("smull", 0xFB80, rdlo, rdhi, rn, rm)
    }

    /// `umull rdlo, rdhi, rn, rm`: unsigned 32x32 -> 64.
    pub fn umull(&mut self, rdlo: Reg, rdhi: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.long_mul("umull", 0xFBA0, rdlo, rdhi, rn, rm)
    }

    fn long_mul(
        &mut self,
        name: &str,
        op: u16,
        rdlo: Reg,
        rdhi: Reg,
        rn: Reg,
        rm: Reg,
    ) -> Result<()> {
        Self::no_sp_pc(name, &[rdlo, rdhi, rn, rm])?;
        if rdlo == rdhi {
            return Err(Error::Operands {
                insn: name.into(),
                why: "rdlo and rdhi must differ",
            });
        }
        let text = asm_line!(self, name, false, false; "{rdlo}, {rdhi}, {rn}, {rm}");
        self.emit32(text, op | rn.n(), rdlo.n() << 12 | rdhi.n() << 8 | rm.n());
        Ok(())
    }

    /// `sdiv rd, rn, rm`: signed rn / rm, rounding toward zero (0 when rm = 0).
    pub fn sdiv(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.div("sdiv", 0xFB90, rd, rn, rm)
    }

    /// `udiv rd, rn, rm`: unsigned rn / rm.
    pub fn udiv(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.div("udiv", 0xFBB0, rd, rn, rm)
    }

    fn div(&mut self, name: &str, op: u16, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        Self::no_sp_pc(name, &[rd, rn, rm])?;
        let text = asm_line!(self, name, false, false; "{rd}, {rn}, {rm}");
        self.emit32(text, op | rn.n(), 0xF0F0 | rd.n() << 8 | rm.n());
        Ok(())
    }

    /// `mla rd, rn, rm, ra`: rd = ra + rn * rm.
    pub fn mla(&mut self, rd: Reg, rn: Reg, rm: Reg, ra: Reg) -> Result<()> {
        self.multiply_accumulate("mla", 0x0000, rd, rn, rm, ra)
    }

    /// `mls rd, rn, rm, ra`: rd = ra - rn * rm (e.g. the remainder after `sdiv`).
    pub fn mls(&mut self, rd: Reg, rn: Reg, rm: Reg, ra: Reg) -> Result<()> {
        self.multiply_accumulate("mls", 0x0010, rd, rn, rm, ra)
    }

    fn multiply_accumulate(
        &mut self,
        name: &str,
        op2: u16,
        rd: Reg,
        rn: Reg,
        rm: Reg,
        ra: Reg,
    ) -> Result<()> {
        Self::no_sp_pc(name, &[rd, rn, rm, ra])?;
        let text = asm_line!(self, name, false, false; "{rd}, {rn}, {rm}, {ra}");
        self.emit32(
            text,
            0xFB00 | rn.n(),
            ra.n() << 12 | rd.n() << 8 | op2 | rm.n(),
        );
        Ok(())
    }

    /// `clz rd, rm`: the number of leading zero bits of rm.
    pub fn clz(&mut self, rd: Reg, rm: Reg) -> Result<()> {
        Self::no_sp_pc("clz", &[rd, rm])?;
        let text = asm_line!(self, "clz", false, false; "{rd}, {rm}");
        self.emit32(text, 0xFAB0 | rm.n(), 0xF080 | rd.n() << 8 | rm.n());
        Ok(())
    }

    /// `uxtb rd, rm`: rd = rm & 0xff.
    pub fn uxtb(&mut self, rd: Reg, rm: Reg) -> Result<()> {
        self.extend("uxtb", 0xB2C0, 0xFA5F, rd, rm)
    }
    /// `uxth rd, rm`: rd = rm & 0xffff.
    pub fn uxth(&mut self, rd: Reg, rm: Reg) -> Result<()> {
        self.extend("uxth", 0xB280, 0xFA1F, rd, rm)
    }
    /// `sxtb rd, rm`: rd = the low byte of rm, sign-extended.
    pub fn sxtb(&mut self, rd: Reg, rm: Reg) -> Result<()> {
        self.extend("sxtb", 0xB240, 0xFA4F, rd, rm)
    }
    /// `sxth rd, rm`: rd = the low halfword of rm, sign-extended.
    pub fn sxth(&mut self, rd: Reg, rm: Reg) -> Result<()> {
        self.extend("sxth", 0xB200, 0xFA0F, rd, rm)
    }

    fn extend(&mut self, name: &str, narrow: u16, wide: u16, rd: Reg, rm: Reg) -> Result<()> {
        if rd.is_low() && rm.is_low() {
            let text = asm_line!(self, name, false, false; "{rd}, {rm}");
            self.emit16(text, narrow | rm.n() << 3 | rd.n());
            return Ok(());
        }
        Self::no_sp_pc(name, &[rd, rm])?;
        let text = asm_line!(self, name, false, true; "{rd}, {rm}");
        self.emit32(text, wide, 0xF080 | rd.n() << 8 | rm.n());
        Ok(())
    }

    // ----- shifts -----------------------------------------------------------

    /// `lsl rd, rm, #n` or `lsl rd, rn, rm` (no flags).
    pub fn lsl(&mut self, rd: Reg, rm: Reg, amount: impl Into<Operand>) -> Result<()> {
        self.shift(Shift::Lsl, false, rd, rm, amount.into())
    }
    pub fn lsls(&mut self, rd: Reg, rm: Reg, amount: impl Into<Operand>) -> Result<()> {
        self.shift(Shift::Lsl, true, rd, rm, amount.into())
    }
    pub fn lsr(&mut self, rd: Reg, rm: Reg, amount: impl Into<Operand>) -> Result<()> {
        self.shift(Shift::Lsr, false, rd, rm, amount.into())
    }
    pub fn lsrs(&mut self, rd: Reg, rm: Reg, amount: impl Into<Operand>) -> Result<()> {
        self.shift(Shift::Lsr, true, rd, rm, amount.into())
    }
    pub fn asr(&mut self, rd: Reg, rm: Reg, amount: impl Into<Operand>) -> Result<()> {
        self.shift(Shift::Asr, false, rd, rm, amount.into())
    }
    pub fn asrs(&mut self, rd: Reg, rm: Reg, amount: impl Into<Operand>) -> Result<()> {
        self.shift(Shift::Asr, true, rd, rm, amount.into())
    }
    pub fn ror(&mut self, rd: Reg, rm: Reg, amount: impl Into<Operand>) -> Result<()> {
        self.shift(Shift::Ror, false, rd, rm, amount.into())
    }
    pub fn rors(&mut self, rd: Reg, rm: Reg, amount: impl Into<Operand>) -> Result<()> {
        self.shift(Shift::Ror, true, rd, rm, amount.into())
    }

    fn shift(&mut self, sh: Shift, s: bool, rd: Reg, rn: Reg, amount: Operand) -> Result<()> {
        match amount {
            Operand::Imm(v) => {
                let n = u8::try_from(v).map_err(|_| Self::imm_err(sh.name(), v))?;
                self.shift_imm(sh, s, rd, rn, n)
            }
            Operand::Reg(rm) => self.shift_reg(sh, s, rd, rn, rm),
            Operand::Shifted(..) => Err(Error::Operands {
                insn: sh.name().into(),
                why: "the shift amount cannot be shifted",
            }),
        }
    }

    fn shift_imm(&mut self, sh: Shift, s: bool, rd: Reg, rm: Reg, n: u8) -> Result<()> {
        let name = sh.name();
        let imm5 = match sh.imm5(n) {
            Some(i) if !(sh == Shift::Lsl && n == 0) => i,
            _ => return Err(Self::imm_err(name, n as i64)),
        };
        if sh != Shift::Ror && rd.is_low() && rm.is_low() && self.narrow_flags_ok(s) {
            let text = asm_line!(self, name, s, false; "{rd}, {rm}, #{n}");
            self.emit16(text, (sh as u16) << 11 | imm5 << 6 | rm.n() << 3 | rd.n());
            return Ok(());
        }
        Self::no_sp_pc(name, &[rd, rm])?;
        let text = asm_line!(self, name, s, true; "{rd}, {rm}, #{n}");
        self.emit32(
            text,
            0xEA4F | (s as u16) << 4,
            (imm5 >> 2) << 12 | rd.n() << 8 | (imm5 & 3) << 6 | (sh as u16) << 4 | rm.n(),
        );
        Ok(())
    }

    fn shift_reg(&mut self, sh: Shift, s: bool, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        let name = sh.name();
        if rd == rn && rd.is_low() && rm.is_low() && self.narrow_flags_ok(s) {
            let code = [2, 3, 4, 7][sh as usize];
            let text = asm_line!(self, name, s, false; "{rd}, {rn}, {rm}");
            self.emit16(text, 0x4000 | code << 6 | rm.n() << 3 | rd.n());
            return Ok(());
        }
        Self::no_sp_pc(name, &[rd, rn, rm])?;
        let text = asm_line!(self, name, s, true; "{rd}, {rn}, {rm}");
        self.emit32(
            text,
            0xFA00 | (sh as u16) << 5 | (s as u16) << 4 | rn.n(),
            0xF000 | rd.n() << 8 | rm.n(),
        );
        Ok(())
    }

    // ----- comparisons ------------------------------------------------------

    /// `cmp rn, op`: flags of rn - op. A negative immediate becomes `cmn`.
    pub fn cmp(&mut self, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.compare(Compare::Cmp, rn, op.into())
    }

    /// `cmn rn, op`: flags of rn + op. A negative immediate becomes `cmp`.
    pub fn cmn(&mut self, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.compare(Compare::Cmn, rn, op.into())
    }

    /// `tst rn, op`: flags of rn AND op.
    pub fn tst(&mut self, rn: Reg, op: impl Into<Operand>) -> Result<()> {
        self.compare(Compare::Tst, rn, op.into())
    }

    fn compare(&mut self, cmp: Compare, rn: Reg, src: Operand) -> Result<()> {
        let name = cmp.name();
        match src {
            Operand::Imm(v) => {
                if let Some(other) = cmp.negated().filter(|_| v < 0 && v > -(1 << 32)) {
                    if let Ok(()) = self.compare(other, rn, Operand::Imm(-v)) {
                        return Ok(());
                    }
                }
                let u = imm32(v).ok_or_else(|| Self::imm_err(name, v))?;
                Self::no_sp_pc(name, &[rn])?;
                if cmp == Compare::Cmp && rn.is_low() && u <= 0xff {
                    let text = asm_line!(self, name, false, false; "{rn}, {}", imm(u as i64));
                    self.emit16(text, 0x2800 | rn.n() << 8 | u as u16);
                    return Ok(());
                }
                let e = modified_immediate(u).ok_or_else(|| Self::imm_err(name, v))?;
                let (h1, h2) = split12(e);
                let text = asm_line!(self, name, false, true; "{rn}, {}", imm(u as i64));
                let op = cmp.op() as u16;
                self.emit32(text, 0xF010 | h1 | op << 5 | rn.n(), h2 | 0x0F00);
            }
            Operand::Reg(rm) | Operand::Shifted(rm, ..) => {
                if src.plain_reg().is_some() {
                    if rn.is_low() && rm.is_low() {
                        let text = asm_line!(self, name, false, false; "{rn}, {rm}");
                        self.emit16(text, cmp.narrow() | rm.n() << 3 | rn.n());
                        return Ok(());
                    }
                    if cmp == Compare::Cmp && rn != PC && rm != PC {
                        // cmp with a high register: 0100 0101 N Rm Rn.
                        let text = asm_line!(self, name, false, false; "{rn}, {rm}");
                        let hw = 0x4500 | (rn.n() >> 3) << 7 | rm.n() << 3 | (rn.n() & 7);
                        self.emit16(text, hw);
                        return Ok(());
                    }
                }
                Self::no_sp_pc(name, &[rn, rm])?;
                let (imm3, imm2, ty) = self.shift_fields(name, src)?;
                let text = asm_line!(self, name, false, true; "{rn}, {src}");
                self.emit32(
                    text,
                    0xEA10 | (cmp.op() as u16) << 5 | rn.n(),
                    imm3 << 12 | 0x0F00 | imm2 << 6 | ty << 4 | rm.n(),
                );
            }
        }
        Ok(())
    }

    // ----- loads and stores -------------------------------------------------

    /// `ldr rt, mem`: a word.
    pub fn ldr(&mut self, rt: Reg, mem: Mem) -> Result<()> {
        self.access(Access::Ldr, rt, mem)
    }
    pub fn str(&mut self, rt: Reg, mem: Mem) -> Result<()> {
        self.access(Access::Str, rt, mem)
    }
    /// `ldrb rt, mem`: a byte, zero-extended.
    pub fn ldrb(&mut self, rt: Reg, mem: Mem) -> Result<()> {
        self.access(Access::Ldrb, rt, mem)
    }
    pub fn strb(&mut self, rt: Reg, mem: Mem) -> Result<()> {
        self.access(Access::Strb, rt, mem)
    }
    /// `ldrh rt, mem`: a halfword, zero-extended.
    pub fn ldrh(&mut self, rt: Reg, mem: Mem) -> Result<()> {
        self.access(Access::Ldrh, rt, mem)
    }
    pub fn strh(&mut self, rt: Reg, mem: Mem) -> Result<()> {
        self.access(Access::Strh, rt, mem)
    }
    /// `ldrsb rt, mem`: a byte, sign-extended.
    pub fn ldrsb(&mut self, rt: Reg, mem: Mem) -> Result<()> {
        self.access(Access::Ldrsb, rt, mem)
    }
    /// `ldrsh rt, mem`: a halfword, sign-extended.
    pub fn ldrsh(&mut self, rt: Reg, mem: Mem) -> Result<()> {
        self.access(Access::Ldrsh, rt, mem)
    }

    fn access(&mut self, acc: Access, rt: Reg, mem: Mem) -> Result<()> {
        let name = acc.name();
        let word = matches!(acc, Access::Ldr | Access::Str);
        if rt == PC || (rt == SP && !word) {
            return Err(Self::reg_err(name, rt));
        }
        match mem {
            Mem::Offset(rn, off) => {
                if rn == PC {
                    return Err(Self::reg_err(name, PC));
                }
                if let Some((scale, op)) = acc.narrow_imm() {
                    let fits = off >= 0 && off % scale == 0 && off / scale < 32;
                    if rt.is_low() && rn.is_low() && fits {
                        let text = asm_line!(self, name, false, false; "{rt}, {mem}");
                        self.emit16(
                            text,
                            op | ((off / scale) as u16) << 6 | rn.n() << 3 | rt.n(),
                        );
                        return Ok(());
                    }
                    if word && rn == SP && rt.is_low() && off >= 0 && off % 4 == 0 && off <= 1020 {
                        let base = if acc == Access::Str { 0x9000 } else { 0x9800 };
                        let text = asm_line!(self, name, false, false; "{rt}, {mem}");
                        self.emit16(text, base | rt.n() << 8 | (off / 4) as u16);
                        return Ok(());
                    }
                }
                let text = asm_line!(self, name, false, true; "{rt}, {mem}");
                if (0..=4095).contains(&off) {
                    self.emit32(text, acc.wide() | rn.n(), rt.n() << 12 | off as u16);
                } else if (-255..0).contains(&off) {
                    self.emit32(
                        text,
                        (acc.wide() & !0x80) | rn.n(),
                        rt.n() << 12 | 0xC00 | (-off) as u16,
                    );
                } else {
                    return Err(Self::imm_err(name, off as i64));
                }
            }
            Mem::Index(rn, rm, shift) => {
                if rn == PC || rm.is_sp_or_pc() {
                    return Err(Self::reg_err(name, if rn == PC { PC } else { rm }));
                }
                if shift > 3 {
                    return Err(Self::imm_err(name, shift as i64));
                }
                if shift == 0 && rt.is_low() && rn.is_low() && rm.is_low() {
                    let text = asm_line!(self, name, false, false; "{rt}, {mem}");
                    self.emit16(
                        text,
                        0x5000 | acc.narrow_reg() << 9 | rm.n() << 6 | rn.n() << 3 | rt.n(),
                    );
                    return Ok(());
                }
                let text = asm_line!(self, name, false, true; "{rt}, {mem}");
                self.emit32(
                    text,
                    (acc.wide() & !0x80) | rn.n(),
                    rt.n() << 12 | (shift as u16) << 4 | rm.n(),
                );
            }
        }
        Ok(())
    }

    /// `ldrd rt, rt2, [rn, #off]`: off a multiple of 4 in -1020..=1020.
    pub fn ldrd(&mut self, rt: Reg, rt2: Reg, rn: Reg, off: i32) -> Result<()> {
        if rt == rt2 {
            return Err(Error::Operands {
                insn: "ldrd".into(),
                why: "rt and rt2 must differ",
            });
        }
        self.dual("ldrd", 0xE950, rt, rt2, rn, off)
    }

    /// `strd rt, rt2, [rn, #off]`.
    pub fn strd(&mut self, rt: Reg, rt2: Reg, rn: Reg, off: i32) -> Result<()> {
        self.dual("strd", 0xE940, rt, rt2, rn, off)
    }

    fn dual(&mut self, name: &str, op: u16, rt: Reg, rt2: Reg, rn: Reg, off: i32) -> Result<()> {
        Self::no_sp_pc(name, &[rt, rt2])?;
        if rn == PC {
            return Err(Self::reg_err(name, PC));
        }
        if off % 4 != 0 || !(-1020..=1020).contains(&off) {
            return Err(Self::imm_err(name, off as i64));
        }
        let up = (off >= 0) as u16;
        let text = asm_line!(self, name, false, false; "{rt}, {rt2}, {}", ptr(rn, off));
        self.emit32(
            text,
            op | up << 7 | rn.n(),
            rt.n() << 12 | rt2.n() << 8 | (off.unsigned_abs() / 4) as u16,
        );
        Ok(())
    }

    /// `push {regs}`: 16-bit for r0–r7 and lr, else `push.w`.
    pub fn push(&mut self, regs: &[Reg]) -> Result<()> {
        self.push_pop(true, regs)
    }

    /// `pop {regs}`: 16-bit for r0–r7 and pc, else `pop.w`.
    pub fn pop(&mut self, regs: &[Reg]) -> Result<()> {
        self.push_pop(false, regs)
    }

    fn push_pop(&mut self, push: bool, regs: &[Reg]) -> Result<()> {
        let name = if push { "push" } else { "pop" };
        let list = regs.iter().fold(0u16, |l, r| l | 1 << r.0);
        let extra = if push { LR } else { PC };
        let forbidden = if push { [SP, PC] } else { [SP, SP] };
        if list == 0 {
            return Err(Error::Operands {
                insn: name.into(),
                why: "empty register list",
            });
        }
        if let Some(&r) = forbidden.iter().find(|r| list & 1 << r.0 != 0) {
            return Err(Self::reg_err(name, r));
        }
        if !push && list & 0xC000 == 0xC000 {
            return Err(Error::Operands {
                insn: name.into(),
                why: "pop cannot load both lr and pc",
            });
        }
        if !push && list & 1 << 15 != 0 {
            self.last_in_it(name)?;
        }
        let names: Vec<String> = (0..16)
            .filter(|i| list & 1 << i != 0)
            .map(|i| Reg(i).to_string())
            .collect();
        let names = names.join(", ");
        if list & !(0xff | 1 << extra.0) == 0 {
            let text = asm_line!(self, name, false, false; "{{{names}}}");
            let m = ((list >> extra.0) & 1) << 8;
            self.emit16(text, if push { 0xB400 } else { 0xBC00 } | m | (list & 0xff));
        } else if list.count_ones() == 1 {
            // A single high register: str rt, [sp, #-4]! / ldr rt, [sp], #4.
            let rt = list.trailing_zeros() as u16;
            let text = asm_line!(self, name, false, true; "{{{names}}}");
            let (h1, h2) = if push {
                (0xF84D, 0x0D04)
            } else {
                (0xF85D, 0x0B04)
            };
            self.emit32(text, h1, rt << 12 | h2);
        } else {
            let text = asm_line!(self, name, false, true; "{{{names}}}");
            self.emit32(text, if push { 0xE92D } else { 0xE8BD }, list);
        }
        Ok(())
    }

    // ----- branches ---------------------------------------------------------

    /// `b label`: 16-bit when the label is bound and within ±2 KiB, else `b.w`.
    pub fn b(&mut self, label: Label) -> Result<()> {
        let narrow = self.bound_within(label, -2048, 2046);
        self.branch(None, label, narrow)
    }
    /// `b.n label` (±2 KiB, checked at finish).
    pub fn b_n(&mut self, label: Label) -> Result<()> {
        self.branch(None, label, true)
    }
    /// `b.w label` (±16 MiB).
    pub fn b_w(&mut self, label: Label) -> Result<()> {
        self.branch(None, label, false)
    }
    /// `b<c> label`: 16-bit when bound and within ±256 bytes, else `b<c>.w`.
    pub fn b_cond(&mut self, cond: Cond, label: Label) -> Result<()> {
        let narrow = self.bound_within(label, -256, 254);
        self.branch(Some(cond), label, narrow)
    }
    /// `b<c>.n label` (±256 bytes, checked at finish).
    pub fn b_cond_n(&mut self, cond: Cond, label: Label) -> Result<()> {
        self.branch(Some(cond), label, true)
    }
    /// `b<c>.w label` (±1 MiB).
    pub fn b_cond_w(&mut self, cond: Cond, label: Label) -> Result<()> {
        self.branch(Some(cond), label, false)
    }

    fn bound_within(&self, label: Label, lo: i64, hi: i64) -> bool {
        match self.labels.get(label.0 as usize).copied().flatten() {
            Some(target) => (lo..=hi).contains(&(target as i64 - (self.offset() as i64 + 4))),
            None => false,
        }
    }

    fn check_label(&self, label: Label) -> Result<()> {
        if (label.0 as usize) < self.labels.len() {
            Ok(())
        } else {
            Err(Error::Label {
                label,
                why: "not made by this assembler",
            })
        }
    }

    fn branch(&mut self, cond: Option<Cond>, label: Label, narrow: bool) -> Result<()> {
        self.check_label(label)?;
        if let Some(c) = cond {
            self.outside_it(&format!("b{}", c.name()))?;
        }
        self.last_in_it("b")?;
        let shown = cond.or(self.cond()).map_or("", Cond::name);
        let text = format!("b{shown}{} {label}", if narrow { ".n" } else { ".w" });
        let (kind, h1, h2) = match (cond, narrow) {
            (None, true) => (Fix::B16, 0xE000, None),
            (None, false) => (Fix::B32, 0xF000, Some(0x9000)),
            (Some(c), true) => (Fix::BCond16, 0xD000 | c.bits() << 8, None),
            (Some(c), false) => (Fix::BCond32, 0xF000 | c.bits() << 6, Some(0x8000)),
        };
        self.fixups.push(Fixup {
            at: self.offset(),
            label,
            kind,
            line: self.listing.len(),
        });
        match h2 {
            None => self.emit16(text, h1),
            Some(h2) => self.emit32(text, h1, h2),
        }
        Ok(())
    }

    /// `cbz rn, label`: branch forward (0–126 bytes) if rn is zero.
    pub fn cbz(&mut self, rn: Reg, label: Label) -> Result<()> {
        self.compare_branch("cbz", 0xB100, rn, label)
    }

    /// `cbnz rn, label`: branch forward (0–126 bytes) if rn is not zero.
    pub fn cbnz(&mut self, rn: Reg, label: Label) -> Result<()> {
        self.compare_branch("cbnz", 0xB900, rn, label)
    }

    fn compare_branch(&mut self, name: &str, op: u16, rn: Reg, label: Label) -> Result<()> {
        self.check_label(label)?;
        self.outside_it(name)?;
        if !rn.is_low() {
            return Err(Self::reg_err(name, rn));
        }
        self.fixups.push(Fixup {
            at: self.offset(),
            label,
            kind: Fix::Cbz,
            line: self.listing.len(),
        });
        self.emit16(format!("{name} {rn}, {label}"), op | rn.n());
        Ok(())
    }

    /// `bl sym`: call a symbol (R_ARM_THM_CALL).
    pub fn bl(&mut self, sym: &str) -> Result<()> {
        self.branch_sym("bl", RelocKind::ArmThmCall, 0xD000, sym)
    }

    /// `b.w sym`: jump to a symbol, e.g. a tail call (R_ARM_THM_JUMP24).
    pub fn b_sym(&mut self, sym: &str) -> Result<()> {
        self.branch_sym("b", RelocKind::ArmThmJump24, 0x9000, sym)
    }

    fn branch_sym(&mut self, name: &str, kind: RelocKind, op2: u16, sym: &str) -> Result<()> {
        self.last_in_it(name)?;
        // REL: the addend -4 (the pc bias) lives in the instruction.
        let (h1, h2) = branch24(-4);
        let mn = self.mn(name, false, name == "b");
        self.relocs.push(Reloc {
            offset: self.offset(),
            kind,
            symbol: sym.to_string(),
            addend: -4,
        });
        self.emit32(format!("{mn} {}", sym_text(sym, 0)), 0xF000 | h1, op2 | h2);
        Ok(())
    }

    /// `bl label`: call code of this assembler (±16 MiB).
    pub fn bl_label(&mut self, label: Label) -> Result<()> {
        self.check_label(label)?;
        self.last_in_it("bl")?;
        self.fixups.push(Fixup {
            at: self.offset(),
            label,
            kind: Fix::Bl,
            line: self.listing.len(),
        });
        let text = asm_line!(self, "bl", false, false; "{label}");
        self.emit32(text, 0xF000, 0xD000);
        Ok(())
    }

    /// `bx rm`: jump to the address in rm (`bx lr` returns).
    pub fn bx(&mut self, rm: Reg) -> Result<()> {
        self.last_in_it("bx")?;
        let text = asm_line!(self, "bx", false, false; "{rm}");
        self.emit16(text, 0x4700 | rm.n() << 3);
        Ok(())
    }

    /// `blx rm`: call the address in rm.
    pub fn blx(&mut self, rm: Reg) -> Result<()> {
        self.last_in_it("blx")?;
        if rm == PC {
            return Err(Self::reg_err("blx", PC));
        }
        let text = asm_line!(self, "blx", false, false; "{rm}");
        self.emit16(text, 0x4780 | rm.n() << 3);
        Ok(())
    }

    /// `ldr rt, label`: a word from a literal (32-bit form, ±4095 bytes).
    pub fn ldr_lit(&mut self, rt: Reg, label: Label) -> Result<()> {
        self.literal(rt, label, false)
    }

    /// `ldr rt, label` in 16 bits: rt low, literal word aligned, 0–1020 bytes ahead.
    pub fn ldr_lit_n(&mut self, rt: Reg, label: Label) -> Result<()> {
        self.literal(rt, label, true)
    }

    fn literal(&mut self, rt: Reg, label: Label, narrow: bool) -> Result<()> {
        self.check_label(label)?;
        if rt == PC || (narrow && !rt.is_low()) {
            return Err(Self::reg_err("ldr", rt));
        }
        let kind = if narrow { Fix::Lit16 } else { Fix::Lit32 };
        self.fixups.push(Fixup {
            at: self.offset(),
            label,
            kind,
            line: self.listing.len(),
        });
        let text = asm_line!(self, "ldr", false, !narrow; "{rt}, {label}");
        if narrow {
            self.emit16(text, 0x4800 | rt.n() << 8);
        } else {
            self.emit32(text, 0xF85F, rt.n() << 12);
        }
        Ok(())
    }

    fn patch(&mut self, fix: &Fixup) -> Result<()> {
        let Some(target) = self.labels[fix.label.0 as usize] else {
            return Err(Error::Label {
                label: fix.label,
                why: "used but never bound",
            });
        };
        let at = fix.at as usize;
        let pc = fix.at as i64 + 4;
        let off = target as i64 - pc;
        let insn = || self.listing[fix.line].text.clone();
        let range = |lo: i64, hi: i64, align: i64| -> Result<i32> {
            if (lo..=hi).contains(&off) && off % align == 0 {
                Ok(off as i32)
            } else {
                Err(Error::Range {
                    insn: insn(),
                    offset: off,
                })
            }
        };
        let (or1, or2): (u16, u16) = match fix.kind {
            Fix::B16 => (((range(-2048, 2046, 2)? >> 1) & 0x7ff) as u16, 0),
            Fix::BCond16 => (((range(-256, 254, 2)? >> 1) & 0xff) as u16, 0),
            Fix::B32 | Fix::Bl => branch24(range(-(1 << 24), (1 << 24) - 2, 2)?),
            Fix::BCond32 => {
                let o = range(-(1 << 20), (1 << 20) - 2, 2)?;
                let s = (o < 0) as u16;
                let j1 = ((o >> 18) & 1) as u16;
                let j2 = ((o >> 19) & 1) as u16;
                (
                    s << 10 | ((o >> 12) & 0x3f) as u16,
                    j1 << 13 | j2 << 11 | ((o >> 1) & 0x7ff) as u16,
                )
            }
            Fix::Cbz => {
                let o = range(0, 126, 2)? as u16;
                (((o >> 6) & 1) << 9 | ((o >> 1) & 0x1f) << 3, 0)
            }
            Fix::Lit16 | Fix::Lit32 => {
                let base = pc & !3;
                let off = target as i64 - base;
                let ok = if fix.kind == Fix::Lit16 {
                    (0..=1020).contains(&off) && off % 4 == 0
                } else {
                    (-4095..=4095).contains(&off)
                };
                if !ok {
                    return Err(Error::Range {
                        insn: insn(),
                        offset: off,
                    });
                }
                if fix.kind == Fix::Lit16 {
                    ((off / 4) as u16, 0)
                } else {
                    (((off >= 0) as u16) << 7, off.unsigned_abs() as u16)
                }
            }
        };
        let h1 = u16::from_le_bytes([self.bytes[at], self.bytes[at + 1]]) | or1;
        self.bytes[at..at + 2].copy_from_slice(&h1.to_le_bytes());
        if !matches!(fix.kind, Fix::B16 | Fix::BCond16 | Fix::Cbz | Fix::Lit16) {
            let h2 = u16::from_le_bytes([self.bytes[at + 2], self.bytes[at + 3]]) | or2;
            self.bytes[at + 2..at + 4].copy_from_slice(&h2.to_le_bytes());
        }
        Ok(())
    }

    // ----- IT blocks --------------------------------------------------------

    /// `it<pattern> cond`: makes the next 1–4 instructions conditional;
    /// `pattern` lists `t`/`e` for the 2nd–4th (e.g. `"e"` for `ite`).
    pub fn it_block(&mut self, cond: Cond, pattern: &str) -> Result<()> {
        let name = format!("it{pattern}");
        self.outside_it(&name)?;
        if pattern.len() > 3 || !pattern.chars().all(|c| c == 't' || c == 'e') {
            return Err(Error::Operands {
                insn: name,
                why: "the pattern is up to three of t/e",
            });
        }
        let first = cond.bits() & 1;
        let mut mask = 0u16;
        let mut conds = vec![cond];
        for (i, c) in pattern.chars().enumerate() {
            let then = c == 't';
            mask |= (if then { first } else { first ^ 1 }) << (3 - i);
            conds.push(if then { cond } else { cond.invert() });
        }
        mask |= 1 << (3 - pattern.len());
        self.emit16(
            format!("{name} {}", cond.name()),
            0xBF00 | cond.bits() << 4 | mask,
        );
        self.it = conds;
        Ok(())
    }

    /// `it cond`: the next instruction runs if cond holds.
    pub fn it(&mut self, cond: Cond) -> Result<()> {
        self.it_block(cond, "")
    }
    /// `itt cond`.
    pub fn itt(&mut self, cond: Cond) -> Result<()> {
        self.it_block(cond, "t")
    }
    /// `ite cond`: the next runs if cond holds, the one after if it does not.
    pub fn ite(&mut self, cond: Cond) -> Result<()> {
        self.it_block(cond, "e")
    }

    // ----- miscellaneous ----------------------------------------------------

    pub fn nop(&mut self) -> Result<()> {
        let text = self.mn("nop", false, false);
        self.emit16(text, 0xBF00);
        Ok(())
    }

    /// `nop.w`: a 4-byte no-op.
    pub fn nop_w(&mut self) -> Result<()> {
        let text = self.mn("nop", false, true);
        self.emit32(text, 0xF3AF, 0x8000);
        Ok(())
    }

    /// `bkpt #imm8` (`bkpt 0xab` is a semihosting call).
    pub fn bkpt(&mut self, imm8: u8) -> Result<()> {
        self.emit16(format!("bkpt #0x{imm8:02x}"), 0xBE00 | imm8 as u16);
        Ok(())
    }

    /// `udf #imm8`: a permanently undefined instruction (a trap).
    pub fn udf(&mut self, imm8: u8) -> Result<()> {
        self.outside_it("udf")?;
        self.emit16(format!("udf #0x{imm8:02x}"), 0xDE00 | imm8 as u16);
        Ok(())
    }

    /// `svc #imm8`: supervisor call.
    pub fn svc(&mut self, imm8: u8) -> Result<()> {
        let text = asm_line!(self, "svc", false, false; "#0x{imm8:02x}");
        self.emit16(text, 0xDF00 | imm8 as u16);
        Ok(())
    }

    // ----- data -------------------------------------------------------------

    /// `.word value`.
    pub fn word(&mut self, value: u32) -> Result<()> {
        self.outside_it(".word")?;
        self.listing.push(Line {
            offset: self.offset(),
            text: format!(".word 0x{value:08x}"),
        });
        self.bytes.extend_from_slice(&value.to_le_bytes());
        Ok(())
    }

    /// `.word sym+addend` (R_ARM_ABS32; a Thumb function gets its Thumb bit).
    pub fn word_sym(&mut self, sym: &str, addend: i32) -> Result<()> {
        self.outside_it(".word")?;
        self.relocs.push(Reloc {
            offset: self.offset(),
            kind: RelocKind::ArmAbs32,
            symbol: sym.to_string(),
            addend,
        });
        self.listing.push(Line {
            offset: self.offset(),
            text: format!(".word {}", sym_text(sym, addend)),
        });
        self.bytes.extend_from_slice(&addend.to_le_bytes());
        Ok(())
    }

    /// `.p2align`: pads to a multiple of `align` bytes like GNU as: a zero
    /// byte if odd, a `nop` to reach a word, then `nop.w`s.
    pub fn align(&mut self, align: u32) -> Result<()> {
        self.outside_it(".p2align")?;
        if !align.is_power_of_two() || align > 4096 {
            return Err(Error::Operands {
                insn: ".p2align".into(),
                why: "alignment must be a power of two",
            });
        }
        self.listing.push(Line {
            offset: self.offset(),
            text: format!(".p2align {}", align.trailing_zeros()),
        });
        if self.bytes.len() % 2 == 1 && align > 1 {
            self.bytes.push(0);
        }
        while !self.bytes.len().is_multiple_of(align as usize) {
            if self.bytes.len() % 4 == 2 {
                self.bytes.extend_from_slice(&0xBF00u16.to_le_bytes());
            } else {
                self.bytes.extend_from_slice(&[0xAF, 0xF3, 0x00, 0x80]);
            }
        }
        Ok(())
    }

    /// `.space n`: n zero bytes.
    pub fn space(&mut self, n: u32) -> Result<()> {
        self.outside_it(".space")?;
        self.listing.push(Line {
            offset: self.offset(),
            text: format!(".space {n}"),
        });
        self.bytes.resize(self.bytes.len() + n as usize, 0);
        Ok(())
    }
}
