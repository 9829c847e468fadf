//! The pipeline behind each command: read the program, compile it with the
//! frontend (or read CPython's bytecode), generate machine code, write an
//! object, link it with the embedded runtime.

use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, UNIX_EPOCH};

use frontend::code::CodeObject;

use crate::cli::{Command, Emit, Linker};
use crate::runtime;

/// Why a command failed; printed on standard error, exit status 1.
#[derive(Debug)]
pub enum Failure {
    /// A syntax error (in CPython's shape) or Python the frontend refuses
    /// (`app.py:3:5: unsupported: ...`).
    Compile(frontend::CompileError),
    /// Python the code generator refuses.
    Unsupported {
        filename: String,
        line: u32,
        col: u32,
        what: String,
    },
    /// A message printed as it is (CPython's wording for a source file
    /// that is not UTF-8).
    Message(String),
    /// Anything else: files, linking; printed after `error: `.
    Error(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Compile(error) => write!(f, "{error}"),
            Failure::Unsupported {
                filename,
                line,
                col,
                what,
            } => write!(f, "{filename}:{line}:{col}: unsupported: {what}"),
            Failure::Message(message) => write!(f, "{message}"),
            Failure::Error(message) => write!(f, "error: {message}"),
        }
    }
}

impl From<link::LinkError> for Failure {
    fn from(error: link::LinkError) -> Self {
        Failure::Error(error.to_string())
    }
}

fn io_failure(action: &str, path: &Path, error: &io::Error) -> Failure {
    Failure::Error(format!(
        "cannot {action} '{}': {}",
        path.display(),
        link::describe_io_error(error)
    ))
}

/// Runs one command; `Ok` carries the exit status to leave with.
pub fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Build {
            input,
            output,
            emit,
            linker,
        } => build(&input, output, emit, linker).map(|()| ExitCode::SUCCESS),
        Command::Run {
            input,
            linker,
            args,
        } => run_program(&input, linker, &args),
        Command::Dis { input } => {
            let program = Program::load(&input)?;
            print_stdout(&frontend::dis::dis(&program.code))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Opcodes => {
            let supported = codegen_x86::supported_opcodes();
            let report = frontend::versions::coverage_report(&|name| {
                supported.iter().any(|op| op.name() == name)
            });
            print_stdout(&report)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A program ready for code generation: its module code object and the
/// source text tracebacks quote.
struct Program {
    code: CodeObject,
    source: String,
    /// Source modification time and size, for a `.pyc` header (`py_compile`
    /// stores both truncated to 32 bits).
    mtime: u32,
    size: u32,
}

impl Program {
    /// Reads `input`: CPython 3.11 bytecode if it ends in `.pyc`, Python
    /// source otherwise. The file name the program reports (in tracebacks and
    /// errors) is the path as the user gave it, as with `python3 app.py`.
    fn load(input: &Path) -> Result<Program, Failure> {
        let bytes = fs::read(input).map_err(|e| io_failure("read", input, &e))?;
        let filename = input.to_string_lossy().into_owned();
        if input.extension().is_some_and(|ext| ext == "pyc") {
            return Program::from_pyc(input, &bytes);
        }

        let source = decode_source(&bytes, &filename)?;
        let code = frontend::compile_module(&source, &filename).map_err(Failure::Compile)?;
        let (mtime, size) = match fs::metadata(input) {
            Ok(meta) => {
                let mtime = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs() as u32);
                (mtime, meta.len() as u32)
            }
            Err(_) => (0, bytes.len() as u32),
        };
        Ok(Program {
            code,
            source,
            mtime,
            size,
        })
    }

    /// A `.pyc` written by CPython 3.11 (or by pyaot). Its source, for
    /// tracebacks, is read from `co_filename` when that file exists, as
    /// CPython's `linecache` does.
    fn from_pyc(input: &Path, bytes: &[u8]) -> Result<Program, Failure> {
        let code = frontend::marshal::read_pyc(bytes)
            .map_err(|e| Failure::Error(format!("cannot load '{}': {e}", input.display())))?;
        let source = fs::read(&code.filename)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let header_word = |at: usize| {
            bytes
                .get(at..at + 4)
                .map_or(0, |w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        };
        Ok(Program {
            code,
            source,
            mtime: header_word(8),
            size: header_word(12),
        })
    }

    /// Generates machine code for the whole program.
    fn codegen(&self, listing: bool) -> Result<codegen_x86::Compiled, Failure> {
        let options = codegen_x86::Options { listing };
        codegen_x86::compile_program(&self.code, &self.source, &options).map_err(|u| {
            Failure::Unsupported {
                filename: self.code.filename.clone(),
                line: u.line,
                col: u.col,
                what: u.what,
            }
        })
    }

    /// Compiles, writes the object and links it into an executable at `output`.
    fn link_executable(&self, output: &Path, linker: Linker) -> Result<(), Failure> {
        let started = Instant::now();
        let compiled = self.codegen(false)?;
        let object = link::write_object(&compiled.object)?;
        let generated = Instant::now();
        match linker {
            Linker::Builtin => {
                // PYAOT_LINK_MAP=path: where each section went and why it was kept.
                let map = std::env::var_os("PYAOT_LINK_MAP").map(PathBuf::from);
                link::builtin::link_to_file(&object, runtime::X86_64_LINUX, output, map.as_deref())?
            }
            Linker::System => link::system::link(&object, runtime::X86_64_LINUX, output)?,
        }
        if std::env::var_os("PYAOT_TIME").is_some() {
            eprintln!(
                "pyaot: codegen {:.1} ms, link {:.1} ms",
                (generated - started).as_secs_f64() * 1e3,
                generated.elapsed().as_secs_f64() * 1e3
            );
        }
        Ok(())
    }
}

/// Source bytes as text: UTF-8 (PEP 3120), an optional byte-order mark
/// dropped. Anything else is CPython's SyntaxError for undeclared encodings.
fn decode_source(bytes: &[u8], filename: &str) -> Result<String, Failure> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Failure::Message(format!(
                "SyntaxError: Non-UTF-8 code starting with '\\x{:02x}' in file {filename} on \
                 line {line}, but no encoding declared; see https://peps.python.org/pep-0263/ \
                 for details",
                bytes[at]
            )))
        }
    }
}

