//! Compile real CPython 3.11 code objects (from `python3 -m py_compile`) and
//! pyaot's own, and check the Thumb-2 object: symbols, relocations, data
//! records, the listing, the opcode coverage against codegen-x86, and the
//! machine code itself against GNU as (when installed).

use codegen_arm::{compile_program, supported_opcodes, Compiled, Options, Unsupported};
use link::{Arch, RelocKind, SectionKind};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// CPython's code object for `source`, compiled as `t.py`.
fn cpython_code(name: &str, source: &str) -> frontend::code::CodeObject {
    let dir = std::env::temp_dir().join(format!("codegen-arm-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let py = dir.join("t.py");
    let pyc: PathBuf = dir.join("t.pyc");
    std::fs::write(&py, source).unwrap();
    let status = Command::new("python3")
        .current_dir(&dir)
        .args([
            "-c",
            "import py_compile; py_compile.compile('t.py', cfile='t.pyc', doraise=True)",
        ])
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let bytes = std::fs::read(&pyc).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    frontend::marshal::read_pyc(&bytes).expect("CPython's .pyc parses")
}

fn compile(name: &str, source: &str) -> Result<Compiled, Unsupported> {
    let code = cpython_code(name, source);
    compile_program(&code, source, &Options { listing: true })
}

const FIB: &str = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\nprint(fib(25))\n";

#[test]
fn fib_object_has_functions_records_and_relocations() {
    let c = compile("fib", FIB).unwrap();
    let o = &c.object;
    assert_eq!(o.arch, Arch::Arm);
    let sym = |n: &str| o.symbols.iter().find(|s| s.name == n);
    let module = sym("t.py:<module>").expect("module function");
    let fib = sym("t.py:fib").expect("fib function");
    assert_eq!(o.sections[module.section].kind, SectionKind::Text);
    assert!(fib.size > 0 && !fib.global);
    assert_eq!(fib.offset % 4, 0);
    // The ABI's records, in 4-byte words.
    let words = |bytes: usize| (bytes / std::mem::size_of::<usize>() * 4) as u64;
    let program = sym("pyaot_program").expect("program record");
    assert!(program.global);
    assert_eq!(program.size, words(size_of::<frontend::rt::Program>()));
    assert_eq!(
        sym("t.py:fib:info").unwrap().size,
        words(size_of::<frontend::rt::CodeInfo>())
    );
    let calls: Vec<&str> = o
        .relocs
        .iter()
        .filter(|r| r.kind == RelocKind::ArmThmCall)
        .map(|r| r.symbol.as_str())
        .collect();
    for helper in ["pyrt_make_function", "pyrt_call", "pyrt_traceback_here"] {
        assert!(calls.contains(&helper), "no bl {helper}");
    }
    // Small-int arithmetic and compares are inline: no generic helper on
    // the fast path (the slow path calls pyrt_binary_op).
    assert!(!calls.contains(&"pyrt_compare_op"));
    // Data addresses are movw/movt pairs.
    for kind in [RelocKind::ArmThmMovwAbsNc, RelocKind::ArmThmMovtAbs] {
        assert!(o
            .relocs
            .iter()
            .any(|r| r.symbol == "pyrt_recursion_depth" && r.kind == kind));
    }
    // CodeInfo.entry points at the function; nothing is x86.
    assert!(o
        .relocs
        .iter()
        .any(|r| r.symbol == "t.py:fib" && r.kind == RelocKind::ArmAbs32));
    assert!(o.relocs.iter().all(|r| matches!(
        r.kind,
        RelocKind::ArmAbs32
            | RelocKind::ArmThmCall
            | RelocKind::ArmThmMovwAbsNc
            | RelocKind::ArmThmMovtAbs
    )));
    // The object writes as ELF32 for the linker.
    let elf = link::write_object(o).expect("ARM object writes");
    assert_eq!(&elf[..5], b"\x7fELF\x01");
}

#[test]
fn listing_groups_code_by_opcode() {
    let c = compile("listing", FIB).unwrap();
    let l = c.listing.unwrap();
    assert!(l.contains("t.py:fib:\n"));
    assert!(l.contains("   6 COMPARE_OP 0 (<)"), "{l}");
    assert!(l.contains("BINARY_OP 10 (-)"));
    assert!(l.contains("push.w {r4, r5, r6, r7, r8, lr}"), "{l}");
    assert!(l.contains("bl pyrt_call"), "{l}");
    assert!(l.contains("bvs.w"), "{l}"); // overflow check of n - 1
    assert!(l.contains("blx r3"), "{l}"); // direct call of fib
    assert!(l.contains("(error exit)"));
    assert!(l.contains("pop.w {r4, r5, r6, r7, r8, pc}"), "{l}");
}

#[test]
fn for_over_a_range_steps_inline() {
    let src = "t = 0\nfor i in range(10):\n    t += i\nprint(t)\n";
    let l = compile("range", src).unwrap().listing.unwrap();
    assert!(l.contains("FOR_ITER"));
    assert!(l.contains("#:lower16:pyrt_type_range_iter"), "{l}");
    assert!(l.contains("bl pyrt_for_iter"), "{l}");
}

#[test]
fn small_ints_are_31_bit() {
    // 2**30 is a heap int on Cortex-M: a constant, not an immediate.
    let c = compile("big", "x = 1073741824\ny = 1073741823\nprint(x, y)\n").unwrap();
    let l = c.listing.unwrap();
    assert!(l.contains("#:lower16:pyaot_consts"), "{l}");
    // 2**30 - 1 is the largest small int: tagged 0x7fffffff = ~0x80000000.
    assert!(l.contains("mvn.w r0, #0x80000000"), "{l}");
}

#[test]
fn unsupported_features_are_refused_with_their_location() {
    let u = compile("sorted", "x = [3, 1]\nprint(sorted(x))\n")
        .err()
        .unwrap();
    assert_eq!((u.line, u.col, u.what.as_str()), (2, 7, "builtin 'sorted'"));
    let u = compile("try", "try:\n    pass\nexcept Exception:\n    pass\n")
        .err()
        .unwrap();
    assert_eq!(u.what, "try statements");
    let u = compile("gen", "def g():\n    yield 1\n").err().unwrap();
    assert_eq!((u.line, u.what.as_str()), (1, "generators"));
}

/// Both targets compile the same opcodes: the coverage report is the same.
#[test]
fn opcode_coverage_equals_x86() {
    let arm: BTreeSet<&str> = supported_opcodes().iter().map(|o| o.name()).collect();
    let x86: BTreeSet<&str> = codegen_x86::supported_opcodes()
        .iter()
        .map(|o| o.name())
        .collect();
    let only_arm: Vec<_> = arm.difference(&x86).collect();
    let only_x86: Vec<_> = x86.difference(&arm).collect();
    assert!(
        only_arm.is_empty() && only_x86.is_empty(),
        "only codegen-arm: {only_arm:?}; only codegen-x86: {only_x86:?}"
    );
}

/// pyaot's own code objects for every test program and example: both
/// codegens accept or refuse each one alike.
#[test]
fn programs_compile_like_x86() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["tests/programs", "examples"] {
        collect_py(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20);
    let mut compiled = 0;
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.to_string_lossy().into_owned();
        let Ok(code) = frontend::compile_module(&source, &name) else {
            continue;
        };
        let arm = compile_program(&code, &source, &Options { listing: true });
        let x86 = codegen_x86::compile_program(&code, &source, &codegen_x86::Options::default());
        match (&arm, &x86) {
            (Ok(_), Ok(_)) => compiled += 1,
            (Err(a), Err(x)) => assert_eq!(a, x, "{name}"),
            _ => panic!(
                "{name}: arm {:?}, x86 {:?}",
                arm.as_ref().err(),
                x86.as_ref().err()
            ),
        }
    }
    assert!(compiled > 20);
}

fn collect_py(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_py(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

/// Every function's listing text, assembled by GNU as, gives exactly the
/// bytes in the object (relocation fields included: REL addends are in
/// place, as GNU as writes them).
#[test]
fn listing_reassembles_to_the_same_bytes() {
    if Command::new("arm-none-eabi-as")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "SKIPPED: arm-none-eabi-as is not installed (apt-get install binutils-arm-none-eabi)"
        );
        return;
    }
    let src = "def f(a, b):\n    x = [a, b, 3]\n    x[0] = a * b // 3 % 7\n    \
               return x[1] << 2 >> 1 ^ -a | b & 5 if a is not None else x\n\
               n = 0\nfor i in range(5):\n    n = n + f(i, 2)[0] - 1\n    \
               if n >= 3 or n == 9:\n        print(n, b'ab'[1])\nprint(n)\n";
    let c = compile("gnu", src).unwrap();
    let text = &c.object.sections[0].bytes;
    let listing = c.listing.unwrap();
    for (symbol, asm) in split_listing(&listing) {
        let s = c.object.symbols.iter().find(|s| s.name == symbol).unwrap();
        let ours = &text[s.offset as usize..(s.offset + s.size) as usize];
        let theirs = gnu_as(&symbol, &asm);
        assert_eq!(ours, &theirs[..], "{symbol}:\n{asm}");
    }
}

/// (function symbol, GNU as source) per function of a listing.
fn split_listing(listing: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in listing.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            out.push((line.trim_end_matches(':').to_string(), String::new()));
            continue;
        }
        let Some((_, asm)) = out.last_mut() else {
            continue;
        };
        let t = line.trim();
        if t.starts_with(".L") && t.ends_with(':') {
            asm.push_str(t);
            asm.push('\n');
        } else if line.len() > 23
            && line[4..10].trim().chars().all(|c| c.is_ascii_hexdigit())
            && &line[10..12] == ": "
        {
            let insn = line[23..].split("  @ ").next().unwrap();
            asm.push('\t');
            asm.push_str(insn);
            asm.push('\n');
        }
    }
    out
}

