//! Development driver until the CLI builds: compile CPython's own `.pyc`
//! to an executable.
//!
//! `cargo run -p codegen-x86 --example pyc2exe -- app.pyc app.py runtime.a out [--asm] [--object-only]`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: pyc2exe app.pyc app.py libpyaot_rt.a out [--asm]");
        return ExitCode::FAILURE;
    }
    let pyc = std::fs::read(&args[1]).expect("read .pyc");
    let source = std::fs::read_to_string(&args[2]).expect("read source");
    let runtime = std::fs::read(&args[3]).expect("read runtime archive");
    let code = frontend::marshal::read_pyc(&pyc).expect("parse .pyc");
    let listing = args.iter().any(|a| a == "--asm");
    let opts = codegen_x86::Options { listing };
    let compiled = match codegen_x86::compile_program(&code, &source, &opts) {
        Ok(c) => c,
        Err(u) => {
            eprintln!("{}:{u}", args[2]);
            return ExitCode::FAILURE;
        }
    };
    if let Some(l) = compiled.listing {
        print!("{l}");
    }
    let object = link::write_object(&compiled.object).expect("write object");
    std::fs::write(format!("{}.o", args[4]), &object).expect("write .o");
    if args.iter().any(|a| a == "--object-only") {
        return ExitCode::SUCCESS;
    }
    if let Err(e) = link::system::link(&object, &runtime, std::path::Path::new(&args[4])) {
        eprintln!("link: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
