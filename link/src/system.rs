//! Linking with the platform's own toolchain: the C compiler driver (`cc`)
//! runs the system linker on the program's object and the runtime archive.
//!
//! This is the reference path a built-in linker is checked against; it needs
//! a C toolchain on the machine that runs `pyaot build`. Cortex-M firmware
//! is linked by LLVM's linker (`rust-lld`, shipped with Rust) with a
//! generated linker script instead ([`link_firmware`]).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::LinkError;

/// The triple the system linker links for (the only host pyaot runs on).
const TARGET: &str = "x86_64-unknown-linux-gnu";

/// Links `object` (an ELF relocatable from [`write_object`](crate::write_object))
/// with `runtime_archive` (`libpyaot_rt.a`) into a static executable at
/// `output`, marked executable.
///
/// Runs `cc -static -nostdlib -nostartfiles -no-pie -Wl,--gc-sections`: no C
/// library and no C start files, since the runtime brings its own `_start`.
/// The linker writes into a private temporary directory and the result is
/// then copied to `output`, so an unwritable `output` is reported as such
/// (`cannot write 'x': Permission denied`), not as a linker failure.
pub fn link(object: &[u8], runtime_archive: &[u8], output: &Path) -> Result<(), LinkError> {
    let dir = tempfile::Builder::new()
        .prefix("pyaot-link-")
        .tempdir()
        .map_err(|e| LinkError::io("create a temporary directory in", &std::env::temp_dir(), e))?;
    let object_path = dir.path().join("program.o");
    let archive_path = dir.path().join("libpyaot_rt.a");
    let linked_path = dir.path().join("program");
    fs::write(&object_path, object).map_err(|e| LinkError::io("write", &object_path, e))?;
    fs::write(&archive_path, runtime_archive)
        .map_err(|e| LinkError::io("write", &archive_path, e))?;

    let driver = find_c_compiler()?;
    let mut command = Command::new(&driver);
    command
        .args(["-static", "-nostdlib", "-nostartfiles", "-no-pie"])
        .arg("-Wl,--gc-sections")
        .arg("-o")
        .arg(&linked_path)
        .arg(&object_path)
        .arg(&archive_path);
    run_linker(&mut command)?;
    let bytes = fs::read(&linked_path).map_err(|e| LinkError::io("read", &linked_path, e))?;
    crate::output::write_executable(output, &bytes)
}

/// Runs a linker command; a linker that cannot be started or that fails is
/// an error carrying the command line and the linker's own messages.
fn run_linker(command: &mut Command) -> Result<(), LinkError> {
    let shown = format!("{command:?}").replace('"', "");
    let result = command.output().map_err(|e| {
        LinkError::NoLinker(format!(
            "cannot run '{}': {}",
            Path::new(command.get_program()).display(),
            crate::describe_io_error(&e)
        ))
    })?;
    if result.status.success() {
        return Ok(());
    }
    let status = match result.status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_string(),
    };
    Err(LinkError::LinkerFailed {
        command: shown,
        status,
        stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
    })
}

/// The C compiler driver: `$CC` or what the `cc` crate finds for the host,
/// falling back to `cc` on `PATH`.
fn find_c_compiler() -> Result<PathBuf, LinkError> {
    let found = cc::Build::new()
        .target(TARGET)
        .host(TARGET)
        .opt_level(0)
        .debug(false)
        .cargo_metadata(false)
        .cargo_warnings(false)
        .cargo_output(false)
        .emit_rerun_if_env_changed(false)
        .try_get_compiler()
        .map(|tool| tool.path().to_path_buf())
        .unwrap_or_else(|_| PathBuf::from("cc"));
    if found.is_absolute() {
        return Ok(found);
    }
    search_path(&found).ok_or_else(|| {
        LinkError::NoLinker(format!(
            "'{}' was not found on PATH; install a C compiler (e.g. `apt-get install gcc`) \
             or set CC",
            found.display()
        ))
    })
}

