//! Compile real CPython 3.11 code objects (from `python3 -m py_compile`) and
//! check the object module and the listing.

use codegen_x86::{compile_program, supported_opcodes, Compiled, Options, Unsupported};
use frontend::opcode::Opcode;
use link::{RelocKind, SectionKind};
use std::path::PathBuf;
use std::process::Command;

/// CPython's code object for `source`, compiled as `t.py`.
fn cpython_code(name: &str, source: &str) -> frontend::code::CodeObject {
    let dir = std::env::temp_dir().join(format!("codegen-x86-test-{}-{name}", std::process::id()));
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
    let sym = |n: &str| o.symbols.iter().find(|s| s.name == n);
    let module = sym("t.py:<module>").expect("module function");
    let fib = sym("t.py:fib").expect("fib function");
    assert_eq!(o.sections[module.section].kind, SectionKind::Text);
    assert!(fib.size > 0 && !fib.global);
    let program = sym("pyaot_program").expect("program record");
    assert!(program.global);
    // The ABI's records, as the host (x86-64) lays them out.
    assert_eq!(program.size, size_of::<frontend::rt::Program>() as u64);
    assert_eq!(
        sym("t.py:fib:info").unwrap().size,
        size_of::<frontend::rt::CodeInfo>() as u64
    );
    let calls: Vec<&str> = o
        .relocs
        .iter()
        .filter(|r| r.kind == RelocKind::X86Plt32)
        .map(|r| r.symbol.as_str())
        .collect();
    for helper in ["pyrt_make_function", "pyrt_call", "pyrt_traceback_here"] {
        assert!(calls.contains(&helper), "no call to {helper}");
    }
    // Small-int arithmetic and compares are inline: no generic helper.
    assert!(!calls.contains(&"pyrt_compare_op"));
    assert!(o
        .relocs
        .iter()
        .any(|r| r.symbol == "pyrt_recursion_depth" && r.kind == RelocKind::X86Pc32));
    // CodeInfo.entry points at the function.
    assert!(o
        .relocs
        .iter()
        .any(|r| r.symbol == "t.py:fib" && r.kind == RelocKind::X86Abs64));
}

#[test]
fn listing_groups_code_by_opcode() {
    let c = compile("listing", FIB).unwrap();
    let l = c.listing.unwrap();
    assert!(l.contains("t.py:fib:\n"));
    assert!(l.contains("   6 COMPARE_OP 0 (<)"), "{l}");
    assert!(l.contains("BINARY_OP 10 (-)"));
    // n < 2 compares the tagged word with an immediate; n - 1 subtracts one.
    assert!(l.contains("cmp $5,%rax"), "{l}");
    assert!(l.contains("sub $2,%rax"), "{l}");
    assert!(l.contains("call pyrt_call"));
    assert!(l.contains("(error exit)"));
}

fn refusal(name: &str, source: &str) -> Unsupported {
    match compile(name, source) {
        Err(u) => u,
        Ok(_) => panic!("{name} compiled"),
    }
}

#[test]
fn unsupported_features_are_refused_with_their_location() {
    let u = refusal("class", "x = 1\nclass A:\n    pass\n");
    assert_eq!(
        (u.line, u.col, u.what.as_str()),
        (2, 1, "class definitions")
    );
    let u = refusal("sorted", "a = [3, 1]\nprint(sorted(a))\n");
    assert_eq!((u.line, u.col, u.what.as_str()), (2, 7, "builtin 'sorted'"));
    let u = refusal("sort", "a = [3, 1]\na.sort()\n");
    assert_eq!((u.line, u.what.as_str()), (2, "attribute 'sort'"));
    let u = refusal("os", "import os\n");
    assert_eq!((u.line, u.what.as_str()), (1, "module 'os'"));
    let u = refusal("try", "try:\n    x = 1\nexcept ValueError:\n    pass\n");
    assert_eq!(u.what, "try statements");
    let u = refusal("gen", "def g():\n    yield 1\n");
    assert_eq!((u.line, u.what.as_str()), (1, "generators"));
    let u = refusal("fstr", "x = 1\nprint(f'{x}')\n");
    assert_eq!(u.what, "f-strings");
}

#[test]
fn for_over_a_range_steps_inline() {
    let src = "def f(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\nprint(f(10))\n";
    let c = compile("range", src).unwrap();
    let l = c.listing.unwrap();
    assert!(l.contains("FOR_ITER"));
    assert!(l.contains("<pyrt_type_range_iter>(%rip)"), "{l}");
    assert!(
        l.contains("call pyrt_for_iter"),
        "slow path for other iterators"
    );
    // `t` and `i` are assigned before use: no unbound-local checks.
    assert!(!l.contains("pyrt_unbound_local"));
}

