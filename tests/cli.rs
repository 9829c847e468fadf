//! The `pyaot` command line: outputs, exit statuses and error messages.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

const PYAOT: &str = env!("CARGO_BIN_EXE_pyaot");

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Runs pyaot in `dir` with `args`.
fn pyaot(dir: &Path, args: &[&str]) -> Result<Output> {
    Ok(Command::new(PYAOT).current_dir(dir).args(args).output()?)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn program(dir: &Path, name: &str, source: &str) -> Result {
    fs::write(dir.join(name), source)?;
    Ok(())
}

#[test]
fn build_writes_an_executable_named_after_the_input() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "print('hi')\n")?;
    let out = pyaot(dir.path(), &["build", "app.py"])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let exe = dir.path().join("app");
    assert_eq!(fs::metadata(&exe)?.permissions().mode() & 0o111, 0o111);
    let run = Command::new(&exe).output()?;
    assert_eq!(stdout(&run), "hi\n");
    Ok(())
}

#[test]
fn emit_pyc_is_bytecode_cpython_runs() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "x = 6\nprint(x * 7)\n")?;
    let out = pyaot(dir.path(), &["build", "--emit", "pyc", "app.py"])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let run = Command::new("python3")
        .current_dir(dir.path())
        .arg("app.pyc")
        .output()?;
    assert_eq!(stdout(&run), "42\n", "{}", stderr(&run));
    Ok(())
}

#[test]
fn emit_obj_is_an_elf_relocatable_object() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "print(1)\n")?;
    let out = pyaot(dir.path(), &["build", "--emit", "obj", "app.py"])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let object = fs::read(dir.path().join("app.o"))?;
    assert_eq!(&object[..4], b"\x7fELF");
    assert_eq!(u16::from_le_bytes([object[16], object[17]]), 1, "ET_REL");
    Ok(())
}

#[test]
fn emit_asm_lists_bytecode_and_machine_code_on_stdout() -> Result {
    let dir = tempfile::tempdir()?;
    program(
        dir.path(),
        "app.py",
        "def f(a, b):\n    return a + b\nprint(f(1, 2))\n",
    )?;
    let out = pyaot(dir.path(), &["build", "--emit", "asm", "app.py"])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = stdout(&out);
    assert!(listing.contains("BINARY_OP"), "{listing}");
    assert!(listing.contains("ret"), "{listing}");
    assert!(!dir.path().join("app").exists());
    Ok(())
}

#[test]
fn run_passes_arguments_and_exits_with_the_programs_status() -> Result {
    let dir = tempfile::tempdir()?;
    program(
        dir.path(),
        "app.py",
        "import sys\nprint(sys.argv)\nsys.exit(int(sys.argv[1]))\n",
    )?;
    let out = pyaot(dir.path(), &["run", "app.py", "--", "7", "x y"])?;
    assert_eq!(stdout(&out), "['app.py', '7', 'x y']\n", "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(7));
    Ok(())
}

#[test]
fn run_shows_the_programs_traceback() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "print('before')\nprint(1 // 0)\n")?;
    let out = pyaot(dir.path(), &["run", "app.py"])?;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "before\n");
    let err = stderr(&out);
    assert!(
        err.starts_with("Traceback (most recent call last):\n"),
        "{err}"
    );
    assert!(
        err.contains("  File \"app.py\", line 2, in <module>\n"),
        "{err}"
    );
    assert!(
        err.ends_with("ZeroDivisionError: integer division or modulo by zero\n"),
        "{err}"
    );
    Ok(())
}

#[test]
fn dis_prints_what_python_dis_prints() -> Result {
    let dir = tempfile::tempdir()?;
    program(
        dir.path(),
        "app.py",
        "def f(n):\n    if n < 2:\n        return n\n    return f(n - 1) + f(n - 2)\nprint(f(10))\n",
    )?;
    let ours = pyaot(dir.path(), &["dis", "app.py"])?;
    assert!(ours.status.success(), "{}", stderr(&ours));
    let cpython = Command::new("python3")
        .current_dir(dir.path())
        .args(["-m", "dis", "app.py"])
        .output()?;
    assert_eq!(
        mask_addresses(&stdout(&ours)),
        mask_addresses(&stdout(&cpython))
    );
    Ok(())
}

/// `<code object f at 0x7f...>`: addresses differ from run to run.
fn mask_addresses(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        out.push_str("0x?");
        rest = rest[at + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

#[test]
fn builds_cpythons_own_pyc() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "x = 2\nprint(x ** 70)\n")?;
    let compiled = Command::new("python3")
        .current_dir(dir.path())
        .args(["-m", "py_compile", "app.py"])
        .output()?;
    assert!(compiled.status.success(), "{}", stderr(&compiled));
    let out = pyaot(
        dir.path(),
        &["build", "__pycache__/app.cpython-311.pyc", "-o", "from-pyc"],
    )?;
    assert!(out.status.success(), "{}", stderr(&out));
    let run = Command::new(dir.path().join("from-pyc")).output()?;
    assert_eq!(stdout(&run), "1180591620717411303424\n");
    Ok(())
}

