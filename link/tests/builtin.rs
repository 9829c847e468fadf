//! The built-in linker against the system linker (GNU ld) on the same
//! inputs: each relocation kind, GOT relaxation, archive member selection,
//! section garbage collection, and the errors for broken inputs.
//!
//! Inputs are assembled with `as` at test time. The two linkers lay out
//! differently, so each patched field is compared in a layout-independent
//! form: the instruction bytes around it literally, the field as "target
//! address + k" (absolute), "target - place + k" (PC-relative) or "a GOT
//! slot holding target + k", with k compared between the two outputs.

use std::path::Path;
use std::process::Command;

use link::builtin::{Error, Linker};
use object::{Object, ObjectSection, ObjectSymbol};

/// Runs a tool, or returns `None` when it is not installed (the test then
/// has no oracle and passes vacuously, saying so).
fn tool(program: &str, args: &[&str], dir: &Path) -> Option<()> {
    let output = match Command::new(program).args(args).current_dir(dir).output() {
        Ok(output) => output,
        Err(_) => {
            eprintln!("{program} is not installed: skipping the comparison with the system linker");
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

/// Assembles `source` into `name.o` in `dir` (extra `as` flags in `flags`).
fn assemble(dir: &Path, name: &str, source: &str, flags: &[&str]) -> Option<Vec<u8>> {
    let s = format!("{name}.s");
    let o = format!("{name}.o");
    std::fs::write(dir.join(&s), source).unwrap();
    let mut args: Vec<&str> = flags.to_vec();
    args.extend(["-o", &o, &s]);
    tool("as", &args, dir)?;
    Some(std::fs::read(dir.join(o)).unwrap())
}

/// The program both linkers link: `_start` exits with status 42 after
/// touching every site, so the sites stay live. Each `site_*` label marks
/// one relocated instruction or datum.
const PROGRAM: &str = r#"
    .text
    .globl _start
_start:
    lea data_sites(%rip), %rax
    lea ro_sites(%rip), %rax
    call code_sites
    mov $60, %eax
    mov $42, %edi
    syscall

code_sites:
site_pc32:      lea target+12(%rip), %rax          # R_X86_64_PC32
site_plt32:     call func                          # R_X86_64_PLT32
site_32:        movl $target+4, %eax               # R_X86_64_32
site_32s:       movq $target+8, %rax               # R_X86_64_32S
site_mov_rex:   movq target@GOTPCREL(%rip), %r9    # R_X86_64_REX_GOTPCRELX: mov -> mov $imm
site_mov:       movl target@GOTPCREL(%rip), %eax   # R_X86_64_GOTPCRELX: mov -> mov $imm
site_call:      call *func@GOTPCREL(%rip)          # GOTPCRELX: call * -> addr32 call
site_jmp:       jmp *func@GOTPCREL(%rip)           # GOTPCRELX: jmp * -> jmp; nop
site_test:      testq %rcx, target@GOTPCREL(%rip)  # REX_GOTPCRELX: test -> test $imm
site_add:       addq target@GOTPCREL(%rip), %rdx   # REX_GOTPCRELX: add -> add $imm
site_cmp:       cmpl target@GOTPCREL(%rip), %esi   # GOTPCRELX: cmp -> cmp $imm
site_lea_got:   leaq target@GOTPCREL(%rip), %rax   # not convertible: a real GOT slot
    ret

    .section .text.func,"ax",@progbits
    .globl func
func:
    ret

    .section .text.unused,"ax",@progbits
    .globl unused_function
unused_function:
    call func
    ret

    .section .rodata.sites,"a",@progbits
ro_sites:
site_ro_abs64:  .quad func+3                       # R_X86_64_64 in read-only data

    .data
data_sites:
site_abs64:     .quad target+16                    # R_X86_64_64
site_pc32_data: .long target+2-.                   # R_X86_64_PC32 in data
site_pc64:      .quad target-8-.                   # R_X86_64_PC64

    .section .data.target,"aw",@progbits
    .globl target
target:
    .quad 7, 8, 9
"#;

/// Plain GOTPCREL (what the Rust runtime archive contains): ld turns a `mov`
/// into a `lea` and serves everything else from the GOT.
const PLAIN_GOT: &str = r#"
    .text
    .globl _start
_start:
site_got_plain:  movq target@GOTPCREL(%rip), %rax  # R_X86_64_GOTPCREL: mov -> lea
site_call_plain: call *func@GOTPCREL(%rip)         # R_X86_64_GOTPCREL: GOT slot
site_add_plain:  addq target@GOTPCREL(%rip), %rcx  # R_X86_64_GOTPCREL: GOT slot
    mov $60, %eax
    mov $42, %edi
    syscall
    .globl func
func:
    ret
    .data
    .globl target
target:
    .quad 1
"#;

/// How a field refers to its target, in both outputs.
#[derive(Clone, Copy, Debug)]
enum Field {
    /// `width` bytes at `at` hold target + k.
    Abs { at: usize, width: usize },
    /// 4 bytes at `at` hold target + k - place (place = address of the field).
    Rel32 { at: usize },
    /// 8 bytes at `at` hold target + k - place.
    Rel64 { at: usize },
    /// 4 bytes at `at`: a displacement to the next instruction's address
    /// (`end`) of a GOT slot holding target + k.
    Got { at: usize, end: usize },
}

struct Site {
    label: &'static str,
    target: &'static str,
    len: usize,
    field: Field,
}

/// An executable read back: symbols and the bytes at an address.
struct Exe<'a> {
    file: object::File<'a>,
}

impl<'a> Exe<'a> {
    fn parse(bytes: &'a [u8]) -> Exe<'a> {
        Exe {
            file: object::File::parse(bytes).expect("a readable ELF executable"),
        }
    }

    fn symbol(&self, name: &str) -> Option<u64> {
        self.file
            .symbols()
            .find(|s| s.name() == Ok(name))
            .map(|s| s.address())
    }

    fn bytes(&self, address: u64, len: usize) -> Vec<u8> {
        for section in self.file.sections() {
            let start = section.address();
            if address >= start && address + len as u64 <= start + section.size() {
                let data = section.data().unwrap();
                let at = (address - start) as usize;
                return data[at..at + len].to_vec();
            }
        }
        panic!("no section holds {address:#x}..+{len}");
    }

    /// The site's instruction bytes with the field blanked, and the field's
    /// layout-independent value k.
    fn normalise(&self, site: &Site) -> (Vec<u8>, i64) {
        let place = self
            .symbol(site.label)
            .unwrap_or_else(|| panic!("{} is missing", site.label));
        let target = self.symbol(site.target).unwrap() as i64;
        let mut bytes = self.bytes(place, site.len);
        let read = |at: usize, width: usize| -> i64 {
            let mut word = [0u8; 8];
            word[..width].copy_from_slice(&bytes[at..at + width]);
            let value = i64::from_le_bytes(word);
            if width == 4 {
                value as i32 as i64
            } else {
                value
            }
        };
        let (at, width, k) = match site.field {
            Field::Abs { at, width } => {
                let value = if width == 4 {
                    read(at, 4) & 0xffff_ffff
                } else {
                    read(at, 8)
                };
                (at, width, value - target)
            }
            Field::Rel32 { at } => (at, 4, read(at, 4) - (target - (place as i64 + at as i64))),
            Field::Rel64 { at } => (at, 8, read(at, 8) - (target - (place as i64 + at as i64))),
            Field::Got { at, end } => {
                let slot = place as i64 + end as i64 + read(at, 4);
                let held = i64::from_le_bytes(self.bytes(slot as u64, 8).try_into().unwrap());
                (at, 4, held - target)
            }
        };
        bytes[at..at + width].fill(0);
        (bytes, k)
    }
}

fn compare_sites(ours: &[u8], theirs: &[u8], sites: &[Site]) {
    let ours = Exe::parse(ours);
    let theirs = Exe::parse(theirs);
    for site in sites {
        let (our_bytes, our_k) = ours.normalise(site);
        let (ld_bytes, ld_k) = theirs.normalise(site);
        assert_eq!(
            our_bytes, ld_bytes,
            "{}: instruction bytes differ from ld's",
            site.label
        );
        assert_eq!(
            our_k, ld_k,
            "{}: the patched value differs from ld's",
            site.label
        );
    }
}

fn run_status(dir: &Path, name: &str, bytes: &[u8]) -> Option<i32> {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    Command::new(&path).status().unwrap().code()
}

#[test]
fn every_relocation_kind_matches_gnu_ld() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let Some(object) = assemble(dir, "program", PROGRAM, &[]) else {
        return;
    };
    let Some(()) = tool(
        "ld",
        &["-static", "--gc-sections", "-o", "program.ld", "program.o"],
        dir,
    ) else {
        return;
    };
    let theirs = std::fs::read(dir.join("program.ld")).unwrap();
    let ours = Linker::new().object("program.o", &object).link().unwrap();

    #[rustfmt::skip]
    let sites = [
        Site { label: "site_pc32", target: "target", len: 7, field: Field::Rel32 { at: 3 } },
        Site { label: "site_plt32", target: "func", len: 5, field: Field::Rel32 { at: 1 } },
        Site { label: "site_32", target: "target", len: 5, field: Field::Abs { at: 1, width: 4 } },
        Site { label: "site_32s", target: "target", len: 7, field: Field::Abs { at: 3, width: 4 } },
        Site { label: "site_mov_rex", target: "target", len: 7, field: Field::Abs { at: 3, width: 4 } },
        Site { label: "site_mov", target: "target", len: 6, field: Field::Abs { at: 2, width: 4 } },
        Site { label: "site_call", target: "func", len: 6, field: Field::Rel32 { at: 2 } },
        Site { label: "site_jmp", target: "func", len: 6, field: Field::Rel32 { at: 1 } },
        Site { label: "site_test", target: "target", len: 7, field: Field::Abs { at: 3, width: 4 } },
        Site { label: "site_add", target: "target", len: 7, field: Field::Abs { at: 3, width: 4 } },
        Site { label: "site_cmp", target: "target", len: 6, field: Field::Abs { at: 2, width: 4 } },
        Site { label: "site_lea_got", target: "target", len: 7, field: Field::Got { at: 3, end: 7 } },
        Site { label: "site_ro_abs64", target: "func", len: 8, field: Field::Abs { at: 0, width: 8 } },
        Site { label: "site_abs64", target: "target", len: 8, field: Field::Abs { at: 0, width: 8 } },
        Site { label: "site_pc32_data", target: "target", len: 4, field: Field::Rel32 { at: 0 } },
        Site { label: "site_pc64", target: "target", len: 8, field: Field::Rel64 { at: 0 } },
    ];
    compare_sites(&ours, &theirs, &sites);

    // Both run, and both dropped the section nothing reaches.
    assert_eq!(run_status(dir, "ours", &ours), Some(42));
    assert_eq!(run_status(dir, "theirs", &theirs), Some(42));
    assert_eq!(Exe::parse(&theirs).symbol("unused_function"), None);
    assert_eq!(Exe::parse(&ours).symbol("unused_function"), None);
    assert!(Exe::parse(&ours).symbol("func").is_some());
}

#[test]
fn plain_gotpcrel_is_relaxed_or_reads_a_got_slot_like_gnu_ld() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let Some(object) = assemble(dir, "got", PLAIN_GOT, &["-mrelax-relocations=no"]) else {
        return;
    };
    let Some(()) = tool("ld", &["-static", "-o", "got.ld", "got.o"], dir) else {
        return;
    };
    let theirs = std::fs::read(dir.join("got.ld")).unwrap();
    let ours = Linker::new().object("got.o", &object).link().unwrap();
    #[rustfmt::skip]
    let sites = [
        Site { label: "site_got_plain", target: "target", len: 7, field: Field::Rel32 { at: 3 } },
        Site { label: "site_call_plain", target: "func", len: 6, field: Field::Got { at: 2, end: 6 } },
        Site { label: "site_add_plain", target: "target", len: 7, field: Field::Got { at: 3, end: 7 } },
    ];
    compare_sites(&ours, &theirs, &sites);
    assert_eq!(run_status(dir, "ours", &ours), Some(42));
}

/// `_start` in an object, `func` and `target` in an archive, next to a
/// member nothing needs.
fn archive_inputs(dir: &Path, index: bool) -> Option<(Vec<u8>, Vec<u8>)> {
    let main = assemble(
        dir,
        "main",
        ".text\n.globl _start\n_start:\n call func\n mov target(%rip), %edi\n \
         mov $60, %eax\n syscall\n",
        &[],
    )?;
    assemble(
        dir,
        "func",
        ".text\n.globl func\nfunc: ret\n.data\n.globl target\ntarget: .long 42\n",
        &[],
    )?;
    assemble(
        dir,
        "extra",
        ".text\n.globl extra_function\nextra_function: ret\n",
        &[],
    )?;
    let flags = if index { "rcs" } else { "rcS" };
    tool("ar", &[flags, "libtest.a", "extra.o", "func.o"], dir)?;
    Some((main, std::fs::read(dir.join("libtest.a")).unwrap()))
}

#[test]
fn archive_members_are_loaded_only_when_needed() {
    for index in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let Some((main, archive)) = archive_inputs(dir, index) else {
            return;
        };
        let ours = Linker::new()
            .object("main.o", &main)
            .archive("libtest.a", &archive)
            .link()
            .unwrap();
        let exe = Exe::parse(&ours);
        assert!(exe.symbol("func").is_some());
        assert_eq!(exe.symbol("extra_function"), None, "index: {index}");
        assert_eq!(run_status(dir, "ours", &ours), Some(42));
    }
}

