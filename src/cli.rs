//! The command line: what a user can ask pyaot to do.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Ahead-of-time compiler from Python 3 to standalone native executables.
///
/// The input is a Python source file (`app.py`) or CPython 3.11 bytecode
/// (`app.pyc`). The executable is static: no Python, no libc, no shared
/// libraries are needed to run it.
#[derive(Debug, Parser)]
#[command(name = "pyaot", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a program to an executable (or to bytecode, assembly, an object file).
    Build {
        /// The program: a Python source file or a CPython 3.11 `.pyc`.
        input: PathBuf,
        /// Where to write the result [default: the input's name without its
        /// extension for an executable (with `.elf` for cortex-m3 firmware),
        /// with `.pyc` or `.o` for bytecode or an object; standard output for
        /// assembly].
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// What to produce.
        #[arg(long, value_enum, default_value_t = Emit::Exe)]
        emit: Emit,
        /// Which linker makes the executable.
        #[arg(long, value_enum, default_value_t = Linker::Builtin)]
        linker: Linker,
        /// The machine to compile for.
        #[arg(long, value_enum, default_value_t = Target::X86_64Linux)]
        target: Target,
        /// Print the flash and RAM the firmware uses, by part (cortex-m3).
        #[arg(long)]
        size: bool,
        #[command(flatten)]
        memory: MemoryArgs,
    },
    /// Compile a program to a temporary executable and run it.
    ///
    /// Exits with the program's exit status. For `--target cortex-m3` the
    /// firmware runs under `qemu-system-arm -M mps2-an385`.
    Run {
        /// The program: a Python source file or a CPython 3.11 `.pyc`.
        input: PathBuf,
        /// Which linker makes the executable.
        #[arg(long, value_enum, default_value_t = Linker::Builtin)]
        linker: Linker,
        /// The machine to compile for.
        #[arg(long, value_enum, default_value_t = Target::X86_64Linux)]
        target: Target,
        #[command(flatten)]
        memory: MemoryArgs,
        /// Arguments for the program (its `sys.argv[1:]`).
        #[arg(last = true, value_name = "ARGS")]
        args: Vec<OsString>,
    },
    /// Print the program's bytecode, as `python3 -m dis` does.
    Dis {
        /// The program: a Python source file or a CPython 3.11 `.pyc`.
        input: PathBuf,
    },
    /// Report which opcodes of CPython 3.8-3.14 the x86-64 code generator covers.
    Opcodes,
}

/// The machine a program is compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// A static x86-64 Linux executable.
    #[value(name = "x86_64-linux")]
    X86_64Linux,
    /// Bare-metal firmware (an ELF image) for an ARM Cortex-M3; by default
    /// for the MPS2-AN385 board that `qemu-system-arm -M mps2-an385` emulates.
    #[value(name = "cortex-m3")]
    CortexM3,
}

/// The memory map of a Cortex-M part (defaults: the MPS2-AN385 board).
/// Sizes and addresses are decimal or `0x` hexadecimal bytes, or a number
/// with a `K` or `M` suffix (KiB, MiB).
#[derive(Clone, Copy, Debug, Args)]
pub struct MemoryArgs {
    /// Where flash (code memory) starts [cortex-m3; default: 0x0]
    #[arg(long, value_name = "ADDR", value_parser = parse_bytes)]
    pub flash_origin: Option<u32>,
    /// How much flash there is [cortex-m3; default: 4M]
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub flash_size: Option<u32>,
    /// Where RAM starts [cortex-m3; default: 0x20000000]
    #[arg(long, value_name = "ADDR", value_parser = parse_bytes)]
    pub ram_origin: Option<u32>,
    /// How much RAM there is [cortex-m3; default: 4M]
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub ram_size: Option<u32>,
    /// The stack, at the top of RAM [cortex-m3; default: 256K]
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub stack_size: Option<u32>,
    /// The heap [cortex-m3; default: all RAM between the data and the stack]
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes)]
    pub heap_size: Option<u32>,
}

impl MemoryArgs {
    /// Some option was given.
    pub fn any(&self) -> bool {
        [
            self.flash_origin,
            self.flash_size,
            self.ram_origin,
            self.ram_size,
            self.stack_size,
            self.heap_size,
        ]
        .iter()
        .any(Option::is_some)
    }
}

/// `4M`, `256K`, `0x20000000`, `65536`: a byte count or address.
fn parse_bytes(text: &str) -> Result<u32, String> {
    let (digits, unit) = match text.as_bytes().last() {
        Some(b'K' | b'k') => (&text[..text.len() - 1], 1u64 << 10),
        Some(b'M' | b'm') => (&text[..text.len() - 1], 1u64 << 20),
        _ => (text, 1),
    };
    let value = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => digits.parse::<u64>(),
    }
    .map_err(|_| format!("'{text}' is not a size or address (e.g. 256K, 4M, 0x20000000)"))?;
    value
        .checked_mul(unit)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| format!("'{text}' does not fit the 32-bit address space"))
}

/// The artefact `pyaot build` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// An executable: a static x86-64 Linux executable, or a firmware ELF
    /// image for `--target cortex-m3`.
    Exe,
    /// CPython 3.11 bytecode, runnable with `python3 app.pyc`.
    Pyc,
    /// The generated machine code, listed per bytecode instruction (AT&T
    /// syntax for x86-64, GNU syntax for Thumb-2).
    Asm,
    /// The ELF relocatable object, before linking with the runtime.
    Obj,
}

/// How the executable is linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Linker {
    /// pyaot's own static linker: needs no toolchain on the machine.
    Builtin,
    /// The platform's C compiler driver and linker (`cc`, `ld`).
    System,
}

#[cfg(test)]
mod tests {
    use super::parse_bytes;

    #[test]
    fn sizes_and_addresses() {
        assert_eq!(parse_bytes("4M"), Ok(4 << 20));
        assert_eq!(parse_bytes("256K"), Ok(256 << 10));
        assert_eq!(parse_bytes("0x20000000"), Ok(0x2000_0000));
        assert_eq!(parse_bytes("65536"), Ok(65536));
        assert!(parse_bytes("4G").is_err());
        assert!(parse_bytes("8192M").is_err());
        assert!(parse_bytes("").is_err());
    }
}
