//! The inline small-int operations of BINARY_OP, run on a Cortex-M3 under
//! `qemu-system-arm -M mps2-an385` over boundary operands, against
//! CPython's results: a fast-path result must be CPython's; the slow path
//! (the runtime helper) may be taken only when CPython raises, the result
//! is not a 31-bit small int, or a left shift count exceeds 31.
//!
//! The image is bare: a vector table, straight-line code that runs each
//! operation (register and immediate forms) and stores the word it returns
//! (0 = "took the slow path"), and
//! semihosting calls that write the words to stdout and exit.

use codegen_arm::smallint::{self, *};
use codegen_arm::thumb::{ptr, Assembler, LR, R0, R1, R4, R5};
use std::process::{Command, Stdio};

const OPS: [(u32, &str); 10] = [
    (NB_ADD, "+"),
    (NB_SUBTRACT, "-"),
    (NB_MULTIPLY, "*"),
    (NB_FLOOR_DIVIDE, "//"),
    (NB_REMAINDER, "%"),
    (NB_AND, "&"),
    (NB_OR, "|"),
    (NB_XOR, "^"),
    (NB_LSHIFT, "<<"),
    (NB_RSHIFT, ">>"),
];

const VALUES: [i64; 22] = [
    0,
    1,
    -1,
    2,
    -2,
    3,
    -7,
    30,
    31,
    32,
    33,
    100,
    -100,
    1 << 15,
    46341,
    -46341,
    (1 << 29) + 3,
    -(1 << 29) - 3,
    (1 << 30) - 1,
    -(1 << 30),
    (1 << 30) - 2,
    -(1 << 30) + 1,
];

const RESULTS: u32 = 0x2000_0000;
const PARAMS: u32 = 0x2000_f000;

fn tag(x: i64) -> u32 {
    ((x << 1) | 1) as u32
}

/// The firmware image (loaded at address 0) and the cases it runs.
fn image() -> (Vec<u8>, Vec<(usize, i64, i64)>) {
    let mut a = Assembler::new();
    a.word(PARAMS + 0x1000).unwrap(); // initial sp
    a.word(12 | 1).unwrap(); // reset handler (Thumb)
    a.word(u32::from_le_bytes(*b":tt\0")).unwrap(); // at 8
    let ops: Vec<_> = OPS.iter().map(|_| a.new_label()).collect();
    let mut cases = Vec::new();
    a.mov32(R4, RESULTS).unwrap();
    for (k, _) in OPS.iter().enumerate() {
        for &x in &VALUES {
            for &y in &VALUES {
                a.mov32(R0, tag(x)).unwrap();
                a.mov32(R1, tag(y)).unwrap();
                a.bl_label(ops[k]).unwrap();
                a.str(R0, ptr(R4, 0)).unwrap();
                a.add(R4, R4, 4).unwrap();
                cases.push((k, x, y));
            }
        }
    }
    // The same operations with the constant in the instruction.
    for (k, &(op, _)) in OPS.iter().enumerate() {
        for &x in &VALUES {
            for &y in &VALUES {
                if !smallint::flag_setting_imm(2 * y) {
                    continue;
                }
                let (slow, store) = (a.new_label(), a.new_label());
                a.mov32(R0, tag(x)).unwrap();
                if !smallint::binary_op_imm(&mut a, op, tag(y) as i32, slow).unwrap() {
                    continue;
                }
                a.b(store).unwrap();
                a.bind(slow).unwrap();
                a.movs(R0, 0).unwrap();
                a.bind(store).unwrap();
                a.str(R0, ptr(R4, 0)).unwrap();
                a.add(R4, R4, 4).unwrap();
                cases.push((k, x, y));
            }
        }
    }
    let semihost = |a: &mut Assembler, op: u32, params: &[u32]| {
        for (i, &p) in params.iter().enumerate() {
            a.mov32(R0, p).unwrap();
            a.str(R0, ptr(R5, 4 * i as i32)).unwrap();
        }
        a.mov32(R0, op).unwrap();
        a.mov(R1, R5).unwrap();
        a.bkpt(0xab).unwrap();
    };
    a.mov32(R5, PARAMS).unwrap();
    semihost(&mut a, 0x01, &[8, 4, 3]); // SYS_OPEN(":tt", "w")
    a.str(R0, ptr(R5, 0)).unwrap(); // the handle
    a.mov32(R0, RESULTS).unwrap();
    a.str(R0, ptr(R5, 4)).unwrap();
    a.mov32(R0, 4 * cases.len() as u32).unwrap();
    a.str(R0, ptr(R5, 8)).unwrap();
    a.mov32(R0, 0x05).unwrap(); // SYS_WRITE
    a.mov(R1, R5).unwrap();
    a.bkpt(0xab).unwrap();
    semihost(&mut a, 0x20, &[0x20026, 0]); // SYS_EXIT_EXTENDED
    for (k, &(op, _)) in OPS.iter().enumerate() {
        let slow = a.new_label();
        a.bind(ops[k]).unwrap();
        assert!(smallint::binary_op(&mut a, op, slow).unwrap());
        a.bx(LR).unwrap();
        a.bind(slow).unwrap();
        a.movs(R0, 0).unwrap();
        a.bx(LR).unwrap();
    }
    let code = a.finish().unwrap();
    assert!(code.relocs.is_empty());
    (code.bytes, cases)
}

