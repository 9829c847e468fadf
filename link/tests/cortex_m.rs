//! The built-in linker making Cortex-M firmware: a program object written by
//! [`link::write_object`] for ARM plus a small runtime archive (assembled
//! with `arm-none-eabi-as` at test time) become an image that
//! `qemu-system-arm -M mps2-an385` runs, printing through semihosting.
//! Each ARM relocation kind is checked by decoding the linked field; the
//! same inputs linked by `rust-lld` with an equivalent linker script (the
//! oracle) must run the same.
//!
//! Without `arm-none-eabi-as` or `qemu-system-arm` the tests that need them
//! say so on standard error and pass vacuously (test.sh installs both).

use std::path::Path;
use std::process::{Command, Stdio};

use link::builtin::{Linker, MemoryMap};
use link::{Arch, ObjectModule, Reloc, RelocKind, Section, SectionKind, Symbol, SymbolKind};
use object::{Object, ObjectSection, ObjectSymbol};

/// Runs a tool in `dir`; `None` when it is not installed.
fn tool(program: &str, args: &[&str], dir: &Path) -> Option<()> {
    let output = match Command::new(program).args(args).current_dir(dir).output() {
        Ok(output) => output,
        Err(_) => {
            eprintln!("{program} is not installed: skipping this test");
            return None;
        }
    };
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(())
}

/// A runtime in miniature: the vector table, a reset handler that copies
/// `.data`, zeroes `.bss`, calls `program_main` and exits with its result
/// through semihosting, and `rt_write` (SYS_WRITE0). `sites` holds one
/// datum or instruction per relocation kind for the checks; `unused` must
/// not be linked in.
const RUNTIME: &str = r#"
    .syntax unified
    .thumb

    .section .vectors, "a", %progbits
    .globl __vectors
__vectors:
    .word _stack_top
    .word reset_handler
    .word fault                 @ NMI
    .word fault                 @ HardFault

    .text
    .thumb_func
    .globl reset_handler
reset_handler:
    ldr r0, =_sdata
    ldr r1, =_edata
    ldr r2, =_sidata
1:  cmp r0, r1
    bhs 2f
    ldr r3, [r2], #4
    str r3, [r0], #4
    b 1b
2:  ldr r0, =_sbss
    ldr r1, =_ebss
    movs r3, #0
3:  cmp r0, r1
    bhs 4f
    str r3, [r0], #4
    b 3b
4:  ldr r0, =bss_word           @ zeroed?
    ldr r0, [r0]
    cmp r0, #0
    bne fault
    ldr r0, =data_word          @ copied from flash?
    ldr r0, [r0]
    cmp r0, #5
    bne fault
    bl program_main
    b.w rt_exit                 @ R_ARM_THM_JUMP24

    .thumb_func
    .globl rt_write
rt_write:                       @ (r0: a NUL-terminated string)
    mov r1, r0
    movs r0, #4                 @ SYS_WRITE0
    bkpt 0xab
    bx lr

    .thumb_func
