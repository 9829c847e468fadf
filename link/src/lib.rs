//! Object files and linking: what codegen hands over, and how it becomes an
//! executable.
//!
//! A codegen produces an [`ObjectModule`]: sections of bytes, symbols that
//! name places in them, and relocations that refer to symbols (its own, or
//! the runtime's). This crate writes it as an ELF relocatable object and
//! links it with the runtime archive.
//!
//! - [`write_object`]: an [`ObjectModule`] as an ELF relocatable object
//!   (ELF64 for x86-64, ELF32 with REL relocations for ARM).
//! - [`system::link`]: that object plus the runtime archive, linked by the
//!   platform's C compiler driver into a static executable;
//!   [`system::link_firmware`]: Cortex-M firmware linked by LLVM's linker.
//! - [`builtin::link`]: the same, by pyaot's own static linker (no toolchain
//!   needed); [`builtin::link_firmware_to_file`] for Cortex-M firmware.

pub mod builtin;
mod elf;
mod error;
mod output;
pub mod system;

pub use elf::{reloc_width, write_object};
pub use error::{describe_io_error, LinkError};

/// The machine an object is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    /// 32-bit ARM, Thumb-2 code (Cortex-M): ELF32 objects with REL relocations.
    Arm,
}

/// What a section holds; decides its name, flags and the segment it lands in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Machine code (`.text`): read + execute.
    Text,
    /// Constant data (`.rodata`): read only.
    ReadOnlyData,
    /// Initialised writable data (`.data`).
    Data,
    /// Zero-initialised writable data (`.bss`): only a size, no bytes.
    Bss,
}

#[derive(Clone, Debug)]
pub struct Section {
    pub name: String,
    pub kind: SectionKind,
    pub align: u64,
    /// The contents; for [`SectionKind::Bss`] empty, see `size`.
    pub bytes: Vec<u8>,
    /// Size in bytes (equals `bytes.len()` except for bss).
    pub size: u64,
}

/// Index of a section in [`ObjectModule::sections`].
pub type SectionId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Function,
    Data,
}

/// A symbol this object defines.
#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub section: SectionId,
    pub offset: u64,
    pub size: u64,
    pub kind: SymbolKind,
    /// Visible to the runtime archive (otherwise local to the object).
    pub global: bool,
}

/// How a relocation patches its place. Each target's kinds live here, side
/// by side, so that a new target adds its own next to these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocKind {
    /// x86-64 `R_X86_64_64`: 8 bytes, S + A.
    X86Abs64,
    /// x86-64 `R_X86_64_PC32`: 4 bytes, S + A - P (RIP-relative data).
    X86Pc32,
    /// x86-64 `R_X86_64_PLT32`: 4 bytes, L + A - P (a `call`/`jmp` to a function).
    X86Plt32,
    /// ARM `R_ARM_ABS32`: a 4-byte data word, (S + A) | T.
    ArmAbs32,
    /// ARM `R_ARM_THM_CALL`: a Thumb-2 `bl` (4 bytes), ((S + A) | T) - P.
    ArmThmCall,
    /// ARM `R_ARM_THM_JUMP24`: a Thumb-2 `b.w` (4 bytes), ((S + A) | T) - P.
    ArmThmJump24,
    /// ARM `R_ARM_THM_MOVW_ABS_NC`: a Thumb-2 `movw` (4 bytes), low half of (S + A) | T.
    ArmThmMovwAbsNc,
    /// ARM `R_ARM_THM_MOVT_ABS`: a Thumb-2 `movt` (4 bytes), high half of S + A.
    ArmThmMovtAbs,
}

/// A place in a section that must refer to a symbol.
#[derive(Clone, Debug)]
pub struct Reloc {
    pub section: SectionId,
    pub offset: u64,
    pub kind: RelocKind,
    /// A symbol of this object or of the runtime.
    pub symbol: String,
    pub addend: i64,
}

/// Everything a codegen produces for one program.
#[derive(Clone, Debug)]
pub struct ObjectModule {
    pub arch: Arch,
    pub sections: Vec<Section>,
    pub symbols: Vec<Symbol>,
    pub relocs: Vec<Reloc>,
}
