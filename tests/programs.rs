//! Differential tests: CPython 3.11 is the oracle.
//!
//! One test per program, so each passes or fails on its own:
//!
//! - `tests/programs/**/*.py`: the expected result is `python3 prog.py ARGS`
//!   (standard output and exit status, computed now, never stored). The
//!   same must come from (a) `python3` running the `.pyc` that `pyaot build
//!   --emit pyc` wrote (the frontend), (b) the executable `pyaot build` made
//!   (the whole compiler, built-in linker), and (c) the executable `pyaot
//!   build --linker system` makes from CPython's own `.pyc` of the program
//!   (the code generator on real CPython bytecode; the system linker).
//!   The executable of (b) is linked twice: by the built-in linker, with
//!   PATH set to an empty directory, and by the system linker. (d) The
//!   Cortex-M3 firmware `pyaot build --target cortex-m3` makes (PATH empty)
//!   runs under `qemu-system-arm -M mps2-an385` with semihosting, ARGS
//!   passed as its command line (`PYAOT_TEST_CORTEX_M=0` leaves this way
//!   out, e.g. on a machine without QEMU; test.sh installs it).
//!   When the program fails, the last line of standard error (the uncaught
//!   exception, or `sys.exit`'s message) must match too. ARGS come from a
//!   `# args: a b c` comment among the first lines.
//! - `examples/*.py` and `../shared/bench/*.py` (at small sizes): the same
//!   checks.
//! - `tests/errors/**/*.py`: programs pyaot must refuse at build time, with
//!   `<path>:<line>:<col>: unsupported: <what>` (`# expect: unsupported`) or
//!   with CPython's own syntax error report (`# expect: syntaxerror`).
//!
//! A panic in pyaot (exit status 101, or "panicked at") always fails a test.
//! Programs run with the repository as working directory and their path
//! relative to it, so tracebacks and `sys.argv[0]` read the same in CPython
//! and in the binary.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use libtest_mimic::{Arguments, Failed, Trial};

/// The pyaot under test, built once by cargo for this test binary.
const PYAOT: &str = env!("CARGO_BIN_EXE_pyaot");

/// The oracle: CPython 3.11.
const PYTHON: &str = "python3";

/// How long one run of a program may take before it counts as hung.
const RUN_TIMEOUT: Duration = Duration::from_secs(20);

/// The emulator the Cortex-M3 firmware runs on (way (d)).
const QEMU: &str = "qemu-system-arm";

/// Way (d), the Cortex-M3 firmware under QEMU, runs unless this variable
/// is `0`.
const CORTEX_M_SWITCH: &str = "PYAOT_TEST_CORTEX_M";

/// Programs from the shared benchmark set that the supported subset covers,
/// with the small size their README gives for smoke tests.
const BENCH_CASES: &[(&str, &[&str])] = &[
    ("fib.py", &["20"]),
    ("loops.py", &["100"]),
    ("toyvm.py", &["1000"]),
    ("hello.py", &[]),
];

fn main() {
    let args = Arguments::from_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if let Err(message) = check_python() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }

    let mut trials = Vec::new();
    for program in python_files(&root, "tests/programs") {
        let name = format!("programs::{}", test_name(&program, "tests/programs/"));
        let root = root.clone();
        trials.push(Trial::test(name, move || {
            let args = header_args(&root.join(&program))?;
            check_program(&root, &program, &args)
        }));
    }
    for program in python_files(&root, "examples") {
        let name = format!("examples::{}", test_name(&program, "examples/"));
        let root = root.clone();
        trials.push(Trial::test(name, move || {
            check_program(&root, &program, &[])
        }));
    }
    let bench = root.join("../shared/bench");
    for (file, args) in BENCH_CASES {
        let program = format!("../shared/bench/{file}");
        let name = format!("bench::{}", file.trim_end_matches(".py"));
        let root = root.clone();
        let bench = bench.clone();
        trials.push(Trial::test(name, move || {
            if !bench.is_dir() {
                return Err(format!(
                    "{} is missing: the benchmark programs must sit beside the repository",
                    bench.display()
                )
                .into());
            }
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            check_program(&root, &program, &args)
        }));
    }
    for program in python_files(&root, "tests/errors") {
        let name = format!("errors::{}", test_name(&program, "tests/errors/"));
        let root = root.clone();
        trials.push(Trial::test(name, move || check_refused(&root, &program)));
    }

    libtest_mimic::run(&args, trials).exit();
}