rt_exit:                        @ (r0: the exit status)
    sub sp, #8
    ldr r1, =0x20026            @ ADP_Stopped_ApplicationExit
    str r1, [sp]
    str r0, [sp, #4]
    mov r1, sp
    movs r0, #0x20              @ SYS_EXIT_EXTENDED
    bkpt 0xab
    b .

    .thumb_func
fault:                          @ with an unwind entry (.ARM.exidx, R_ARM_PREL31)
    .fnstart
    movs r0, #99
    b rt_exit
    .cantunwind
    .fnend

    .thumb_func
    .globl sites
sites:
    cmp r0, #0
    beq.w rt_write              @ R_ARM_THM_JUMP19
    movw r0, #:lower16:data_word+8
    movt r0, #:upper16:data_word+8
    bx lr
    .ltorg

    .section .rodata.sites, "a", %progbits
    .globl site_words
site_words:
    .word rt_write              @ R_ARM_ABS32, Thumb bit
    .word data_word+4           @ R_ARM_ABS32 with an addend
    .word rt_write - .          @ R_ARM_REL32

    .data
data_word:
    .word 5
    .word site_words

    .bss
bss_word:
    .space 8
"#;

const UNUSED: &str = r#"
    .syntax unified
    .thumb
    .text
    .thumb_func
    .globl unused
unused:
    bl undefined_elsewhere
    bx lr
"#;

/// `program_main`: prints a string from flash, then one whose address sits
/// in `.data` (R_ARM_ABS32 with an addend, copied to RAM at reset), calls
/// `sites` and returns the `.data` word after it (42).
fn program() -> ObjectModule {
    let text: Vec<u8> = [
        &[0x10, 0xb5][..],         // push {r4, lr}
        &[0x40, 0xf2, 0x00, 0x00], // movw r0, #:lower16:greeting
        &[0xc0, 0xf2, 0x00, 0x00], // movt r0, #:upper16:greeting
        &[0x00, 0xf0, 0x00, 0xd0], // bl rt_write
        &[0x40, 0xf2, 0x00, 0x04], // movw r4, #:lower16:pointer
        &[0xc0, 0xf2, 0x00, 0x04], // movt r4, #:upper16:pointer
        &[0x20, 0x68],             // ldr r0, [r4]
        &[0x00, 0xf0, 0x00, 0xd0], // bl rt_write
        &[0x01, 0x20],             // movs r0, #1
        &[0x00, 0xf0, 0x00, 0xd0], // bl sites
        &[0x60, 0x68],             // ldr r0, [r4, #4]
        &[0x10, 0xbd],             // pop {r4, pc}
        &[0x00, 0xbf],             // nop (no padding after the code: lld pads with traps)
    ]
    .concat();
    let rodata = b"hello from flash\n\0second line\n\0".to_vec();
    let mut data = vec![0u8; 8];
    data[4] = 42;
    let section = |name: &str, kind, bytes: Vec<u8>| Section {
        name: name.to_string(),
        kind,
        align: 4,
        size: bytes.len() as u64,
        bytes,
    };
    let reloc = |section, offset, kind, symbol: &str, addend| Reloc {
        section,
        offset,
        kind,
        symbol: symbol.to_string(),
        addend,
    };
    ObjectModule {
        arch: Arch::Arm,
        sections: vec![
            section(".text", SectionKind::Text, text.clone()),
            section(".rodata", SectionKind::ReadOnlyData, rodata),
            section(".data", SectionKind::Data, data),
        ],
        symbols: vec![
            Symbol {
                name: "program_main".to_string(),
                section: 0,
                offset: 0,
                size: text.len() as u64,
                kind: SymbolKind::Function,
                global: true,
            },
            Symbol {
                name: "greeting".to_string(),
                section: 1,
                offset: 0,
                size: 31,
                kind: SymbolKind::Data,
                global: false,
            },
            Symbol {
                name: "pointer".to_string(),
                section: 2,
                offset: 0,
                size: 8,
                kind: SymbolKind::Data,
                global: false,
            },
        ],
        relocs: vec![
            reloc(0, 2, RelocKind::ArmThmMovwAbsNc, "greeting", 0),
            reloc(0, 6, RelocKind::ArmThmMovtAbs, "greeting", 0),
            reloc(0, 10, RelocKind::ArmThmCall, "rt_write", -4),
            reloc(0, 14, RelocKind::ArmThmMovwAbsNc, "pointer", 0),
            reloc(0, 18, RelocKind::ArmThmMovtAbs, "pointer", 0),
            reloc(0, 24, RelocKind::ArmThmCall, "rt_write", -4),
            reloc(0, 30, RelocKind::ArmThmCall, "sites", -4),
            reloc(2, 0, RelocKind::ArmAbs32, "greeting", 18),
        ],
    }
}

/// The runtime archive (`librt.a`: the runtime and an unused member), or
/// `None` without the ARM binutils.
fn runtime_archive(dir: &Path) -> Option<Vec<u8>> {
    for (name, source) in [("rt", RUNTIME), ("unused", UNUSED)] {
        std::fs::write(dir.join(format!("{name}.s")), source).unwrap();
        tool(
            "arm-none-eabi-as",
            &[
                "-mcpu=cortex-m3",
                "-o",
                &format!("{name}.o"),
                &format!("{name}.s"),
            ],
            dir,
        )?;
    }
    tool(
        "arm-none-eabi-ar",
        &["rcs", "librt.a", "rt.o", "unused.o"],
        dir,
    )?;
    Some(std::fs::read(dir.join("librt.a")).unwrap())
}

/// Runs `image` under QEMU as an MPS2-AN385 board: (stdout, exit status),
/// or `None` without qemu-system-arm.
fn run_qemu(dir: &Path, image: &[u8]) -> Option<(String, i32)> {
    let path = dir.join("firmware.elf");
    std::fs::write(&path, image).unwrap();
    let output = Command::new("timeout")
        .args(["20", "qemu-system-arm", "-M", "mps2-an385"])
        .args(["-display", "none", "-monitor", "none", "-serial", "none"])
        .args(["-chardev", "stdio,id=sh"])
        .args(["-semihosting-config", "enable=on,target=native,chardev=sh"])
        .arg("-kernel")
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if output.status.code() == Some(127) {
        eprintln!("qemu-system-arm is not installed: not running the firmware");
        return None;
    }
    Some((
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.code().unwrap_or(-1),
    ))
}

fn link(program: &[u8], archive: &[u8], memory: MemoryMap) -> Result<Vec<u8>, String> {
    let mut linker = Linker::cortex_m(memory);
    linker
        .object("program.o", program)
        .archive("librt.a", archive);
    linker.link().map_err(|e| e.to_string())
}

fn symbol_address(file: &object::File<'_>, name: &str) -> u64 {
    file.symbols()
        .find(|s| s.name() == Ok(name))
        .unwrap_or_else(|| panic!("no symbol {name}"))
        .address()
}

fn word(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

#[test]
fn firmware_runs_under_qemu_and_every_relocation_is_right() {
    let dir = tempfile::tempdir().unwrap();
    let Some(archive) = runtime_archive(dir.path()) else {
        return;
    };
    let program = link::write_object(&program()).unwrap();
    let image = link(&program, &archive, MemoryMap::MPS2_AN385).unwrap();

    let file = object::File::parse(&*image).unwrap();
    let vectors = file.section_by_name(".vectors").unwrap();
    assert_eq!(vectors.address(), 0, "the vector table starts the flash");
    let table = vectors.data().unwrap();
    let reset = symbol_address(&file, "reset_handler");
    assert_eq!(reset & 1, 1, "a Thumb function's address has bit 0 set");
    assert_eq!(u64::from(word(table, 4)), reset);
    assert_eq!(file.entry(), reset);
    assert_eq!(u64::from(word(table, 0)), 0x2000_0000 + (4 << 20));
    assert!(
        file.symbols().all(|s| s.name() != Ok("unused")),
        "an archive member nothing needs is not linked"
    );
    assert!(file.section_by_name(".ARM.exidx").is_none());

    // The site words: ABS32 (Thumb bit), ABS32 + addend, REL32.
    let rt_write = symbol_address(&file, "rt_write");
    let data_word = symbol_address(&file, "data_word");
    let site_words = symbol_address(&file, "site_words");
    let rodata = file.section_by_name(".rodata").unwrap();
    let at = (site_words - rodata.address()) as usize;
    let words = rodata.data().unwrap();
    assert_eq!(u64::from(word(words, at)), rt_write);
    assert_eq!(u64::from(word(words, at + 4)), data_word + 4);
    assert_eq!(
        i64::from(word(words, at + 8) as i32),
        rt_write as i64 - (site_words as i64 + 8)
    );
    // .data runs in RAM and is loaded in flash, after the constants.
    let data = file.section_by_name(".data").unwrap();
    assert!(data.address() >= 0x2000_0000);
    // Elf32_Phdr at e_phoff 52: type, offset, vaddr, paddr, filesz, memsz, ...
    let phnum = usize::from(u16::from_le_bytes([image[44], image[45]]));
    let (load, file_size) = (0..phnum)
        .map(|i| 52 + 32 * i)
        .find(|&at| u64::from(word(&image, at + 8)) == data.address())
        .map(|at| {
            (
                u64::from(word(&image, at + 12)),
                u64::from(word(&image, at + 16)),
            )
        })
        .expect("a program header for .data");
    assert!(load >= rodata.address() + rodata.size());
    assert_eq!(load, symbol_address(&file, "_sidata"));
    assert_eq!(file_size, data.size());

    // The JUMP19 and MOVW/MOVT sites, decoded with the ARM disassembler
    // when there is one.
    let sites = symbol_address(&file, "sites") & !1;
    let text = file.section_by_name(".text").unwrap();
    let code = text.data().unwrap();
    let at = (sites - text.address()) as usize + 2;
    let (first, second) = (
        u32::from(u16::from_le_bytes([code[at], code[at + 1]])),
        u32::from(u16::from_le_bytes([code[at + 2], code[at + 3]])),
    );
    let s = (first >> 10) & 1;
    let raw = (s << 20)
        | (((second >> 11) & 1) << 19)
        | (((second >> 13) & 1) << 18)
        | ((first & 0x3f) << 12)
        | ((second & 0x7ff) << 1);
    let offset = ((raw << 11) as i32) >> 11;
    assert_eq!(
        (sites as i64 + 2 + 4 + i64::from(offset)),
        (rt_write & !1) as i64,
        "beq.w rt_write"
    );
    let imm16 = |first: u32, second: u32| {
        ((first & 0xf) << 12)
            | (((first >> 10) & 1) << 11)
            | (((second >> 12) & 7) << 8)
            | (second & 0xff)
    };
    let half = |at: usize| u32::from(u16::from_le_bytes([code[at], code[at + 1]]));
    let low = imm16(half(at + 4), half(at + 6));
    let high = imm16(half(at + 8), half(at + 10));
    assert_eq!(u64::from((high << 16) | low), data_word + 8);

    if let Some((stdout, status)) = run_qemu(dir.path(), &image) {
        assert_eq!(stdout, "hello from flash\nsecond line\n");
        assert_eq!(status, 42);
    }
}

/// The oracle: [`link::system::link_firmware`] (LLVM's linker with a
/// linker script of the same layout) makes the same image from the same
/// inputs: the same section contents at the same addresses, the same
/// linker-defined symbols, the same behaviour under QEMU.
#[test]
fn rust_lld_links_the_same_inputs_into_the_same_image() {
    let dir = tempfile::tempdir().unwrap();
    let Some(archive) = runtime_archive(dir.path()) else {
        return;
    };
    let program = link::write_object(&program()).unwrap();
    let memory = MemoryMap::MPS2_AN385;
    let lld_output = dir.path().join("lld.elf");
    match link::system::link_firmware(&program, &archive, &memory, &lld_output) {
        Ok(()) => {}
        Err(link::LinkError::NoLinker(why)) => {
            eprintln!("{why}: skipping the comparison");
            return;
        }
        Err(e) => panic!("{e}"),
    }
    let theirs = std::fs::read(&lld_output).unwrap();
    let ours = link(&program, &archive, memory).unwrap();
    let ours_file = object::File::parse(&*ours).unwrap();
    let theirs_file = object::File::parse(&*theirs).unwrap();
    for name in [".vectors", ".text", ".rodata", ".data", ".bss"] {
        let contents = |file: &object::File<'_>| {
            let section = file.section_by_name(name).unwrap();
            let data = section.data().unwrap_or_default().to_vec();
            (section.address(), section.size(), data)
        };
        assert_eq!(
            contents(&ours_file),
            contents(&theirs_file),
            "section {name} differs from rust-lld's"
        );
    }
    for symbol in link::builtin::firmware::PROVIDED {
        assert_eq!(
            symbol_address(&ours_file, symbol),
            symbol_address(&theirs_file, symbol),
            "{symbol}"
        );
    }
    if let (Some(a), Some(b)) = (run_qemu(dir.path(), &ours), run_qemu(dir.path(), &theirs)) {
        assert_eq!(a, b);
    }
}

#[test]
fn too_little_flash_or_ram_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let Some(archive) = runtime_archive(dir.path()) else {
        return;
    };
    let program = link::write_object(&program()).unwrap();
    let tiny_flash = MemoryMap {
        flash_size: 64,
        ..MemoryMap::MPS2_AN385
    };
    let error = link(&program, &archive, tiny_flash).unwrap_err();
    assert!(
        error.contains("bytes of flash; the target has 64"),
        "{error}"
    );
    let tiny_ram = MemoryMap {
        ram_size: 16 << 10,
        stack_size: 32 << 10,
        ..MemoryMap::MPS2_AN385
    };
    let error = link(&program, &archive, tiny_ram).unwrap_err();
    assert!(error.contains("bytes of RAM"), "{error}");
    // A small part with the stack and heap sized to fit links.
    let small_part = MemoryMap {
        flash_origin: 0x0800_0000,
        flash_size: 256 << 10,
        ram_origin: 0x2000_0000,
        ram_size: 64 << 10,
        stack_size: 8 << 10,
        heap_size: Some(32 << 10),
    };
    let image = link(&program, &archive, small_part).unwrap();
    let file = object::File::parse(&*image).unwrap();
    assert_eq!(symbol_address(&file, "__vectors"), 0x0800_0000);
    assert_eq!(symbol_address(&file, "_stack_top"), 0x2001_0000);
    assert_eq!(
        symbol_address(&file, "_heap_end") - symbol_address(&file, "_heap_start"),
        32 << 10
    );
}

