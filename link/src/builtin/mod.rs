//! The built-in static linker: the program's object plus the runtime archive
//! become a static x86-64 ELF executable, with no system linker, C compiler
//! or Rust toolchain on the machine.
//!
//! What it does, in the order [`Linker::link`] does it:
//!
//! 1. **Read** the objects (ELF64 relocatable, module `elf64`) and the archives'
//!    symbol indexes.
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
//! ([`x86_64::apply`]) and GOT relaxation ([`x86_64::relax`]). A Cortex-M
//! target adds an `arm` module of the same shape (`R_ARM_ABS32`,
//! `R_ARM_THM_CALL`, `R_ARM_THM_JUMP24`, `R_ARM_THM_MOVW_ABS_NC`,
//! `R_ARM_THM_MOVT_ABS`, `R_ARM_REL32`, the Thumb bit on function
//! addresses) and its memory map (flash and RAM instead of one base
//! address); reading, resolution, garbage collection and the symbol table
//! are shared.
//!
//! Diagnostics: [`Linker::link_with_map`] (`PYAOT_LINK_MAP=path pyaot build`)
//! lists every kept section and the section that first referred to it.

mod elf64;
mod image;
mod resolve;
pub mod x86_64;

use std::fmt;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::LinkError;

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

    /// Links the inputs into the bytes of a static executable.
    pub fn link(&self) -> Result<Vec<u8>, Error> {
        let resolved = resolve::resolve(&self.objects, &self.archives, &self.entry)?;
        Ok(image::build(&resolved, false)?.0)
    }

    /// [`link`](Self::link), and a link map: the output sections, then every
    /// kept input section with its address, size, first symbol, and the
    /// section whose relocation first reached it (why it is linked in).
    pub fn link_with_map(&self) -> Result<(Vec<u8>, String), Error> {
        let resolved = resolve::resolve(&self.objects, &self.archives, &self.entry)?;
        let (executable, map) = image::build(&resolved, true)?;
        Ok((executable, map.unwrap_or_default()))
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
    // A running executable cannot be rewritten in place (ETXTBSY): replace
    // the directory entry instead when the file already exists.
    if output.is_file() {
        let _ = fs::remove_file(output);
    }
    fs::write(output, executable).map_err(|e| LinkError::io("write", output, e))?;
    fs::set_permissions(output, fs::Permissions::from_mode(0o755))
        .map_err(|e| LinkError::io("make executable", output, e))
}