/// The oracle must be CPython 3.11: the bytecode pyaot writes is 3.11's.
fn check_python() -> Result<(), String> {
    let output = Command::new(PYTHON)
        .args([
            "-c",
            "import sys, platform; print(platform.python_implementation(), *sys.version_info[:2])",
        ])
        .output()
        .map_err(|e| format!("cannot run {PYTHON}: {e}"))?;
    let version = String::from_utf8_lossy(&output.stdout);
    if version.trim() != "CPython 3 11" {
        return Err(format!(
            "{PYTHON} must be CPython 3.11 (the tests' oracle), it is: {}",
            version.trim()
        ));
    }
    Ok(())
}

/// Every `*.py` under `root/dir`, as paths relative to `root`, sorted.
fn python_files(root: &Path, dir: &str) -> Vec<String> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "py") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&root.join(dir), &mut found);
    let mut relative: Vec<String> = found
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    relative.sort();
    relative
}

/// `tests/programs/ints/add.py` -> `ints::add`.
fn test_name(program: &str, prefix: &str) -> String {
    program
        .trim_start_matches(prefix)
        .trim_end_matches(".py")
        .replace('/', "::")
}

/// The leading comment lines of a program.
fn header(path: &Path) -> Result<Vec<String>, Failed> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .take_while(|line| line.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// The words of a `# args: ...` header line, if any.
fn header_args(path: &Path) -> Result<Vec<String>, Failed> {
    Ok(header(path)?
        .iter()
        .find_map(|line| line.strip_prefix("# args:"))
        .map(|args| args.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default())
}

/// What a run of a program showed: what the tests compare.
#[derive(Debug)]
struct Outcome {
    /// `None` when killed by a signal (or the timeout).
    status: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    timed_out: bool,
}

impl Outcome {
    fn status_text(&self) -> String {
        match (self.timed_out, self.status) {
            (true, _) => format!("killed after {} s", RUN_TIMEOUT.as_secs()),
            (false, Some(code)) => format!("exit status {code}"),
            (false, None) => "killed by a signal".to_string(),
        }
    }

    /// The last non-empty line of standard error: the uncaught exception.
    fn last_stderr_line(&self) -> &str {
        self.stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
    }

    fn panicked(&self) -> bool {
        self.status == Some(101) || self.stderr.contains("panicked at")
    }
}

/// Runs `command` (working directory: the repository) to completion or
/// until [`RUN_TIMEOUT`], capturing its output through files so that a
/// chatty program can never block on a full pipe.
fn run(mut command: Command, root: &Path, scratch: &Path, tag: &str) -> Result<Outcome, Failed> {
    let stdout_path = scratch.join(format!("{tag}.stdout"));
    let stderr_path = scratch.join(format!("{tag}.stderr"));
    let create =
        |p: &Path| File::create(p).map_err(|e| format!("cannot create {}: {e}", p.display()));
    command
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(create(&stdout_path)?)
        .stderr(create(&stderr_path)?);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > RUN_TIMEOUT => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().map_err(|e| format!("wait: {e}"))?;
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("wait for {command:?}: {e}").into()),
        }
    };
    let read = |p: &Path| fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    Ok(Outcome {
        status: if timed_out { None } else { status.code() },
        stdout: read(&stdout_path)?,
        stderr: String::from_utf8_lossy(&read(&stderr_path)?).into_owned(),
        timed_out,
    })
}

fn pyaot(args: &[&str]) -> Command {
    let mut command = Command::new(PYAOT);
    command.args(args);
    command
}

/// Runs `pyaot build ...`, which must succeed.
fn pyaot_build(root: &Path, scratch: &Path, args: &[&str], what: &str) -> Result<(), Failed> {
    let outcome = run(pyaot(args), root, scratch, what)?;
    check_built(&outcome, what, &args.join(" "))
}

/// A `pyaot build` (`shown`: its arguments) must have succeeded without a panic.
fn check_built(outcome: &Outcome, what: &str, shown: &str) -> Result<(), Failed> {
    if outcome.panicked() {
        return Err(format!("pyaot panicked ({what}):\n{}", outcome.stderr).into());
    }
    if outcome.status != Some(0) {
        return Err(format!(
            "pyaot {} failed ({}):\n{}",
            shown,
            outcome.status_text(),
            outcome.stderr
        )
        .into());
    }
    Ok(())
}