fn link_error(objects: &[(&str, &[u8])]) -> Error {
    let mut linker = Linker::new();
    for (name, bytes) in objects {
        linker.object(name, bytes);
    }
    linker.link().expect_err("the link must fail")
}

#[test]
fn truncated_object_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let Some(object) = assemble(dir.path(), "program", PROGRAM, &[]) else {
        return;
    };
    for cut in [3, 40, object.len() / 2, object.len() - 1] {
        let error = link_error(&[("program.o", &object[..cut])]);
        assert!(
            matches!(&error, Error::BadInput { file, .. } if file == "program.o"),
            "cut at {cut}: {error}"
        );
    }
    let message = link_error(&[("program.o", &object[..40])]).to_string();
    assert_eq!(message, "program.o: the file is truncated");
}

#[test]
fn archive_member_with_a_bad_header_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let Some((main, mut archive)) = archive_inputs(dir, true) else {
        return;
    };
    // Break the size field of the member that defines `func` (the last one).
    let header = archive
        .windows(8)
        .rposition(|w| w == b"func.o/ ")
        .expect("func.o's member header");
    archive[header + 48..header + 58].copy_from_slice(b"99999999zz");
    let error = Linker::new()
        .object("main.o", &main)
        .archive("libtest.a", &archive)
        .link()
        .expect_err("a corrupt member header");
    let message = error.to_string();
    assert!(message.starts_with("libtest.a"), "{message}");
    assert!(message.contains("member"), "{message}");
}

