//! The built-in static linker: the program's object plus the runtime archive
//! become a static x86-64 ELF executable, or Cortex-M firmware, with no
//! system linker, C compiler or Rust toolchain on the machine.
//!
//! What it does, in the order [`Linker::link`] does it:
//!
//! 1. **Read** the objects (ELF64 or ELF32 relocatable, module `elf`) and the
//!    archives' symbol indexes.
//! 2. **Resolve** symbols: every global reference is bound to one
//!    definition; an archive member is loaded only when it defines a symbol
//!    something still needs (as `ld` does).
//! 3. **Collect garbage** (`--gc-sections`): only sections reachable through
//!    relocations from the entry point (`_start`) are kept.
//! 4. **Lay out** the kept sections into `.rodata`, `.data.rel.ro` and `.got`
//!    (read-only segment, which also holds the ELF headers), `.text` (read +
//!    execute) and `.data` + `.bss` (read + write), each segment on its own
//!    pages, based at 0x400000 like a non-PIE executable.
//! 5. **Relocate**: apply each relocation ([`x86_64`] holds the kinds and
//!    their arithmetic); GOT loads of defined symbols are relaxed into
//!    direct references as GNU ld relaxes them, the others read a small GOT
//!    the linker fills at link time.
//! 6. **Write** the executable with a `.symtab`: every function keeps its
//!    name (a compiled Python function is `app.py:fib`), so `nm`, `perf`
//!    and `gdb` show Python names.
//!
//! The machine-specific part is [`x86_64`]: the relocation types it
//! implements ([`x86_64::classify`]), their arithmetic and overflow checks
//! ([`x86_64::apply`]) and GOT relaxation ([`x86_64::relax`]); and [`arm`]
//! for Cortex-M (`R_ARM_ABS32`, `R_ARM_REL32`, `R_ARM_THM_CALL`,
//! `R_ARM_THM_JUMP24`, `R_ARM_THM_JUMP19`, `R_ARM_THM_MOVW_ABS_NC`,
//! `R_ARM_THM_MOVT_ABS`, the Thumb bit on function addresses, REL addends
//! read from the instructions). Reading, resolution and garbage collection
//! are shared; an x86-64 executable is laid out by `image` (one base
//! address, pages), Cortex-M firmware by [`firmware`] (the vector table
//! first in flash, `.data` loaded from flash into RAM, heap and stack in
//! RAM, the symbols the reset handler needs: [`firmware::PROVIDED`]).
//!
//! Diagnostics: [`Linker::link_with_map`] (`PYAOT_LINK_MAP=path pyaot build`)
//! lists every kept section and the section that first referred to it.

pub mod arm;
mod elf;
pub mod firmware;
mod image;
mod resolve;
pub mod x86_64;

use std::fmt;
use std::fs;
use std::path::Path;

use crate::{Arch, LinkError};

pub use firmware::{MemoryMap, SizeReport};

/// The machine a link is for, as the linker sees it.
pub(crate) type Machine = Arch;

impl Arch {
    /// `e_machine` of the objects this machine links.
    pub(crate) fn elf_machine(self) -> u16 {
        match self {
            Arch::X86_64 => elf::EM_X86_64,
            Arch::Arm => elf::EM_ARM,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86-64",
            Arch::Arm => "ARM (Thumb)",
        }
    }

    /// The linker implements relocation type `r_type` for this machine.
    pub(crate) fn knows_relocation(self, r_type: u32) -> bool {
        match self {
            Arch::X86_64 => x86_64::classify(r_type).is_some(),
            Arch::Arm => arm::classify(r_type).is_some(),
        }
    }

    pub(crate) fn relocation_name(self, r_type: u32) -> String {
        match self {
            Arch::X86_64 => x86_64::type_name(r_type),
            Arch::Arm => arm::type_name(r_type),
        }
    }
}

/// The symbol execution starts at, by default.
pub const DEFAULT_ENTRY: &str = "_start";