/// Resolves a bare program name against `PATH`.
fn search_path(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return program.is_file().then(|| program.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| {
            candidate
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Links Cortex-M firmware with LLVM's linker (`ld.lld` or `rust-lld` on
/// PATH, else the `rust-lld` of the Rust toolchain) and a linker script of
/// the built-in linker's layout ([`crate::builtin::firmware`]): the oracle
/// for `--target cortex-m3`. The entry point is `__vectors` (the processor
/// starts from the vector table, not from `e_entry`).
pub fn link_firmware(
    object: &[u8],
    runtime_archive: &[u8],
    memory: &crate::builtin::MemoryMap,
    output: &Path,
) -> Result<(), LinkError> {
    let dir = tempfile::Builder::new()
        .prefix("pyaot-link-")
        .tempdir()
        .map_err(|e| LinkError::io("create a temporary directory in", &std::env::temp_dir(), e))?;
    let object_path = dir.path().join("program.o");
    let archive_path = dir.path().join("libpyaot_rt.a");
    let script_path = dir.path().join("firmware.ld");
    let linked_path = dir.path().join("program.elf");
    fs::write(&object_path, object).map_err(|e| LinkError::io("write", &object_path, e))?;
    fs::write(&archive_path, runtime_archive)
        .map_err(|e| LinkError::io("write", &archive_path, e))?;
    fs::write(&script_path, firmware_script(memory))
        .map_err(|e| LinkError::io("write", &script_path, e))?;

    let lld = find_lld()?;
    let mut command = Command::new(&lld);
    if lld.file_name().is_some_and(|name| name == "rust-lld") {
        command.args(["-flavor", "gnu"]);
    }
    command
        .arg("-T")
        .arg(&script_path)
        .args(["--gc-sections", "-o"])
        .arg(&linked_path)
        .arg(&object_path)
        .arg(&archive_path);
    run_linker(&mut command)?;
    let bytes = fs::read(&linked_path).map_err(|e| LinkError::io("read", &linked_path, e))?;
    crate::output::write_image(output, &bytes)
}

/// A GNU ld script for `memory`, with the sections and symbols the built-in
/// linker makes (see [`crate::builtin::firmware::PROVIDED`]).
pub fn firmware_script(memory: &crate::builtin::MemoryMap) -> String {
    let heap_end = match memory.heap_size {
        Some(size) => format!("_heap_start + {size:#x}"),
        None => "_stack_bottom".to_string(),
    };
    format!(
        "MEMORY {{
    FLASH (rx) : ORIGIN = {flash_origin:#x}, LENGTH = {flash_size:#x}
    RAM (rwx) : ORIGIN = {ram_origin:#x}, LENGTH = {ram_size:#x}
}}
ENTRY(__vectors)
SECTIONS {{
    .vectors : {{ KEEP(*(.vectors .vectors.*)) }} > FLASH
    .text : {{ *(.text .text.*) }} > FLASH
    .rodata : {{ *(.rodata .rodata.* .data.rel.ro .data.rel.ro.*) }} > FLASH
    .data : {{ _sdata = .; *(.data .data.*) _edata = .; }} > RAM AT > FLASH
    _sidata = LOADADDR(.data);
    .bss (NOLOAD) : {{ _sbss = .; *(.bss .bss.*) _ebss = .; }} > RAM
    _heap_start = ALIGN(_ebss, 8);
    _stack_top = (ORIGIN(RAM) + LENGTH(RAM)) & ~7;
    _stack_bottom = (_stack_top - {stack_size:#x}) & ~7;
    _heap_end = {heap_end};
    ASSERT(_heap_end <= _stack_bottom, \"the heap and the stack do not fit in RAM\")
    /DISCARD/ : {{ *(.ARM.exidx .ARM.exidx.*) *(.ARM.extab .ARM.extab.*) }}
}}
",
        flash_origin = memory.flash_origin,
        flash_size = memory.flash_size,
        ram_origin = memory.ram_origin,
        ram_size = memory.ram_size,
        stack_size = memory.stack_size,
    )
}

/// LLVM's linker: `ld.lld` or `rust-lld` on PATH, or the `rust-lld` that
/// ships with the Rust toolchain (`rustc --print sysroot`).
fn find_lld() -> Result<PathBuf, LinkError> {
    for name in ["ld.lld", "rust-lld"] {
        if let Some(found) = search_path(Path::new(name)) {
            return Ok(found);
        }
    }
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    sysroot
        .map(|root| root.join("lib/rustlib").join(TARGET).join("bin/rust-lld"))
        .filter(|lld| lld.is_file())
        .ok_or_else(|| {
            LinkError::NoLinker(
                "no LLVM linker for Cortex-M firmware: neither ld.lld nor rust-lld is on PATH \
                 and rustc has no rust-lld (install Rust from https://rustup.rs, or lld)"
                    .to_string(),
            )
        })
}
