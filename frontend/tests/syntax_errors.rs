//! Syntax errors: message, line and column compared with CPython 3.11's
//! `compile()` for the same source.

use std::process::Command;

use frontend::{compile_module, CompileError};

/// (msg, line, col) of CPython's SyntaxError for `src`.
fn cpython_error(src: &str) -> Option<(String, u32, u32)> {
    let script = "import sys\nsrc = sys.stdin.read()\ntry:\n    compile(src, 'app.py', 'exec')\nexcept SyntaxError as e:\n    print(e.msg); print(e.lineno); print(e.offset)\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    child.stdin.take()?.write_all(src.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut lines = text.lines();
    let msg = lines.next()?.to_string();
    let line = lines.next()?.parse().ok()?;
    let col = lines.next()?.parse().ok()?;
    Some((msg, line, col))
}

const CASES: &[&str] = &[
    "x = (1 +\n",
    "if x\n    pass\n",
    "return 1\n",
    "break\n",
    "continue\n",
    "def f():\n    x = 1\n    global x\n",
    "def f():\n    print(x)\n    global x\n",
    "def f(a):\n    global a\n",
    "def f():\n    nonlocal y\n",
    "nonlocal z\n",
    "x = [1, 2\ny = 3\n",
    "f(a=1, a=2)\n",
    "def f():\n    yield 1\n    return 2\nclass C:\n    yield 3\n",
    "x = 1 +\n",
    "for x in y:\n    pass\n  pass\n",
    "def f(a, a): pass\n",
    "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
    "a, *b, *c = d\n",
    "__debug__ = 1\n",
    "f() = 1\n",
    "1 = x\n",
    "a + 1 = 2\n",
    "del f()\n",
    "(a, 1) = x\n",
    "x += 1, 2\n",
    "[a, b] += 1\n",
    "f(x for x in y, 1)\n",
    "def f(x=1, y): pass\n",
    "f(**k, *a)\n",
    "f(a=1, b)\n",
    "lambda: (yield)\nyield x\n",
    "await x\n",
    "async def f():\n    yield from x\n",
    "x = *a\n",
    "print(*a if b else c)\n",
    "for x in 1,2:\n  pass\nelse pass\n",
    "class A:\n    def f(self):\n        nonlocal x\n",
    "def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n",
    "import a.b as\n",
    "from x import (a, b\n",
    "if True:\npass\n",
    "  x = 1\n",
    "x = 'abc\n",
    "x = \"\"\"abc\n",
    "x = 0777\n",
    "x = 1__0\n",
    "x = $\n",
    "type X = int\n",
    "def f[T](x): pass\n",
    "class C[T]: pass\n",
    "x = f\"{\"a\"}\"\n",
    "def f(*, **k): pass\n",
    "f(a.b=1)\n",
    "f(__debug__=1)\n",
    "def f(__debug__): pass\n",
    "a.__debug__ = 1\n",
    "*a = b\n",
    "del *a, b\n",
    "class A:\n    return 1\n",
    "x = yield 1\n",
    "def f():\n    x = 1\n    nonlocal x\n",
    "None = 1\n",
    "True = 1\n",
    "for 1 in x: pass\n",
    "with a as 1: pass\n",
    "[x for 1 in y]\n",
    "(a, b) += 1\n",
    "x: int, y: int = 1, 2\n",
    "f() += 1\n",
    "def f():\n    return\n    yield\n    return 1\n    [(yield x) for x in y]\n",
    "b'\u{e9}'\n",
    "x = 1 if 2\n",
    "print 'hello'\n",
    "else: pass\n",
    "def f(:\n",
    "def g(a, *  , **k): pass\n",
    "lambda *, **k: 1\n",
    "lambda __debug__: 1\n",
    "a = [1]\nprint(a[*a])\n",
    "print(x for x in y, )\n",
    "f\"{}\"\n",
    "f\"{x!z}\"\n",
    "class A(x for x in y): pass\n",
];

#[test]
fn syntax_errors_match_cpython() {
    let mut mismatches = Vec::new();
    let mut exact = 0;
    // The project's syntax-error programs join the inline cases.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/errors/syntax");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let all: Vec<&str> = CASES
        .iter()
        .copied()
        .chain(files.iter().map(|s| s.as_str()))
        .collect();
    for src in &all {
        let Some((msg, line, col)) = cpython_error(src) else {
            continue;
        };
        match compile_module(src, "app.py") {
            Err(CompileError::Syntax {
                msg: m,
                line: l,
                col: c,
                ..
            }) => {
                if (m.as_str(), l, c) == (msg.as_str(), line, col) {
                    exact += 1;
                } else {
                    mismatches.push(format!(
                        "{src:?}: want {msg:?} {line}:{col}, got {m:?} {l}:{c}"
                    ));
                }
            }
            other => mismatches.push(format!("{src:?}: want SyntaxError {msg:?}, got {other:?}")),
        }
    }
    for m in &mismatches {
        eprintln!("{m}");
    }
    eprintln!("syntax errors identical to CPython: {exact}/{}", all.len());
    // Every case must at least be rejected (never compiled); most must
    // match CPython's message and position exactly.
    assert!(
        mismatches.iter().all(|m| !m.contains("got Ok(")),
        "accepted invalid programs: {mismatches:#?}"
    );
    assert!(
        exact * 10 >= all.len() * 8,
        "only {exact} exact syntax errors"
    );
}

#[test]
fn display_shapes() {
    let e = compile_module("x = 1\ny = (1 +\n", "app.py").unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("  File \"app.py\", line 2\n"), "{text}");
    assert!(
        text.ends_with("SyntaxError: '(' was never closed"),
        "{text}"
    );
    let e = compile_module("x = '\\ud800'\n", "app.py").unwrap_err();
    assert_eq!(
        e.to_string(),
        "app.py:1:6: unsupported: string literals with lone surrogate code points"
    );
}