/// `python3 prog.py`, then the same program through pyaot's `.pyc` and
/// through pyaot's native binary.
fn check_program(root: &Path, program: &str, args: &[String]) -> Result<(), Failed> {
    let scratch = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let scratch = scratch.path();

    let mut python = Command::new(PYTHON);
    python.arg(program).args(args);
    let expected = run(python, root, scratch, "cpython")?;
    if expected.timed_out {
        return Err(format!("python3 {program} did not finish").into());
    }

    // (a) The frontend: CPython runs pyaot's bytecode.
    let pyc = scratch.join("program.pyc");
    let pyc_str = pyc.to_string_lossy().into_owned();
    pyaot_build(
        root,
        scratch,
        &["build", "--emit", "pyc", program, "-o", &pyc_str],
        "build-pyc",
    )?;
    let mut python = Command::new(PYTHON);
    python.arg(&pyc).args(args);
    let mut from_pyc = run(python, root, scratch, "pyc")?;
    // `sys.argv[0]` and tracebacks name the .pyc's path instead of the source's.
    from_pyc.stdout = replace_bytes(&from_pyc.stdout, pyc_str.as_bytes(), program.as_bytes());
    from_pyc.stderr = from_pyc.stderr.replace(&pyc_str, program);
    compare(&expected, &from_pyc, "python3 on pyaot's .pyc")?;

    // (b) The whole compiler: the native executable, linked by the built-in
    // linker with PATH set to an empty directory (no toolchain needed) ...
    let builtin = scratch.join("program-builtin");
    let builtin_str = builtin.to_string_lossy().into_owned();
    let empty = scratch.join("empty-path");
    fs::create_dir_all(&empty).map_err(|e| format!("cannot create {}: {e}", empty.display()))?;
    let mut build = pyaot(&["build", "--linker", "builtin", program, "-o", &builtin_str]);
    build.env("PATH", &empty);
    let outcome = run(build, root, scratch, "build-exe-builtin")?;
    check_built(
        &outcome,
        "build-exe-builtin",
        "build --linker builtin (PATH empty)",
    )?;
    let mut native = Command::new(&builtin);
    std::os::unix::process::CommandExt::arg0(&mut native, program);
    native.args(args);
    let from_builtin = run(native, root, scratch, "exe-builtin")?;
    compare(
        &expected,
        &from_builtin,
        "pyaot's executable (built-in linker)",
    )?;

    // ... and by the system linker.
    let exe = scratch.join("program");
    let exe_str = exe.to_string_lossy().into_owned();
    pyaot_build(
        root,
        scratch,
        &["build", "--linker", "system", program, "-o", &exe_str],
        "build-exe",
    )?;
    let mut native = Command::new(&exe);
    std::os::unix::process::CommandExt::arg0(&mut native, program);
    native.args(args);
    let from_exe = run(native, root, scratch, "exe")?;
    compare(&expected, &from_exe, "pyaot's executable")?;

    // (c) The code generator on CPython's own bytecode, linked by the system
    // linker (the built-in linker's oracle; (b) used the built-in one).
    let cpython_pyc = scratch.join("cpython.pyc");
    let cpython_pyc_str = cpython_pyc.to_string_lossy().into_owned();
    let mut py_compile = Command::new(PYTHON);
    py_compile.args([
        "-c",
        "import py_compile, sys; py_compile.compile(sys.argv[1], sys.argv[2], doraise=True)",
        program,
        &cpython_pyc_str,
    ]);
    let compiled = run(py_compile, root, scratch, "py_compile")?;
    if compiled.status != Some(0) {
        return Err(format!("python3 cannot compile {program}:\n{}", compiled.stderr).into());
    }
    let exe = scratch.join("from-cpython-pyc");
    let exe_str = exe.to_string_lossy().into_owned();
    pyaot_build(
        root,
        scratch,
        &[
            "build",
            "--linker",
            "system",
            &cpython_pyc_str,
            "-o",
            &exe_str,
        ],
        "build-from-cpython-pyc",
    )?;
    let mut native = Command::new(&exe);
    std::os::unix::process::CommandExt::arg0(&mut native, program);
    native.args(args);
    let from_cpython_pyc = run(native, root, scratch, "exe-from-cpython-pyc")?;
    compare(
        &expected,
        &from_cpython_pyc,
        "pyaot's executable from CPython's .pyc (--linker system)",
    )?;

    // (d) The Cortex-M3 firmware under QEMU.
    if std::env::var(CORTEX_M_SWITCH).map_or(true, |v| v != "0") {
        check_cortex_m(root, scratch, program, args, &expected)?;
    }
    Ok(())
}