/// CPython's result per case: `Some(n)` or `None` when it raises.
fn cpython(cases: &[(usize, i64, i64)]) -> Vec<Option<i64>> {
    let input: String = cases
        .iter()
        .map(|&(k, x, y)| format!("{} {} {}\n", OPS[k].1, x, y))
        .collect();
    let script = r#"
import sys
for line in sys.stdin:
    op, x, y = line.split()
    try:
        print(eval(f"({x}) {op} ({y})"))
    except Exception:
        print("E")
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().ok())
        .collect()
}

#[test]
fn inline_small_int_ops_match_cpython_on_a_cortex_m3() {
    if Command::new("qemu-system-arm")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: qemu-system-arm is not installed (see test.sh)");
        return;
    }
    let (bytes, cases) = image();
    let dir = std::env::temp_dir().join(format!("codegen-arm-smallint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kernel = dir.join("ops.bin");
    std::fs::write(&kernel, &bytes).unwrap();
    let out = Command::new("timeout")
        .arg("20")
        .arg("qemu-system-arm")
        .args(["-M", "mps2-an385", "-display", "none", "-monitor", "none"])
        .args(["-serial", "none", "-chardev", "stdio,id=sh"])
        .args(["-semihosting-config", "enable=on,target=native,chardev=sh"])
        .arg("-kernel")
        .arg(&kernel)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "qemu: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.stdout.len(),
        4 * cases.len(),
        "words written by the image"
    );
    let want = cpython(&cases);
    let small = |n: i64| (-(1 << 30)..1 << 30).contains(&n);
    let mut fast = 0;
    for (i, &(k, x, y)) in cases.iter().enumerate() {
        let word = u32::from_le_bytes(out.stdout[4 * i..4 * i + 4].try_into().unwrap());
        let what = format!("{x} {} {y}", OPS[k].1);
        if word == 0 {
            let may_be_slow = match want[i] {
                None => true,
                Some(n) => !small(n) || (OPS[k].0 == NB_LSHIFT && y > 31),
            };
            assert!(
                may_be_slow,
                "{what}: slow path, CPython gives {:?}",
                want[i]
            );
        } else {
            assert_eq!(word & 1, 1, "{what}: untagged result {word:#x}");
            let got = (word as i32 >> 1) as i64;
            assert_eq!(Some(got), want[i], "{what}");
            fast += 1;
        }
    }
    assert!(fast > cases.len() / 2);
}