#[test]
fn a_runtime_without_a_vector_table_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    if runtime_archive(dir.path()).is_none() {
        return;
    }
    let unused = std::fs::read(dir.path().join("unused.o")).unwrap();
    let mut linker = Linker::cortex_m(MemoryMap::MPS2_AN385);
    linker.object("unused.o", &unused);
    let error = linker.link().unwrap_err().to_string();
    assert!(error.contains("__vectors"), "{error}");
}

#[test]
fn an_x86_object_in_an_arm_link_is_refused() {
    let mut module = program();
    module.arch = Arch::X86_64;
    module.relocs.clear();
    let object = link::write_object(&module).unwrap();
    let mut linker = Linker::cortex_m(MemoryMap::MPS2_AN385);
    linker.object("program.o", &object);
    let error = linker.link().unwrap_err().to_string();
    assert!(error.contains("machine 62"), "{error}");
}

/// Real compiler output: the `#![no_std]` runtime in miniature of
/// `tests/cortex_m_rt` (core::fmt, 64-bit division and soft float from
/// compiler_builtins, alloc), built by cargo for thumbv7m-none-eabi, linked
/// with a one-function program; its output and exit status under QEMU.
#[test]
fn a_rust_no_std_runtime_links_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cortex_m_rt");
    let installed = Command::new("rustc")
        .args(["--print", "target-libdir", "--target", "thumbv7m-none-eabi"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| Path::new(String::from_utf8_lossy(&o.stdout).trim()).is_dir());
    if installed != Some(true) {
        eprintln!(
            "the Rust target thumbv7m-none-eabi is not installed (rustup target add \
             thumbv7m-none-eabi): skipping this test"
        );
        return;
    }
    let target_dir = dir.path().join("target");
    let build = Command::new(env!("CARGO"))
        .args(["build", "--release", "--target", "thumbv7m-none-eabi"])
        .arg("--manifest-path")
        .arg(fixture.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let archive =
        std::fs::read(target_dir.join("thumbv7m-none-eabi/release/libcortex_m_rt_fixture.a"))
            .unwrap();
    let program = ObjectModule {
        arch: Arch::Arm,
        sections: vec![Section {
            name: ".text".to_string(),
            kind: SectionKind::Text,
            align: 2,
            // adds r0, #35; bx lr
            bytes: vec![0x23, 0x30, 0x70, 0x47],
            size: 4,
        }],
        symbols: vec![Symbol {
            name: "program_main".to_string(),
            section: 0,
            offset: 0,
            size: 4,
            kind: SymbolKind::Function,
            global: true,
        }],
        relocs: Vec::new(),
    };
    let object = link::write_object(&program).unwrap();
    let mut linker = Linker::cortex_m(MemoryMap::MPS2_AN385);
    linker
        .object("program.o", &object)
        .archive("libcortex_m_rt_fixture.a", &archive);
    let built = linker.link_firmware(false).unwrap();
    let code = built
        .report
        .flash
        .iter()
        .find(|part| part.0 == "code")
        .unwrap();
    assert_eq!(code.1, 4, "{}", built.report);

    let path = dir.path().join("firmware.elf");
    std::fs::write(&path, &built.image).unwrap();
    let Ok(output) = Command::new("timeout")
        .args(["20", "qemu-system-arm", "-M", "mps2-an385"])
        .args(["-display", "none", "-monitor", "none", "-serial", "none"])
        .args(["-semihosting-config", "enable=on,target=native"])
        .arg("-kernel")
        .arg(&path)
        .stdin(Stdio::null())
        .output()
    else {
        return;
    };
    if output.status.code() == Some(127) {
        eprintln!("qemu-system-arm is not installed: not running the firmware");
        return;
    }
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "counter=7 zeroed=0 big=1000000000007 div=142857142858 f=10.500 [\"two\", \"one\", \"zero\"]\n"
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "to stderr\n");
    assert_eq!(output.status.code(), Some(42));
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Overwrites a few bytes of `bytes` with values that stress parsers.
fn corrupt(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut damaged = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(damaged.len());
        damaged[at] = match rng.below(4) {
            0 => 0,
            1 => 0xff,
            2 => damaged[at] ^ (1 << rng.below(8)),
            _ => rng.next() as u8,
        };
    }
    damaged
}

