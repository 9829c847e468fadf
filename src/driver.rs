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

use link::builtin::{MemoryMap, SizeReport};

use crate::cli::{Command, Emit, Linker, MemoryArgs, Target};
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
            target,
            size,
            memory,
        } => {
            let platform = Platform::new(target, &memory)?;
            if size && target != Target::CortexM3 {
                return Err(Failure::Error(
                    "--size reports flash and RAM use; it needs --target cortex-m3".to_string(),
                ));
            }
            if size && linker != Linker::Builtin {
                return Err(Failure::Error(
                    "--size reports the built-in linker's layout; it needs --linker builtin"
                        .to_string(),
                ));
            }
            let report = build(&input, output, emit, linker, &platform)?;
            if size {
                match report {
                    Some(report) => print_stdout(&report.to_string())?,
                    None => {
                        return Err(Failure::Error(
                            "--size needs a linked image (--emit exe)".to_string(),
                        ))
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            input,
            linker,
            target,
            memory,
            args,
        } => run_program(&input, linker, &Platform::new(target, &memory)?, &args),
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

/// What the program is compiled for: the machine, and for a Cortex-M part
/// its memory map.
struct Platform {
    target: Target,
    memory: MemoryMap,
}

impl Platform {
    fn new(target: Target, args: &MemoryArgs) -> Result<Platform, Failure> {
        if target != Target::CortexM3 && args.any() {
            return Err(Failure::Error(
                "the memory options (--flash-size, --ram-size, ...) describe a Cortex-M part; \
                 they need --target cortex-m3"
                    .to_string(),
            ));
        }
        let default = MemoryMap::MPS2_AN385;
        let memory = MemoryMap {
            flash_origin: args.flash_origin.unwrap_or(default.flash_origin),
            flash_size: args.flash_size.unwrap_or(default.flash_size),
            ram_origin: args.ram_origin.unwrap_or(default.ram_origin),
            ram_size: args.ram_size.unwrap_or(default.ram_size),
            stack_size: args.stack_size.unwrap_or(default.stack_size),
            heap_size: args.heap_size.or(default.heap_size),
        };
        let fits = |origin: u32, size: u32| u64::from(origin) + u64::from(size) <= 1 << 32;
        if !fits(memory.flash_origin, memory.flash_size)
            || !fits(memory.ram_origin, memory.ram_size)
        {
            return Err(Failure::Error(
                "flash and RAM must lie within the 32-bit address space".to_string(),
            ));
        }
        if !memory.flash_origin.is_multiple_of(8) || !memory.ram_origin.is_multiple_of(8) {
            return Err(Failure::Error(
                "--flash-origin and --ram-origin must be multiples of 8".to_string(),
            ));
        }
        Ok(Platform { target, memory })
    }
}

/// Machine code for a whole program, from either code generator.
struct Generated {
    object: link::ObjectModule,
    listing: Option<String>,
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

    /// Python a code generator refuses, at its place in the program.
    fn unsupported(&self, u: frontend::lower::Unsupported) -> Failure {
        Failure::Unsupported {
            filename: self.code.filename.clone(),
            line: u.line,
            col: u.col,
            what: u.what,
        }
    }

    /// Generates machine code for the whole program.
    fn codegen(&self, target: Target, listing: bool) -> Result<Generated, Failure> {
        match target {
            Target::X86_64Linux => {
                let options = codegen_x86::Options { listing };
                let compiled = codegen_x86::compile_program(&self.code, &self.source, &options)
                    .map_err(|u| self.unsupported(u))?;
                Ok(Generated {
                    object: compiled.object,
                    listing: compiled.listing,
                })
            }
            Target::CortexM3 => {
                let options = codegen_arm::Options { listing };
                let compiled = codegen_arm::compile_program(&self.code, &self.source, &options)
                    .map_err(|u| self.unsupported(u))?;
                Ok(Generated {
                    object: compiled.object,
                    listing: compiled.listing,
                })
            }
        }
    }

    /// Compiles, writes the object and links it into an executable (or, for
    /// Cortex-M, a firmware image) at `output`; for firmware, returns what
    /// it uses of flash and RAM.
    fn link_executable(
        &self,
        output: &Path,
        linker: Linker,
        platform: &Platform,
    ) -> Result<Option<SizeReport>, Failure> {
        let started = Instant::now();
        let compiled = self.codegen(platform.target, false)?;
        let object = link::write_object(&compiled.object)?;
        let generated = Instant::now();
        // PYAOT_LINK_MAP=path: where each section went and why it was kept.
        let map = std::env::var_os("PYAOT_LINK_MAP").map(PathBuf::from);
        let mut report = None;
        match (platform.target, linker) {
            (Target::X86_64Linux, Linker::Builtin) => {
                link::builtin::link_to_file(&object, runtime::X86_64_LINUX, output, map.as_deref())?
            }
            (Target::X86_64Linux, Linker::System) => {
                link::system::link(&object, runtime::X86_64_LINUX, output)?
            }
            (Target::CortexM3, Linker::Builtin) => {
                report = Some(link::builtin::link_firmware_to_file(
                    &object,
                    runtime::cortex_m3()?,
                    platform.memory,
                    output,
                    map.as_deref(),
                )?);
            }
            (Target::CortexM3, Linker::System) => link::system::link_firmware(
                &object,
                runtime::cortex_m3()?,
                &platform.memory,
                output,
            )?,
        }
        if std::env::var_os("PYAOT_TIME").is_some() {
            eprintln!(
                "pyaot: codegen {:.1} ms, link {:.1} ms",
                (generated - started).as_secs_f64() * 1e3,
                generated.elapsed().as_secs_f64() * 1e3
            );
        }
        Ok(report)
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

/// `pyaot build`: writes what `emit` asks for; for linked firmware, returns
/// what it uses of flash and RAM.
fn build(
    input: &Path,
    output: Option<PathBuf>,
    emit: Emit,
    linker: Linker,
    platform: &Platform,
) -> Result<Option<SizeReport>, Failure> {
    let started = Instant::now();
    let program = Program::load(input)?;
    if std::env::var_os("PYAOT_TIME").is_some() {
        eprintln!(
            "pyaot: frontend {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let output_or_default = |extension| output_path(input, output.as_deref(), extension);
    let exe_extension = match platform.target {
        Target::X86_64Linux => "",
        Target::CortexM3 => "elf",
    };
    match emit {
        Emit::Exe => {
            return program.link_executable(&output_or_default(exe_extension)?, linker, platform)
        }
        Emit::Pyc => {
            let pyc = frontend::marshal::write_pyc(&program.code, program.mtime, program.size);
            write_file(&output_or_default("pyc")?, &pyc)?
        }
        Emit::Obj => {
            let compiled = program.codegen(platform.target, false)?;
            let object = link::write_object(&compiled.object)?;
            write_file(&output_or_default("o")?, &object)?
        }
        Emit::Asm => {
            let listing = program
                .codegen(platform.target, true)?
                .listing
                .unwrap_or_default();
            match &output {
                Some(path) => write_file(path, listing.as_bytes())?,
                None => print_stdout(&listing)?,
            }
        }
    }
    Ok(None)
}

/// Where `pyaot build` writes: `-o`, or by default the input's stem with
/// `extension` in the current directory (`app.py` -> `app`, `app.pyc`,
/// `app.o`), as `rustc` names its output. Never the input itself.
fn output_path(input: &Path, output: Option<&Path>, extension: &str) -> Result<PathBuf, Failure> {
    let output = match output {
        Some(path) => path.to_path_buf(),
        None => match input.file_stem() {
            Some(stem) => PathBuf::from(stem).with_extension(extension),
            None => {
                return Err(Failure::Error(format!(
                    "cannot name the output for '{}'; give one with -o",
                    input.display()
                )))
            }
        },
    };
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
/// path as given, as with `python3 app.py`. Cortex-M firmware runs under
/// QEMU ([`qemu_command`]).
fn run_program(
    input: &Path,
    linker: Linker,
    platform: &Platform,
    args: &[OsString],
) -> Result<ExitCode, Failure> {
    let program = Program::load(input)?;
    let dir = tempfile::Builder::new()
        .prefix("pyaot-run-")
        .tempdir()
        .map_err(|e| io_failure("create a temporary directory in", &std::env::temp_dir(), &e))?;
    let executable = dir.path().join(match platform.target {
        Target::X86_64Linux => "program",
        Target::CortexM3 => "program.elf",
    });
    program.link_executable(&executable, linker, platform)?;

    let status = match platform.target {
        Target::X86_64Linux => std::process::Command::new(&executable)
            .arg0(input)
            .args(args)
            .status()
            .map_err(|e| io_failure("run", &executable, &e))?,
        Target::CortexM3 => {
            let mut qemu = qemu_command(&executable, input.as_os_str(), args)?;
            match qemu.status() {
                Ok(status) => status,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(Failure::Error(format!(
                        "running Cortex-M firmware needs {QEMU}, which is not installed \
                         (Debian 12: apt-get install -t bookworm-backports qemu-system-arm); \
                         `pyaot build --target cortex-m3` builds the image without it"
                    )))
                }
                Err(e) => return Err(io_failure("run", Path::new(QEMU), &e)),
            }
        }
    };
    drop(dir);
    // A program killed by a signal exits like it would from a shell: 128 + N.
    let code = match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 1,
    };
    Ok(ExitCode::from(code as u8))
}

/// The emulator Cortex-M firmware runs on.
const QEMU: &str = "qemu-system-arm";

/// `qemu-system-arm` running `firmware` on the MPS2-AN385 board, with
/// semihosting for I/O (standard output and error, the exit status, and
/// `argv` as the command line `SYS_GET_CMDLINE` returns: runtime-lib's
/// abi.rs, `cortex_m`). No display, monitor or serial port; standard input
/// is not read.
pub fn qemu_command(
    firmware: &Path,
    argv0: &std::ffi::OsStr,
    args: &[OsString],
) -> Result<std::process::Command, Failure> {
    let mut config = OsString::from("enable=on,target=native");
    for arg in std::iter::once(argv0).chain(args.iter().map(OsString::as_os_str)) {
        let Some(text) = arg.to_str() else {
            return Err(Failure::Error(format!(
                "the argument {arg:?} is not UTF-8; Cortex-M programs take text arguments"
            )));
        };
        if text.contains(' ') || text.is_empty() {
            return Err(Failure::Error(format!(
                "the argument '{text}' is empty or has a space: a Cortex-M program's command \
                 line is one string split at spaces"
            )));
        }
        // QEMU's option syntax doubles a comma to mean a literal one.
        config.push(",arg=");
        config.push(text.replace(',', ",,"));
    }
    let mut qemu = std::process::Command::new(QEMU);
    qemu.args(["-M", "mps2-an385", "-display", "none", "-monitor", "none"])
        .args(["-serial", "none", "-semihosting-config"])
        .arg(config)
        .arg("-kernel")
        .arg(firmware)
        .stdin(std::process::Stdio::null());
    Ok(qemu)
}