#[test]
fn undefined_symbol_names_the_symbol_and_its_user() {
    let dir = tempfile::tempdir().unwrap();
    let Some(object) = assemble(
        dir.path(),
        "program",
        ".text\n.globl _start\n.type _start, @function\n_start:\n call missing_function\n \
         ret\n.size _start, .-_start\n",
        &[],
    ) else {
        return;
    };
    let error = link_error(&[("program.o", &object)]);
    assert_eq!(
        error.to_string(),
        "undefined symbol `missing_function`, referenced by `_start` (section .text of \
         program.o, offset 0x1)"
    );
}

#[test]
fn unknown_relocation_names_the_type_and_section() {
    let dir = tempfile::tempdir().unwrap();
    let Some(object) = assemble(
        dir.path(),
        "tls",
        ".text\n.globl _start\n_start:\n movq %fs:counter@tpoff, %rax\n ret\n\
         .section .tbss,\"awT\",@nobits\n.globl counter\ncounter: .zero 8\n",
        &[],
    ) else {
        return;
    };
    let error = link_error(&[("tls.o", &object)]);
    assert_eq!(
        error.to_string(),
        "unsupported relocation R_X86_64_TPOFF32 (23) in section .text of tls.o"
    );
}

#[test]
fn duplicate_and_missing_entry_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let Some(a) = assemble(dir, "a", ".text\n.globl _start\n_start: ret\n", &[]) else {
        return;
    };
    let Some(b) = assemble(dir, "b", ".text\n.globl _start\n_start: ret\n", &[]) else {
        return;
    };
    assert_eq!(
        link_error(&[("a.o", &a), ("b.o", &b)]).to_string(),
        "symbol `_start` is defined twice: in a.o and in b.o"
    );
    let Some(c) = assemble(dir, "c", ".text\n.globl main\nmain: ret\n", &[]) else {
        return;
    };
    assert_eq!(
        link_error(&[("c.o", &c)]).to_string(),
        "the entry symbol `_start` is not defined"
    );
}