/// Why the built-in linker could not produce an executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// An input is not a well-formed relocatable object or archive
    /// (truncated, corrupt, or for another machine).
    BadInput { file: String, what: String },
    /// A live section refers to a symbol nothing defines.
    Undefined {
        symbol: String,
        /// Where: `app.py:fib (section .text of program.o)`.
        referenced_by: String,
    },
    /// Two inputs define the same global symbol.
    Duplicate {
        symbol: String,
        first: String,
        second: String,
    },
    /// A relocation type the linker does not implement.
    UnknownRelocation {
        r_type: String,
        section: String,
        file: String,
    },
    /// A relocated value does not fit its field.
    Overflow {
        r_type: String,
        symbol: String,
        place: String,
        value: i128,
    },
    /// The entry symbol is not defined by any input.
    NoEntry { symbol: String },
    /// The inputs use a feature a static pyaot executable does not support.
    Unsupported { what: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadInput { file, what } => write!(f, "{file}: {what}"),
            Error::Undefined {
                symbol,
                referenced_by,
            } => write!(
                f,
                "undefined symbol `{symbol}`, referenced by {referenced_by}"
            ),
            Error::Duplicate {
                symbol,
                first,
                second,
            } => write!(
                f,
                "symbol `{symbol}` is defined twice: in {first} and in {second}"
            ),
            Error::UnknownRelocation {
                r_type,
                section,
                file,
            } => write!(
                f,
                "unsupported relocation {r_type} in section {section} of {file}"
            ),
            Error::Overflow {
                r_type,
                symbol,
                place,
                value,
            } => write!(
                f,
                "relocation {r_type} against `{symbol}` at {place} is out of range \
                 (value {value:#x})"
            ),
            Error::NoEntry { symbol } => {
                write!(f, "the entry symbol `{symbol}` is not defined")
            }
            Error::Unsupported { what } => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for LinkError {
    fn from(error: Error) -> Self {
        LinkError::Builtin(error)
    }
}

/// The inputs of one link.
pub struct Linker<'a> {
    objects: Vec<(String, &'a [u8])>,
    archives: Vec<(String, &'a [u8])>,
    entry: String,
    /// `None`: an x86-64 executable; `Some`: Cortex-M firmware.
    memory: Option<MemoryMap>,
}

impl Default for Linker<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Linker<'a> {
    pub fn new() -> Self {
        Linker {
            objects: Vec::new(),
            archives: Vec::new(),
            entry: DEFAULT_ENTRY.to_string(),
            memory: None,
        }
    }

    /// A link of Cortex-M firmware (ARM objects) for `memory`: the root is
    /// the vector table [`firmware::VECTORS`].
    pub fn cortex_m(memory: MemoryMap) -> Self {
        Linker {
            entry: firmware::VECTORS.to_string(),
            memory: Some(memory),
            ..Linker::new()
        }
    }

    /// An object that is always linked in (`name` is how messages call it).
    pub fn object(&mut self, name: &str, bytes: &'a [u8]) -> &mut Self {
        self.objects.push((name.to_string(), bytes));
        self
    }

    /// An archive whose members are linked in when needed.
    pub fn archive(&mut self, name: &str, bytes: &'a [u8]) -> &mut Self {
        self.archives.push((name.to_string(), bytes));
        self
    }

    /// The symbol execution starts at (default `_start`).
    pub fn entry(&mut self, symbol: &str) -> &mut Self {
        self.entry = symbol.to_string();
        self
    }

    /// Links the inputs into the bytes of a static executable (or firmware).
    pub fn link(&self) -> Result<Vec<u8>, Error> {
        Ok(self.build(false)?.0)
    }

    /// [`link`](Self::link), and a link map: the output sections, then every
    /// kept input section with its address, size, first symbol, and the
    /// section whose relocation first reached it (why it is linked in).
    pub fn link_with_map(&self) -> Result<(Vec<u8>, String), Error> {
        let (executable, map) = self.build(true)?;
        Ok((executable, map.unwrap_or_default()))
    }

    /// Links Cortex-M firmware: its bytes, what it uses of flash and RAM,
    /// and with `map` a link map. An error for an x86-64 link.
    pub fn link_firmware(&self, map: bool) -> Result<firmware::Built, Error> {
        let Some(memory) = self.memory else {
            return Err(Error::Unsupported {
                what: "link_firmware needs a Cortex-M link (Linker::cortex_m)".to_string(),
            });
        };
        let resolved = resolve::resolve(
            &self.objects,
            &self.archives,
            &self.entry,
            Arch::Arm,
            firmware::PROVIDED,
        )?;
        firmware::build(&resolved, self.objects.len(), memory, map)
    }

    fn build(&self, map: bool) -> Result<(Vec<u8>, Option<String>), Error> {
        if self.memory.is_some() {
            let built = self.link_firmware(map)?;
            return Ok((built.image, built.map));
        }
        let resolved = resolve::resolve(
            &self.objects,
            &self.archives,
            &self.entry,
            Arch::X86_64,
            &[],
        )?;
        image::build(&resolved, map)
    }
}

/// Links the program's `object` (from [`write_object`](crate::write_object))
/// with `runtime_archive` into the bytes of a static executable.
pub fn link(object: &[u8], runtime_archive: &[u8]) -> Result<Vec<u8>, LinkError> {
    Ok(Linker::new()
        .object("program.o", object)
        .archive("libpyaot_rt.a", runtime_archive)
        .link()?)
}

/// [`link`], then writes the executable to `output` (mode `rwxr-xr-x`);
/// with `map`, also writes the link map there (see [`Linker::link_with_map`]).
pub fn link_to_file(
    object: &[u8],
    runtime_archive: &[u8],
    output: &Path,
    map: Option<&Path>,
) -> Result<(), LinkError> {
    let mut linker = Linker::new();
    linker
        .object("program.o", object)
        .archive("libpyaot_rt.a", runtime_archive);
    let executable = match map {
        Some(path) => {
            let (executable, text) = linker.link_with_map()?;
            fs::write(path, text).map_err(|e| LinkError::io("write", path, e))?;
            executable
        }
        None => linker.link()?,
    };
    crate::output::write_executable(output, &executable)
}

/// Links the program's ARM `object` with the Cortex-M `runtime_archive`
/// into firmware for `memory`, written to `output`; with `map`, also writes
/// the link map there. Returns what the firmware uses of flash and RAM.
pub fn link_firmware_to_file(
    object: &[u8],
    runtime_archive: &[u8],
    memory: MemoryMap,
    output: &Path,
    map: Option<&Path>,
) -> Result<SizeReport, LinkError> {
    let mut linker = Linker::cortex_m(memory);
    linker
        .object("program.o", object)
        .archive("libpyaot_rt.a", runtime_archive);
    let built = linker.link_firmware(map.is_some())?;
    if let (Some(path), Some(text)) = (map, &built.map) {
        fs::write(path, text).map_err(|e| LinkError::io("write", path, e))?;
    }
    crate::output::write_image(output, &built.image)?;
    Ok(built.report)
}