/// ELF32 objects and REL relocations damaged at random (and truncated):
/// the ARM link reports an error or succeeds, it never panics.
#[test]
fn corrupted_arm_objects_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let Some(archive) = runtime_archive(dir.path()) else {
        return;
    };
    let object = link::write_object(&program()).unwrap();
    let runtime = std::fs::read(dir.path().join("rt.o")).unwrap();
    let link_both = |program: &[u8], runtime: &[u8]| {
        let mut linker = Linker::cortex_m(MemoryMap::MPS2_AN385);
        linker.object("program.o", program).object("rt.o", runtime);
        let _ = linker.link();
    };
    let mut panics = Vec::new();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for seed in 1..=2000u64 {
        let mut rng = Rng(seed);
        let damaged = corrupt(&mut rng, &object);
        if std::panic::catch_unwind(|| link_both(&damaged, &runtime)).is_err() {
            panics.push(format!("program object, seed {seed}"));
        }
        let damaged = corrupt(&mut rng, &runtime);
        if std::panic::catch_unwind(|| link_both(&object, &damaged)).is_err() {
            panics.push(format!("runtime object, seed {seed}"));
        }
        let damaged = corrupt(&mut rng, &archive);
        let result = std::panic::catch_unwind(|| {
            let mut linker = Linker::cortex_m(MemoryMap::MPS2_AN385);
            linker
                .object("program.o", &object)
                .archive("librt.a", &damaged);
            let _ = linker.link();
        });
        if result.is_err() {
            panics.push(format!("archive, seed {seed}"));
        }
    }
    for len in (0..runtime.len()).step_by(5) {
        if std::panic::catch_unwind(|| link_both(&object, &runtime[..len])).is_err() {
            panics.push(format!("runtime object truncated to {len} bytes"));
        }
    }
    std::panic::set_hook(quiet);
    assert!(
        panics.is_empty(),
        "the linker panicked on:\n{}",
        panics.join("\n")
    );
}
