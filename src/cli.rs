//! The command line: what a user can ask pyaot to do.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
        /// extension for an executable, with `.pyc` or `.o` for bytecode or an
        /// object; standard output for assembly].
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// What to produce.
        #[arg(long, value_enum, default_value_t = Emit::Exe)]
        emit: Emit,
        /// Which linker makes the executable.
        #[arg(long, value_enum, default_value_t = Linker::Builtin)]
        linker: Linker,
    },
    /// Compile a program to a temporary executable and run it.
    ///
    /// Exits with the program's exit status.
    Run {
        /// The program: a Python source file or a CPython 3.11 `.pyc`.
        input: PathBuf,
        /// Which linker makes the executable.
        #[arg(long, value_enum, default_value_t = Linker::Builtin)]
        linker: Linker,
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

/// The artefact `pyaot build` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// A static x86-64 Linux executable.
    Exe,
    /// CPython 3.11 bytecode, runnable with `python3 app.pyc`.
    Pyc,
    /// The generated machine code, listed per bytecode instruction (AT&T syntax).
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
