//! The compiler never panics: mangled versions of the test programs (lines
//! dropped, truncated, characters swapped) must compile or be rejected with
//! an error.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn mangled_programs_do_not_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    match std::env::var("PYAOT_CORPUS") {
        Ok(dir) => collect(Path::new(&dir), &mut files),
        Err(_) => {
            collect(&root.join("../tests/programs"), &mut files);
            collect(&root.join("tests/cases"), &mut files);
        }
    }
    files.sort();
    let mut rng = Lcg(7);
    let tokens = [
        "(", ")", ":", "=", "*", "**", "lambda", "yield", "return", "\n    ", "[", "]", ",", "not",
        "if",
    ];
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap_or_default();
        let lines: Vec<&str> = src.lines().collect();
        for round in 0..12 {
            let mut v = lines.clone();
            if !v.is_empty() {
                let i = rng.next(v.len());
                match round % 3 {
                    0 => {
                        v.remove(i);
                    }
                    1 => v.truncate(i),
                    _ => {}
                }
            }
            let mut text = v.join("\n");
            if round % 3 == 2 && !text.is_empty() {
                let mut at = rng.next(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, tokens[rng.next(tokens.len())]);
            }
            let r = frontend::compile_module(&text, "m.py");
            if let Err(frontend::CompileError::Unsupported { what, .. }) = &r {
                assert!(
                    !what.contains("internal compiler error"),
                    "{}: {what}\n{text}",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn deep_nesting_does_not_crash() {
    let expr = vec!["1"; 3000].join(" + ");
    let r = frontend::compile_module(&format!("x = {expr}\ny = x\n"), "m.py");
    assert!(r.is_ok());
    let nested = format!("x = {}1{}\n", "(".repeat(150), ")".repeat(150));
    let _ = frontend::compile_module(&nested, "m.py");
}