#[test]
fn opcodes_reports_coverage_per_cpython_version() -> Result {
    let out = pyaot(Path::new("."), &["opcodes"])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    for version in ["3.8", "3.11", "3.14"] {
        assert!(report.contains(&format!("CPython {version}")), "{report}");
    }
    Ok(())
}

#[test]
fn missing_input_is_an_error_not_a_panic() -> Result {
    let dir = tempfile::tempdir()?;
    let out = pyaot(dir.path(), &["build", "nothing.py"])?;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: cannot read 'nothing.py': No such file or directory\n"
    );
    Ok(())
}

#[test]
fn unwritable_output_is_reported() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "print(1)\n")?;
    let out = pyaot(dir.path(), &["build", "app.py", "-o", "missing-dir/app"])?;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: cannot write 'missing-dir/app': No such file or directory\n"
    );
    Ok(())
}

#[test]
fn non_utf8_source_is_cpythons_syntax_error() -> Result {
    let dir = tempfile::tempdir()?;
    fs::write(dir.path().join("app.py"), b"x = 1\nprint('\xe9')\n")?;
    let out = pyaot(dir.path(), &["build", "app.py"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(
            "SyntaxError: Non-UTF-8 code starting with '\\xe9' in file app.py on line 2"
        ),
        "{}",
        stderr(&out)
    );
    Ok(())
}

#[test]
fn syntax_errors_are_reported_like_cpython() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "x = (1 +\n")?;
    let out = pyaot(dir.path(), &["build", "app.py"])?;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("  File \"app.py\", line 1\n"), "{err}");
    assert!(
        err.trim_end()
            .ends_with("SyntaxError: '(' was never closed"),
        "{err}"
    );
    Ok(())
}

#[test]
fn unsupported_python_names_the_place() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "x = 1\nclass A:\n    pass\n")?;
    let out = pyaot(dir.path(), &["build", "app.py"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("app.py:2:1: unsupported: "),
        "{}",
        stderr(&out)
    );
    Ok(())
}

#[test]
fn refuses_to_overwrite_its_input() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app", "print(1)\n")?;
    let out = pyaot(dir.path(), &["build", "app"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("would overwrite the input"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(dir.path().join("app"))?, "print(1)\n");

    program(dir.path(), "app.py", "print(2)\n")?;
    let out = pyaot(dir.path(), &["build", "app.py", "-o", "./app.py"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("would overwrite the input"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(dir.path().join("app.py"))?, "print(2)\n");
    Ok(())
}

#[test]
fn usage_errors_exit_with_status_2() -> Result {
    let out = pyaot(Path::new("."), &["build", "--emit", "wasm", "app.py"])?;
    assert_eq!(out.status.code(), Some(2));
    let out = pyaot(Path::new("."), &[])?;
    assert_eq!(out.status.code(), Some(2));
    Ok(())
}

#[test]
fn cortex_m3_object_is_an_elf32_arm_relocatable() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "print(1)\n")?;
    let out = pyaot(
        dir.path(),
        &["build", "--target", "cortex-m3", "--emit", "obj", "app.py"],
    )?;
    assert!(out.status.success(), "{}", stderr(&out));
    let object = fs::read(dir.path().join("app.o"))?;
    assert_eq!(&object[..6], b"\x7fELF\x01\x01", "ELF32, little-endian");
    assert_eq!(u16::from_le_bytes([object[16], object[17]]), 1, "ET_REL");
    assert_eq!(u16::from_le_bytes([object[18], object[19]]), 40, "EM_ARM");
    let asm = pyaot(
        dir.path(),
        &["build", "--target", "cortex-m3", "--emit", "asm", "app.py"],
    )?;
    assert!(asm.status.success(), "{}", stderr(&asm));
    // Thumb-2 text grouped by bytecode instruction, like the x86-64 listing.
    let listing = stdout(&asm);
    assert!(listing.contains("app.py:<module>:"), "{listing}");
    assert!(listing.contains("     0 RESUME 0"), "{listing}");
    assert!(listing.contains("push.w {"), "{listing}");
    assert!(
        listing.contains("movw r0, #:lower16:pyaot_globals"),
        "{listing}"
    );
    Ok(())
}

#[test]
fn memory_options_need_the_cortex_m3_target_and_valid_sizes() -> Result {
    let dir = tempfile::tempdir()?;
    program(dir.path(), "app.py", "print(1)\n")?;
    let out = pyaot(dir.path(), &["build", "--ram-size", "64K", "app.py"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("need --target cortex-m3"),
        "{}",
        stderr(&out)
    );
    let out = pyaot(dir.path(), &["build", "--size", "app.py"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("needs --target cortex-m3"),
        "{}",
        stderr(&out)
    );
    let out = pyaot(
        dir.path(),
        &[
            "build",
            "--target",
            "cortex-m3",
            "--flash-size",
            "lots",
            "app.py",
        ],
    )?;
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(stderr(&out).contains("is not a size"), "{}", stderr(&out));
    let out = pyaot(
        dir.path(),
        &[
            "build",
            "--target",
            "cortex-m3",
            "--ram-origin",
            "0xfff00000",
            "--ram-size",
            "4M",
            "app.py",
        ],
    )?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("32-bit address space"),
        "{}",
        stderr(&out)
    );
    Ok(())
}