#[test]
fn unsupported_displays_as_line_col() {
    let u = Unsupported {
        line: 3,
        col: 7,
        what: "f-strings".into(),
    };
    assert_eq!(u.to_string(), "3:7: unsupported: f-strings");
}

#[test]
fn a_shadowed_builtin_is_a_global() {
    assert!(compile("shadow", "def sorted(x):\n    return x\nprint(sorted(1))\n").is_ok());
}

#[test]
fn constants_are_shared_between_code_objects() {
    let c = compile(
        "consts",
        "def f(x):\n    return 'hello' + x\ndef g(x):\n    return x + 'hello'\nprint(f('a'), g('b'))\n",
    )
    .unwrap();
    let blob = c
        .object
        .symbols
        .iter()
        .find(|s| s.name == "pyaot_consts_blob")
        .unwrap();
    let bytes = &c.object.sections[blob.section].bytes
        [blob.offset as usize..(blob.offset + blob.size) as usize];
    let hello = bytes.windows(5).filter(|w| w == b"hello").count();
    assert_eq!(hello, 1);
}

#[test]
fn opcode_coverage_comes_from_the_templates() {
    let ops = supported_opcodes();
    for op in [
        Opcode::LOAD_FAST,
        Opcode::CALL,
        Opcode::FOR_ITER,
        Opcode::BINARY_OP,
    ] {
        assert!(ops.contains(&op));
    }
    assert!(!ops.contains(&Opcode::LOAD_BUILD_CLASS));
    assert!(!ops.contains(&Opcode::YIELD_VALUE));
}

/// CPython's own standard library, as bytecode: mostly outside the subset,
/// so a good source of odd input. Every module must compile or be refused
/// (never a panic); a refusal must name a Python feature, not an internal
/// error.
#[test]
fn stdlib_bytecode_compiles_or_is_refused() {
    let Ok(dir) = std::fs::read_dir("/usr/lib/python3.11/__pycache__") else {
        return; // no CPython installation to read
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

/// A code object with hand-written (malformed) bytecode.
fn raw(code: &[u8], stacksize: u32) -> frontend::code::CodeObject {
    frontend::code::CodeObject {
        argcount: 0,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        stacksize,
        flags: 0,
        code: code.to_vec(),
        consts: vec![frontend::code::Constant::None],
        names: vec![],
        localsplusnames: vec![],
        localspluskinds: vec![],
        filename: "t.py".into(),
        name: "<module>".into(),
        qualname: "<module>".into(),
        firstlineno: 1,
        linetable: vec![],
        exceptiontable: vec![],
    }
}

#[test]
fn malformed_bytecode_is_refused_not_miscompiled() {
    let op = |o: Opcode| o as u8;
    let cases: Vec<(Vec<u8>, u32)> = vec![
        // NOP, then nothing: runs past the end.
        (vec![op(Opcode::NOP), 0], 0),
        // POP_TOP on an empty stack.
        (
            vec![
                op(Opcode::POP_TOP),
                0,
                op(Opcode::LOAD_CONST),
                0,
                op(Opcode::RETURN_VALUE),
                0,
            ],
            1,
        ),
        // LOAD_CONST beyond co_stacksize.
        (
            vec![op(Opcode::LOAD_CONST), 0, op(Opcode::RETURN_VALUE), 0],
            0,
        ),
        // LOAD_CONST of a constant that does not exist.
        (
            vec![op(Opcode::LOAD_CONST), 9, op(Opcode::RETURN_VALUE), 0],
            1,
        ),
        // SWAP 0 and COPY 0.
        (
            vec![
                op(Opcode::LOAD_CONST),
                0,
                op(Opcode::SWAP),
                0,
                op(Opcode::RETURN_VALUE),
                0,
            ],
            1,
        ),
        (
            vec![
                op(Opcode::LOAD_CONST),
                0,
                op(Opcode::COPY),
                0,
                op(Opcode::RETURN_VALUE),
                0,
            ],
            2,
        ),
    ];
    for (code, stacksize) in cases {
        let co = raw(&code, stacksize);
        let r = compile_program(&co, "", &Options::default());
        assert!(r.is_err(), "{code:?} compiled");
    }
    // The same shape, well formed, compiles.
    let ok = raw(&[op(Opcode::LOAD_CONST), 0, op(Opcode::RETURN_VALUE), 0], 1);
    assert!(compile_program(&ok, "", &Options::default()).is_ok());
}