fn gnu_as(name: &str, asm: &str) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!(
        "codegen-arm-gnu-{}-{}",
        std::process::id(),
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let s = dir.join("f.s");
    std::fs::write(&s, format!(".syntax unified\n.thumb\n{asm}")).unwrap();
    let o = dir.join("f.o");
    let bin = dir.join("f.bin");
    let st = Command::new("arm-none-eabi-as")
        .args(["-mcpu=cortex-m3", "-o"])
        .arg(&o)
        .arg(&s)
        .status()
        .unwrap();
    assert!(
        st.success(),
        "GNU as rejected the listing of {name}:\n{asm}"
    );
    let st = Command::new("arm-none-eabi-objcopy")
        .args(["-O", "binary", "-j", ".text"])
        .arg(&o)
        .arg(&bin)
        .status()
        .unwrap();
    assert!(st.success());
    let bytes = std::fs::read(&bin).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    bytes
}

/// CPython's own bytecode for the standard library is large and varied, so
/// a good source of odd input (big frames, many constants and globals,
/// long functions). Every module must compile or be refused (never a
/// panic); a refusal must name a Python feature, not an internal error.
#[test]
fn stdlib_bytecode_compiles_or_is_refused() {
    let Ok(dir) = std::fs::read_dir("/usr/lib/python3.11/__pycache__") else {
        eprintln!("SKIPPED: no CPython 3.11 standard library to read");
        return;
    };
    let mut seen = 0;
    for entry in dir.flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(module) = name.strip_suffix(".cpython-311.pyc") else {
            continue;
        };
        let Ok(source) = std::fs::read_to_string(format!("/usr/lib/python3.11/{module}.py")) else {
            continue;
        };
        let Ok(code) = frontend::marshal::read_pyc(&std::fs::read(&path).unwrap()) else {
            continue;
        };
        seen += 1;
        if let Err(u) = compile_program(&code, &source, &Options { listing: true }) {
            assert!(!u.what.contains("internal"), "{module}: {u}");
            assert!(u.line >= 1 && u.col >= 1, "{module}: {u}");
        }
    }
    assert!(seen > 50);
}

/// Frames past what `ldr [r7, #imm12]` reaches are refused by name;
/// constant and global tables past 4 KiB are reached with an `add`.
#[test]
fn large_frames_are_refused_large_tables_reached() {
    let mut src = String::from("def f():\n");
    for i in 0..1100 {
        src.push_str(&format!("    v{i} = {i}\n"));
    }
    let u = compile("frame", &src)
        .err()
        .expect("a 1100-local function is refused");
    assert!(u.what.contains("at most 1023 on Cortex-M"), "{u}");

    let mut src = String::new();
    for i in 0..1100 {
        src.push_str(&format!("g{i} = 'c{i}'\n"));
    }
    src.push_str("print(g1099, g0)\n");
    let l = compile("tables", &src).unwrap().listing.unwrap();
    assert!(l.contains("add.w r3, r3, #0x1000"), "{l}"); // a global past 4 KiB
    assert!(l.contains("add.w r0, r0, #0x1000"), "{l}"); // a constant past 4 KiB
}
