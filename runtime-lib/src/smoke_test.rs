//! Tests of the runtime archive as pyaot uses it: `libpyaot_rt.a` built by
//! `cargo build --release`, linked by the system `cc` with a program's
//! object file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Builds the release archive once (in its own target directory) and
/// returns its path.
fn archive() -> &'static Path {
    static ARCHIVE: OnceLock<PathBuf> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let target = std::env::temp_dir().join("pyaot-rt-archive-target");
        let status = Command::new(env!("CARGO"))
            .args(["build", "--release", "--quiet", "--lib", "--manifest-path"])
            .arg(manifest.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .status()
            .expect("run cargo");
        assert!(status.success(), "building the runtime archive failed");
        target.join("release/libpyaot_rt.a")
    })
}

/// `tests/smoke/program.rs` (a hand-written stand-in for a compiled
/// program) compiled to an object and linked with the archive by `cc`,
/// prints what `python3 smoke.py` prints: stdout, the traceback on stderr,
/// the exit status.
#[test]
fn smoke_program_matches_cpython() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smoke");
    let dir = std::env::temp_dir().join(format!("pyaot-rt-smoke-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let obj = dir.join("program.o");
    let exe = dir.join("program");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let status = Command::new(rustc)
        .args([
            "--edition",
            "2021",
            "--crate-type",
            "lib",
            "--emit",
            "obj",
            "-C",
            "panic=abort",
            "-C",
            "opt-level=2",
        ])
        .args(["-C", "relocation-model=static", "-o"])
        .arg(&obj)
        .arg(manifest.join("program.rs"))
        .status()
        .expect("run rustc");
    assert!(status.success(), "compiling tests/smoke/program.rs failed");
    let status = Command::new("cc")
        .args([
            "-static",
            "-nostdlib",
            "-nostartfiles",
            "-no-pie",
            "-Wl,--gc-sections",
            "-o",
        ])
        .arg(&exe)
        .arg(&obj)
        .arg(archive())
        .status()
        .expect("run cc");
    assert!(status.success(), "linking the smoke program failed");

    std::fs::copy(manifest.join("smoke.py"), dir.join("smoke.py")).unwrap();
    let Ok(python) = Command::new("python3")
        .arg("smoke.py")
        .current_dir(&dir)
        .output()
    else {
        eprintln!("python3 not found: skipping the comparison");
        return;
    };
    let ours = Command::new(&exe)
        .current_dir(&dir)
        .output()
        .expect("run the smoke program");
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&python.stdout)
    );
    // CPython 3.11 shows the script's absolute path; the program shows the
    // file name it was compiled with.
    let abs = dir.canonicalize().unwrap().join("smoke.py");
    let expected_err =
        String::from_utf8_lossy(&python.stderr).replace(abs.to_str().unwrap(), "smoke.py");
    assert_eq!(String::from_utf8_lossy(&ours.stderr), expected_err);
    assert_eq!(ours.status.code(), python.status.code());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every helper and data symbol abi.rs names is defined by the archive.
#[test]
fn archive_defines_every_abi_symbol() {
    use crate::abi;
    let Ok(nm) = Command::new("nm")
        .args(["--defined-only", "-g"])
        .arg(archive())
        .output()
    else {
        eprintln!("nm not found: skipping");
        return;
    };
    let listing = String::from_utf8_lossy(&nm.stdout);
    let defined: std::collections::HashSet<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    let data = [
        abi::NONE,
        abi::TRUE,
        abi::FALSE,
        abi::RECURSION_DEPTH,
        abi::RECURSION_LIMIT,
        abi::TYPE_FUNCTION,
        abi::TYPE_LIST,
        abi::TYPE_BYTES,
        abi::TYPE_FLOAT,
        abi::TYPE_RANGE_ITER,
    ];
    let libc = ["_start", "memcpy", "memset", "memmove", "memcmp", "bcmp"];
    let needed = abi::ALL_HELPERS
        .iter()
        .map(|h| h.symbol)
        .chain(data)
        .chain(abi::BUILTIN_OBJECTS.iter().map(|(_, symbol)| *symbol))
        .chain(abi::OPERATOR_FEATURES.iter().map(|(_, symbol)| *symbol))
        .chain([
            abi::FLOAT_CONSTANTS,
            abi::BYTES_CONSTANTS,
            abi::LONG_CONSTANTS,
        ])
        .chain(libc);
    let missing: Vec<&str> = needed.filter(|s| !defined.contains(s)).collect();
    assert!(
        missing.is_empty(),
        "not defined by libpyaot_rt.a: {missing:?}"
    );
}
