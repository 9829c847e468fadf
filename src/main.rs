//! `pyaot`: compile a Python 3 program into a standalone native executable.
//!
//! The CLI only wires the crates together (see `driver`): frontend (source or
//! `.pyc` to CPython 3.11 code objects), codegen-x86 (code objects to machine
//! code), link (object file, then the built-in static linker, or the system
//! linker with `--linker system`, with the embedded runtime archive).

mod cli;
mod driver;
mod runtime;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match driver::run(cli.command) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::FAILURE
        }
    }
}
