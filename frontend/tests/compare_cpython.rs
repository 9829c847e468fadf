//! Compares pyaot's code objects with CPython 3.11's, field by field.
//!
//! `dump_code.py` prints CPython's view of a file; `dump` below prints ours
//! in the same text form. `compare_all` runs over tests/programs/**/*.py and
//! frontend/tests/cases/*.py and reports the share of identical code objects.
//! `PYAOT_DUMP=file.py cargo test -p frontend --test compare_cpython dump_one
//! -- --ignored --nocapture` prints both dumps and a diff for one file.

use std::path::{Path, PathBuf};
use std::process::Command;

use frontend::code::{CodeObject, Constant};

fn fmt_str(s: &str) -> String {
    let mut out = String::from("'");
    for ch in s.chars() {
        match ch {
            '\\' | '\'' => {
                out.push('\\');
                out.push(ch);
            }
            ' '..='~' => out.push(ch),
            _ => out.push_str(&format!("\\u{{{:x}}}", ch as u32)),
        }
    }
    out.push('\'');
    out
}

fn fmt_bytes(b: &[u8]) -> String {
    let mut out = String::from("b'");
    for &o in b {
        let ch = o as char;
        match ch {
            '\\' | '\'' => {
                out.push('\\');
                out.push(ch);
            }
            ' '..='~' => out.push(ch),
            _ => out.push_str(&format!("\\x{o:02x}")),
        }
    }
    out.push('\'');
    out
}

fn fmt_float(f: f64) -> String {
    format!("float({:016x})", f.to_bits())
}

fn fmt_const(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::Ellipsis => "Ellipsis".into(),
        Constant::Bool(b) => if *b { "True" } else { "False" }.into(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => fmt_float(*f),
        Constant::Complex { re, im } => format!("complex({}, {})", fmt_float(*re), fmt_float(*im)),
        Constant::Str(s) => fmt_str(s),
        Constant::Bytes(b) => fmt_bytes(b),
        Constant::Tuple(t) if t.len() == 1 => format!("({},)", fmt_const(&t[0])),
        Constant::Tuple(t) => format!(
            "({})",
            t.iter().map(fmt_const).collect::<Vec<_>>().join(", ")
        ),
        Constant::FrozenSet(t) => {
            let mut v: Vec<String> = t.iter().map(fmt_const).collect();
            v.sort();
            format!("frozenset({})", v.join(", "))
        }
        Constant::Code(co) => format!("<code {}>", co.qualname),
    }
}

fn opname(op: u8) -> String {
    match frontend::opcode::Opcode::from_u8(op) {
        Some(o) => o.name().to_string(),
        None => format!("<{op}>"),
    }
}