#[test]
fn not_an_object_is_a_clear_error() {
    let error = link_error(&[("notes.txt", b"hello, world\n")]);
    assert_eq!(error.to_string(), "notes.txt: not an ELF file");
    let error = Linker::new()
        .archive("libbroken.a", b"!<arch>\nshort")
        .link()
        .expect_err("a corrupt archive");
    assert!(error.to_string().starts_with("libbroken.a: "), "{error}");
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

/// Runs `link`; a panic is recorded in `panics` with the damaged input's seed.
fn must_not_panic(
    panics: &mut Vec<String>,
    what: &str,
    seed: u64,
    link: impl FnOnce() + std::panic::UnwindSafe,
) {
    if let Err(payload) = std::panic::catch_unwind(link) {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panics.push(format!("{what} (seed {seed}): {message}"));
    }
}

#[test]
fn corrupted_objects_and_archives_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let Some(object) = assemble(dir, "program", PROGRAM, &[]) else {
        return;
    };
    let Some((main, archive)) = archive_inputs(dir, true) else {
        return;
    };
    let mut panics = Vec::new();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for seed in 1..=3000u64 {
        let mut rng = Rng(seed);
        let damaged = corrupt(&mut rng, &object);
        must_not_panic(&mut panics, "object", seed, || {
            let _ = Linker::new().object("program.o", &damaged).link();
        });
        let damaged = corrupt(&mut rng, &archive);
        let main = main.clone();
        must_not_panic(&mut panics, "archive", seed, move || {
            let _ = Linker::new()
                .object("main.o", &main)
                .archive("libtest.a", &damaged)
                .link();
        });
    }
    for len in (0..object.len()).step_by(7) {
        must_not_panic(&mut panics, "truncated object", len as u64, || {
            let _ = Linker::new().object("program.o", &object[..len]).link();
        });
    }
    std::panic::set_hook(quiet);
    assert!(
        panics.is_empty(),
        "the linker panicked on:\n{}",
        panics.join("\n")
    );
}

#[test]
fn link_map_says_where_each_section_went_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let Some((main, archive)) = archive_inputs(dir.path(), true) else {
        return;
    };
    let (executable, map) = Linker::new()
        .object("main.o", &main)
        .archive("libtest.a", &archive)
        .link_with_map()
        .unwrap();
    let func = Exe::parse(&executable).symbol("func").unwrap();
    let line = format!("{func:#010x}        1 .text in libtest.a(func.o)");
    assert!(map.contains(&line), "no `{line}` in:\n{map}");
    assert!(map.contains("kept for .text in main.o"), "{map}");
    assert!(!map.contains("extra.o"), "{map}");
}