/// Way (d): `pyaot build --target cortex-m3` (built-in linker, PATH empty:
/// no toolchain needed), then the firmware on an emulated MPS2-AN385 board.
/// Standard output and error and the exit status come through semihosting;
/// `sys.argv` is the command line QEMU's `arg=` options make.
fn check_cortex_m(
    root: &Path,
    scratch: &Path,
    program: &str,
    args: &[String],
    expected: &Outcome,
) -> Result<(), Failed> {
    let firmware = scratch.join("program.elf");
    let firmware_str = firmware.to_string_lossy().into_owned();
    let empty = scratch.join("empty-path");
    fs::create_dir_all(&empty).map_err(|e| format!("cannot create {}: {e}", empty.display()))?;
    let mut build = pyaot(&[
        "build",
        "--target",
        "cortex-m3",
        program,
        "-o",
        &firmware_str,
    ]);
    build.env("PATH", &empty);
    let outcome = run(build, root, scratch, "build-cortex-m3")?;
    check_built(
        &outcome,
        "build-cortex-m3",
        "build --target cortex-m3 (PATH empty)",
    )?;

    let mut config = String::from("enable=on,target=native");
    for arg in std::iter::once(program).chain(args.iter().map(String::as_str)) {
        config.push_str(",arg=");
        config.push_str(&arg.replace(',', ",,"));
    }
    let mut qemu = Command::new(QEMU);
    qemu.args(["-M", "mps2-an385", "-display", "none", "-monitor", "none"])
        .args(["-serial", "none", "-semihosting-config", &config])
        .args(["-kernel", &firmware_str]);
    let from_firmware = match run(qemu, root, scratch, "cortex-m3") {
        Ok(outcome) => outcome,
        Err(_) if Command::new(QEMU).arg("--version").output().is_err() => {
            return Err(format!(
                "{QEMU} is not installed: the Cortex-M3 firmware runs under it (test.sh \
                 installs it; {CORTEX_M_SWITCH}=0 leaves this check out)"
            )
            .into())
        }
        Err(e) => return Err(e),
    };
    compare(
        expected,
        &from_firmware,
        "the Cortex-M3 firmware under QEMU",
    )
}

fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if !from.is_empty() && haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Standard output and exit status must be CPython's; for a failing
/// program also the last line of standard error.
fn compare(expected: &Outcome, actual: &Outcome, what: &str) -> Result<(), Failed> {
    let mut problems = Vec::new();
    if actual.status != expected.status || actual.timed_out {
        problems.push(format!(
            "{what}: {} (CPython: {})",
            actual.status_text(),
            expected.status_text()
        ));
    }
    if actual.stdout != expected.stdout {
        problems.push(format!(
            "{what}: standard output differs from CPython's\n{}",
            first_difference(&expected.stdout, &actual.stdout)
        ));
    }
    if expected.status != Some(0) && actual.last_stderr_line() != expected.last_stderr_line() {
        problems.push(format!(
            "{what}: the error differs from CPython's\n  CPython: {}\n  {what}: {}",
            expected.last_stderr_line(),
            actual.last_stderr_line()
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    let stderr = actual.stderr.trim_end();
    if !stderr.is_empty() && (actual.status != expected.status || expected.status != Some(0)) {
        problems.push(format!("{what} standard error:\n{}", tail(stderr, 30)));
    }
    Err(problems.join("\n").into())
}

/// The first line where two outputs differ, with its neighbourhood.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let expected = String::from_utf8_lossy(expected);
    let actual = String::from_utf8_lossy(actual);
    let e: Vec<&str> = expected.split_inclusive('\n').collect();
    let a: Vec<&str> = actual.split_inclusive('\n').collect();
    let at = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let show = |lines: &[&str]| -> String {
        let shown: Vec<String> = lines
            .iter()
            .skip(at.saturating_sub(2))
            .take(5)
            .map(|l| format!("    {l:?}"))
            .collect();
        if shown.is_empty() {
            "    (nothing)".to_string()
        } else {
            shown.join("\n")
        }
    };
    format!(
        "  at line {} (CPython has {} lines, this run {}):\n  CPython:\n{}\n  got:\n{}",
        at + 1,
        e.len(),
        a.len(),
        show(&e),
        show(&a)
    )
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A program pyaot must refuse at build time, the way its header says.
fn check_refused(root: &Path, program: &str) -> Result<(), Failed> {
    let scratch = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let scratch = scratch.path();
    let header = header(&root.join(program))?;
    let expect = header
        .iter()
        .find_map(|line| line.strip_prefix("# expect:"))
        .map(str::trim)
        .ok_or("the program has no `# expect: unsupported|syntaxerror` header")?
        .to_string();

    let exe = scratch.join("program").to_string_lossy().into_owned();
    let refused = run(
        pyaot(&["build", program, "-o", &exe]),
        root,
        scratch,
        "pyaot",
    )?;
    if refused.panicked() {
        return Err(format!("pyaot panicked:\n{}", refused.stderr).into());
    }
    if refused.status == Some(0) {
        return Err("pyaot built the program; it must refuse it".into());
    }
    if refused.status != Some(1) {
        return Err(format!(
            "pyaot failed with {} (expected exit status 1):\n{}",
            refused.status_text(),
            refused.stderr
        )
        .into());
    }

    let cpython = run(
        {
            let mut c = Command::new(PYTHON);
            c.arg(program);
            c
        },
        root,
        scratch,
        "cpython",
    )?;
    match expect.as_str() {
        "unsupported" => {
            if cpython.last_stderr_line().contains("SyntaxError") {
                return Err(format!(
                    "CPython rejects this program, it is not valid Python:\n{}",
                    cpython.stderr
                )
                .into());
            }
            check_unsupported_shape(program, &refused.stderr)
        }
        "syntaxerror" => check_syntax_error_shape(root, program, &cpython.stderr, &refused.stderr),
        other => Err(format!("unknown `# expect: {other}` (unsupported or syntaxerror)").into()),
    }
}

/// `<path>:<line>:<col>: unsupported: <what>` on the first line.
fn check_unsupported_shape(program: &str, stderr: &str) -> Result<(), Failed> {
    let first = stderr.lines().next().unwrap_or("");
    let shaped = first
        .strip_prefix(program)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|rest| {
            let mut parts = rest.splitn(3, ':');
            let line = parts.next()?.parse::<u32>().ok()?;
            let col = parts.next()?.parse::<u32>().ok()?;
            let what = parts.next()?.strip_prefix(" unsupported: ")?;
            (line >= 1 && col >= 1 && !what.trim().is_empty()).then_some(())
        });
    match shaped {
        Some(()) => Ok(()),
        None => Err(format!(
            "expected `{program}:<line>:<col>: unsupported: <what>`, pyaot said:\n{stderr}"
        )
        .into()),
    }
}

/// CPython's shape: `File "<path>", line N` with CPython's N, and a last line
/// naming the same error class (`SyntaxError:`, `IndentationError:`).
fn check_syntax_error_shape(
    root: &Path,
    program: &str,
    cpython: &str,
    pyaot: &str,
) -> Result<(), Failed> {
    // CPython names the main script by its absolute path (since 3.9);
    // pyaot by the path as given.
    let absolute = root.join(program).to_string_lossy().into_owned();
    let file_line = |stderr: &str, names: &[&str]| -> Option<u32> {
        stderr.lines().find_map(|l| {
            names.iter().find_map(|name| {
                l.strip_prefix(&format!("  File \"{name}\", line "))
                    .and_then(|rest| rest.split(',').next())
                    .and_then(|n| n.trim().parse().ok())
            })
        })
    };
    let class = |stderr: &str| -> String {
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        last.split(':').next().unwrap_or("").to_string()
    };
    let Some(expected_line) = file_line(cpython, &[program, &absolute]) else {
        return Err(format!("CPython does not report a syntax error here:\n{cpython}").into());
    };
    let expected_class = class(cpython);
    if !expected_class.ends_with("Error") {
        return Err(format!("CPython does not report a syntax error here:\n{cpython}").into());
    }
    if file_line(pyaot, &[program]) != Some(expected_line) || class(pyaot) != expected_class {
        return Err(format!(
            "expected `File \"{program}\", line {expected_line}` and a last line \
             `{expected_class}: ...` as CPython reports:\n{cpython}\npyaot said:\n{pyaot}"
        )
        .into());
    }
    Ok(())
}