/// `pyaot build`: writes what `emit` asks for.
fn build(input: &Path, output: Option<PathBuf>, emit: Emit, linker: Linker) -> Result<(), Failure> {
    let started = Instant::now();
    let program = Program::load(input)?;
    if std::env::var_os("PYAOT_TIME").is_some() {
        eprintln!(
            "pyaot: frontend {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let output_or_default = |extension| match &output {
        Some(path) => Ok(path.clone()),
        None => default_output(input, extension),
    };
    match emit {
        Emit::Exe => program.link_executable(&output_or_default("")?, linker),
        Emit::Pyc => {
            let pyc = frontend::marshal::write_pyc(&program.code, program.mtime, program.size);
            write_file(&output_or_default("pyc")?, &pyc)
        }
        Emit::Obj => {
            let compiled = program.codegen(false)?;
            let object = link::write_object(&compiled.object)?;
            write_file(&output_or_default("o")?, &object)
        }
        Emit::Asm => {
            let listing = program.codegen(true)?.listing.unwrap_or_default();
            match &output {
                Some(path) => write_file(path, listing.as_bytes()),
                None => print_stdout(&listing),
            }
        }
    }
}

/// The default output of `pyaot build`: the input's stem with `extension`
/// in the current directory (`app.py` -> `app`, `app.pyc`, `app.o`), as
/// `rustc` names its output. (Assembly goes to standard output.)
fn default_output(input: &Path, extension: &str) -> Result<PathBuf, Failure> {
    let Some(stem) = input.file_stem() else {
        return Err(Failure::Error(format!(
            "cannot name the output for '{}'; give one with -o",
            input.display()
        )));
    };
    let output = PathBuf::from(stem).with_extension(extension);
    if same_file(&output, input) {
        return Err(Failure::Error(format!(
            "the output '{}' would overwrite the input; give another with -o",
            output.display()
        )));
    }
    Ok(output)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    fs::write(path, bytes).map_err(|e| io_failure("write", path, &e))
}

/// Writes to standard output; a closed pipe (`pyaot dis app.py | head`) is
/// not an error worth reporting.
fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Failure::Error(format!(
            "cannot write to standard output: {}",
            link::describe_io_error(&e)
        ))),
        _ => Ok(()),
    }
}

/// `pyaot run`: builds into a temporary directory and runs the executable
/// with `args`, its `argv[0]` (the program's `sys.argv[0]`) being the input
/// path as given, as with `python3 app.py`.
fn run_program(input: &Path, linker: Linker, args: &[OsString]) -> Result<ExitCode, Failure> {
    let program = Program::load(input)?;
    let dir = tempfile::Builder::new()
        .prefix("pyaot-run-")
        .tempdir()
        .map_err(|e| io_failure("create a temporary directory in", &std::env::temp_dir(), &e))?;
    let executable = dir.path().join("program");
    program.link_executable(&executable, linker)?;

    let status = std::process::Command::new(&executable)
        .arg0(input)
        .args(args)
        .status()
        .map_err(|e| io_failure("run", &executable, &e))?;
    drop(dir);
    // A program killed by a signal exits like it would from a shell: 128 + N.
    let code = match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 1,
    };
    Ok(ExitCode::from(code as u8))
}
