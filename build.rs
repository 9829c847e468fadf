//! Builds the runtime archive (`libpyaot_rt.a`, the `#![no_std]` crate in
//! `runtime-lib/`) for the target and leaves it in `OUT_DIR`, where the CLI
//! embeds it with `include_bytes!`. So `pyaot build` never compiles Rust: the
//! runtime is compiled once, together with pyaot.
//!
//! The runtime is built by a nested `cargo rustc --release` with its own
//! target directory and a clean environment: nothing of the outer build
//! (profile, RUSTFLAGS, target dir, features) leaks into it, so the archive is
//! the same whether pyaot is built in debug or release mode.
//!
//! `PYAOT_RUNTIME_ARCHIVE=/path/to/libpyaot_rt.a` embeds a prebuilt archive
//! instead (for runtime development: build it with `cd runtime-lib && cargo
//! build --release` and point pyaot at it).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The runtime's target triple for the x86-64 Linux executables pyaot makes.
const X86_64_TARGET: &str = "x86_64-unknown-linux-gnu";

/// The runtime's target triple for Cortex-M3 firmware (`--target cortex-m3`).
const THUMBV7M_TARGET: &str = "thumbv7m-none-eabi";

/// The archive's file name (`[lib] name = "pyaot_rt"`, crate-type staticlib).
const ARCHIVE: &str = "libpyaot_rt.a";

/// Where the Cortex-M3 archive is embedded from (in `OUT_DIR`). Empty when
/// the thumbv7m target is not installed: pyaot then builds, and
/// `--target cortex-m3` reports that it has no Cortex-M runtime.
const THUMBV7M_ARCHIVE: &str = "libpyaot_rt_thumbv7m.a";

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let runtime = manifest_dir.join("runtime-lib");

    // The runtime's sources, not its (possibly present) target/ directory:
    // rebuilding it in place must not rerun this script.
    for input in ["src", "Cargo.toml", "Cargo.lock", "build.rs", ".cargo"] {
        println!("cargo:rerun-if-changed=runtime-lib/{input}");
    }
    println!("cargo:rerun-if-env-changed=PYAOT_RUNTIME_ARCHIVE");

    let archive = match env::var_os("PYAOT_RUNTIME_ARCHIVE") {
        Some(prebuilt) => {
            let prebuilt = PathBuf::from(prebuilt);
            println!("cargo:rerun-if-changed={}", prebuilt.display());
            prebuilt
        }
        None => build_runtime(&runtime, &out_dir.join("runtime"), X86_64_TARGET),
    };

    let embedded = out_dir.join(ARCHIVE);
    if let Err(e) = fs::copy(&archive, &embedded) {
        fail(&format!(
            "cannot copy the runtime archive {} to {}: {e}",
            archive.display(),
            embedded.display()
        ));
    }

    let thumb = out_dir.join(THUMBV7M_ARCHIVE);
    match try_build_runtime(&runtime, &out_dir.join("runtime"), THUMBV7M_TARGET) {
        Ok(archive) => {
            if let Err(e) = fs::copy(&archive, &thumb) {
                fail(&format!(
                    "cannot copy the runtime archive {} to {}: {e}",
                    archive.display(),
                    thumb.display()
                ));
            }
        }
        Err(message) => {
            println!(
                "cargo:warning=no Cortex-M runtime (is the {THUMBV7M_TARGET} target installed? \
                 `rustup target add {THUMBV7M_TARGET}`): {}",
                message.lines().last().unwrap_or("")
            );
            if let Err(e) = fs::write(&thumb, b"") {
                fail(&format!("cannot write {}: {e}", thumb.display()));
            }
        }
    }
}

/// Runs the nested cargo build of runtime-lib for `target` and returns the
/// path of the archive it produced.
fn build_runtime(runtime: &Path, target_dir: &Path, target: &str) -> PathBuf {
    try_build_runtime(runtime, target_dir, target).unwrap_or_else(|message| fail(&message))
}

/// [`build_runtime`], returning what went wrong instead of failing.
fn try_build_runtime(runtime: &Path, target_dir: &Path, target: &str) -> Result<PathBuf, String> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    // `cargo rustc --crate-type staticlib` rather than `cargo build`: the
    // crate also declares an `rlib` (for its own tests), and rustc skips LTO
    // when an rlib is produced. Without LTO the archive carries the whole
    // precompiled `alloc`, whose unwinding paths need `_Unwind_Resume`.
    command
        .arg("rustc")
        .arg("--lib")
        .arg("--crate-type")
        .arg("staticlib")
        .arg("--release")
        .arg("--manifest-path")
        .arg(runtime.join("Cargo.toml"))
        .arg("--target")
        .arg(target)
        .arg("--target-dir")
        .arg(target_dir);
    if target == THUMBV7M_TARGET {
        // Firmware: flash is small, optimise the runtime for size.
        command
            .arg("--config")
            .arg("profile.release.opt-level=\"s\"");
    }

    // Variables the outer cargo sets for this build script (or the user set
    // for the outer build) that would change how the runtime is compiled.
    for (name, _) in env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let leaks = name.starts_with("CARGO_")
            && !matches!(name, "CARGO_HOME" | "CARGO_MAKEFLAGS" | "CARGO_NET_OFFLINE")
            || name.starts_with("RUSTC_")
            || matches!(
                name,
                "RUSTFLAGS"
                    | "RUSTDOCFLAGS"
                    | "TARGET"
                    | "HOST"
                    | "OUT_DIR"
                    | "PROFILE"
                    | "OPT_LEVEL"
                    | "DEBUG"
                    | "NUM_JOBS"
            );
        if leaks {
            command.env_remove(name);
        }
    }

    let output = match command.output() {
        Ok(output) => output,
        Err(e) => return Err(format!("cannot run cargo to build the runtime: {e}")),
    };
    if !output.status.success() {
        return Err(format!(
            "building the runtime (runtime-lib) for {target} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let archive = target_dir.join(target).join("release").join(ARCHIVE);
    if !archive.is_file() {
        return Err(format!(
            "the runtime build succeeded but {} is missing",
            archive.display()
        ));
    }
    Ok(archive)
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