/// One code object (and its nested ones) in dump_code.py's format.
pub fn dump(co: &CodeObject, out: &mut Vec<String>) {
    use frontend::code::kinds;
    out.push(format!(
        "code {} name={} firstlineno={}",
        co.qualname, co.name, co.firstlineno
    ));
    out.push(format!(
        "  args={} posonly={} kwonly={} stacksize={} flags=0x{:x}",
        co.argcount, co.posonlyargcount, co.kwonlyargcount, co.stacksize, co.flags
    ));
    out.push(format!(
        "  consts: {}",
        co.consts
            .iter()
            .map(fmt_const)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.push(format!("  names: {}", co.names.join(" ")));
    let mut varnames = Vec::new();
    let mut cells = Vec::new();
    let mut frees = Vec::new();
    for (n, k) in co.localsplusnames.iter().zip(&co.localspluskinds) {
        if k & kinds::CO_FAST_LOCAL != 0 {
            varnames.push(n.clone());
        }
        if k & kinds::CO_FAST_CELL != 0 {
            cells.push(n.clone());
        }
        if k & kinds::CO_FAST_FREE != 0 {
            frees.push(n.clone());
        }
    }
    let mut localsplus = varnames.clone();
    localsplus.extend(cells.iter().filter(|c| !varnames.contains(c)).cloned());
    localsplus.extend(frees.iter().cloned());
    out.push(format!("  localsplus: {}", localsplus.join(" ")));
    out.push(format!(
        "  cellvars: {} | freevars: {}",
        cells.join(" "),
        frees.join(" ")
    ));
    out.push(format!("  linetable: {}", hex(&co.linetable)));
    out.push(format!("  exceptiontable: {}", hex(&co.exceptiontable)));
    let positions = frontend::locations::decode(co.firstlineno, &co.linetable, co.code.len() / 2);
    for (i, pair) in co.code.chunks(2).enumerate() {
        let (op, arg) = (pair[0], pair.get(1).copied().unwrap_or(0));
        if op == 0 {
            if arg != 0 {
                out.push(format!("    CACHE {arg}"));
            }
            continue;
        }
        let p = positions[i];
        let f = |x: Option<u32>| x.map_or("-".to_string(), |v| v.to_string());
        out.push(format!(
            "    {} {} @{},{},{},{}",
            opname(op),
            arg,
            f(p.line),
            f(p.end_line),
            f(p.col),
            f(p.end_col)
        ));
    }
    for c in &co.consts {
        if let Constant::Code(inner) = c {
            dump(inner, out);
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn ours(path: &Path) -> Vec<String> {
    let mut out = vec![format!("=== {}", path.display())];
    let src = std::fs::read_to_string(path).unwrap_or_default();
    match frontend::compile_module(&src, &path.display().to_string()) {
        Ok(co) => dump(&co, &mut out),
        Err(frontend::CompileError::Syntax { .. }) => out.push("SyntaxError".into()),
        Err(e) => out.push(format!("UNSUPPORTED {e}")),
    }
    out
}

fn cpython(paths: &[PathBuf]) -> Vec<Vec<String>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dump_code.py");
    let out = Command::new("python3")
        .arg(script)
        .args(paths)
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut files: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        if line.starts_with("=== ") {
            files.push(Vec::new());
        }
        if let Some(f) = files.last_mut() {
            f.push(line.to_string());
        }
    }
    files
}

/// Split a dump into code objects (each starts with a `code ` line).
fn objects(lines: &[String]) -> Vec<Vec<String>> {
    let mut objs: Vec<Vec<String>> = Vec::new();
    for l in lines.iter().skip(1) {
        if l.starts_with("code ") || objs.is_empty() {
            objs.push(Vec::new());
        }
        objs.last_mut().unwrap().push(l.clone());
    }
    objs
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
}

fn programs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = Vec::new();
    // PYAOT_CORPUS=dir compares every .py file under dir instead.
    if let Ok(dir) = std::env::var("PYAOT_CORPUS") {
        collect(Path::new(&dir), &mut v);
        return v;
    }
    collect(&root.join("../tests/programs"), &mut v);
    collect(&root.join("tests/cases"), &mut v);
    v
}

/// Compares every file; returns identical and total code objects, the
/// number of files pyaot refused as unsupported, and one line per
/// differing code object.
fn compare_paths(paths: &[PathBuf]) -> (usize, usize, usize, usize, Vec<String>) {
    let theirs = cpython(paths);
    let (mut same, mut total, mut files_same) = (0, 0, 0);
    let mut report = Vec::new();
    let mut unsupported = 0;
    for (path, want) in paths.iter().zip(&theirs) {
        let got = ours(path);
        if got.get(1).is_some_and(|l| l.starts_with("UNSUPPORTED")) {
            unsupported += 1;
            if std::env::var("PYAOT_SHOW_UNSUPPORTED").is_ok() {
                eprintln!("{}", got[1]);
            }
            continue;
        }
        let (wo, go) = (objects(want), objects(&got));
        let mut file_ok = wo.len() == go.len();
        for (i, w) in wo.iter().enumerate() {
            total += 1;
            if go.get(i) == Some(w) {
                same += 1;
            } else {
                file_ok = false;
                let g = go.get(i).cloned().unwrap_or_default();
                let empty = String::new();
                let first = w
                    .iter()
                    .zip(g.iter().chain(std::iter::repeat(&empty)))
                    .filter(|(a, _)| !a.starts_with("  linetable"))
                    .find(|(a, b)| a != b)
                    .or_else(|| w.iter().zip(g.iter()).find(|(a, b)| a != b));
                report.push(format!(
                    "{}: {} differs at: want `{}` got `{}`",
                    path.display(),
                    w[0],
                    first.map_or("", |f| f.0.as_str()),
                    first.map_or("", |f| f.1.as_str())
                ));
            }
        }
        if file_ok {
            files_same += 1;
        }
    }
    (same, total, files_same, unsupported, report)
}

#[test]
fn compare_all() {
    let paths = programs();
    if paths.is_empty() {
        return;
    }
    let (same, total, files_same, unsupported, report) = compare_paths(&paths);
    for r in &report {
        eprintln!("{r}");
    }
    eprintln!(
        "identical code objects: {same}/{total} ({:.1}%), identical files: {files_same}/{} ({unsupported} files unsupported)",
        100.0 * same as f64 / total.max(1) as f64,
        paths.len()
    );
    if let Ok(min) = std::env::var("PYAOT_MIN_SHARE") {
        let min: f64 = min.parse().unwrap_or(0.0);
        assert!(
            100.0 * same as f64 / total.max(1) as f64 >= min,
            "share below {min}%"
        );
    } else if std::env::var("PYAOT_CORPUS").is_err() {
        assert_eq!(same, total, "code objects differ from CPython's");
    }
}

/// Random programs from `gen_programs.py` and `gen_folding.py` (PYAOT_GEN_COUNT of each, 30 by
/// default) must compile to exactly CPython's code objects.
#[test]
fn generated_programs_match() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let count: u32 = std::env::var("PYAOT_GEN_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let dir = std::env::temp_dir().join(format!("pyaot-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for seed in 1..=count {
        for gen in ["gen_programs", "gen_folding"] {
            let out = Command::new("python3")
                .arg(root.join(format!("tests/{gen}.py")))
                .arg(seed.to_string())
                .output()
                .expect("python3 runs");
            let p = dir.join(format!("{gen}{seed}.py"));
            std::fs::write(&p, &out.stdout).unwrap();
            paths.push(p);
        }
    }
    let (same, total, _, unsupported, report) = compare_paths(&paths);
    let _ = std::fs::remove_dir_all(&dir);
    for r in &report {
        eprintln!("{r}");
    }
    eprintln!("generated programs: {same}/{total} code objects identical");
    assert_eq!(unsupported, 0);
    assert_eq!(same, total, "generated programs differ from CPython");
}

#[test]
#[ignore]
fn dump_one() {
    let Ok(f) = std::env::var("PYAOT_DUMP") else {
        return;
    };
    let p = PathBuf::from(f);
    let want = cpython(std::slice::from_ref(&p)).pop().unwrap_or_default();
    let got = ours(&p);
    let n = want.len().max(got.len());
    let mut shown = 0;
    for i in 0..n {
        let w = want.get(i).map_or("", |s| s.as_str());
        let g = got.get(i).map_or("", |s| s.as_str());
        if w == g {
            println!("  {w}");
        } else {
            println!("- {w}\n+ {g}");
            shown += 1;
        }
    }
    println!("{shown} differing lines");
}

/// Independent oracle: marshal pyaot's code object, load it in CPython and
/// compare every attribute (recursively) with `compile()`'s result.
#[test]
fn marshalled_code_equals_cpython() {
    let paths = programs();
    if paths.is_empty() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("pyaot-compiler-eq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut pairs = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let src = std::fs::read_to_string(path).unwrap_or_default();
        let filename = path.display().to_string();
        if let Ok(co) = frontend::compile_module(&src, &filename) {
            let out = dir.join(format!("{i}.marshal"));
            std::fs::write(
                &out,
                frontend::marshal::dumps(&Constant::Code(Box::new(co))),
            )
            .unwrap();
            pairs.push(format!("{}\n{}", out.display(), filename));
        }
    }
    let list = dir.join("pairs.txt");
    std::fs::write(&list, pairs.join("\n") + "\n").unwrap();
    let script = r#"
import marshal, sys
ATTRS = ("co_code", "co_names", "co_varnames", "co_cellvars", "co_freevars", "co_stacksize",
         "co_flags", "co_linetable", "co_exceptiontable", "co_firstlineno", "co_qualname",
         "co_name", "co_filename", "co_argcount", "co_posonlyargcount", "co_kwonlyargcount",
         "co_nlocals")
def same(a, b, where):
    if hasattr(a, "co_code") != hasattr(b, "co_code"):
        return where + ": code vs non-code"
    if not hasattr(a, "co_code"):
        if type(a) is not type(b) or (a != b and not (a != a and b != b)):
            if isinstance(a, (tuple, frozenset)) and type(a) is type(b) and len(a) == len(b):
                if isinstance(a, frozenset):
                    return None if a == b else where + ": frozenset"
                for i, (x, y) in enumerate(zip(a, b)):
                    r = same(x, y, where + "[%d]" % i)
                    if r:
                        return r
                return None
            return where + ": %r != %r" % (a, b)
        return None
    for attr in ATTRS:
        if getattr(a, attr) != getattr(b, attr):
            return "%s.%s differs" % (where + "/" + a.co_qualname, attr)
    if len(a.co_consts) != len(b.co_consts):
        return where + "/" + a.co_qualname + ": co_consts length"
    for i, (x, y) in enumerate(zip(a.co_consts, b.co_consts)):
        r = same(x, y, where + "/" + a.co_qualname + ".co_consts[%d]" % i)
        if r:
            return r
    return None
lines = open(sys.argv[1]).read().split("\n")
bad = 0
total = 0
for i in range(0, len(lines) - 1, 2):
    total += 1
    mine = marshal.loads(open(lines[i], "rb").read())
    src = open(lines[i + 1], "rb").read()
    theirs = compile(src, lines[i + 1], "exec", dont_inherit=True)
    r = same(mine, theirs, lines[i + 1])
    if r:
        bad += 1
        print(r)
print("equal: %d/%d" % (total - bad, total))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&list)
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    eprintln!("{text}{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success());
    if std::env::var("PYAOT_CORPUS").is_err() {
        assert!(
            text.lines().count() == 1,
            "code objects differ from CPython's"
        );
    }
}
