//! Checks every vector that `vectors.py` computes with CPython 3.11.

use super::*;
use core::cmp::Ordering;
use num_bigint::BigInt;
use num_traits::{Num, ToPrimitive};
use std::process::Command;
use std::string::{String, ToString};
use std::vec::Vec;

fn vectors() -> String {
    let script = std::path::Path::new(file!()).with_file_name("vectors.py");
    let output = Command::new("python3")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("running python3 {}: {e}", script.display()));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("vectors are ASCII")
}

fn float(hex: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(hex, 16).expect("float bits"))
}

fn fbits(x: f64) -> String {
    std::format!("{:016x}", x.to_bits())
}

fn int(s: &str) -> BigInt {
    match s.strip_prefix("-0x") {
        Some(h) => -BigInt::from_str_radix(h, 16).unwrap(),
        None => match s.strip_prefix("0x") {
            Some(h) => BigInt::from_str_radix(h, 16).unwrap(),
            None => s.parse().expect("decimal int"),
        },
    }
}

fn text(hex: &str) -> String {
    if hex == "-" {
        return String::new();
    }
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    String::from_utf8(bytes).unwrap()
}

/// `!Name:message` as `vectors.py` writes a CPython exception.
fn error(e: &NumError) -> String {
    let mut s = std::format!("!{}:", e.exception_name());
    e.write_message(&mut s);
    s
}

/// Does our result (or error) match what CPython printed? The two
/// invalid-literal messages only carry their prefix.
fn matches(got: &Result<String, NumError>, expected: &str) -> bool {
    if let Some((cpython, correct)) = expected.split_once('~') {
        // glibc's pow misrounded `cpython`; pyaot's pow rounds correctly.
        let _ = cpython;
        return matches(got, correct);
    }
    match got {
        Ok(v) => v == expected,
        Err(e @ (NumError::InvalidIntLiteral | NumError::InvalidFloatLiteral)) => {
            expected.starts_with(&error(e))
        }
        // CPython's complex power may also overflow; pyaot has no complex.
        Err(NumError::ComplexResult) => {
            expected == "complex" || expected == "!OverflowError:complex exponentiation"
        }
        Err(e) => error(e) == expected,
    }
}

/// Decimal, or hex past the 4300-digit limit, like `istr` in vectors.py.
fn istr(n: &BigInt) -> String {
    if n.bits() > 13000 {
        let mut s = String::new();
        int_format_radix(n, 16, true, &mut s);
        s
    } else {
        n.to_string()
    }
}

fn fmt_int(r: Result<BigInt, NumError>) -> Result<String, NumError> {
    r.map(|n| istr(&n))
}

fn run(op: &str, args: &[&str]) -> Result<String, NumError> {
    let fl = |x: Result<f64, NumError>| x.map(fbits);
    match op {
        "ifloordiv" | "imod" | "idivmod" | "iand" | "ior" | "ixor" | "itruediv" => {
            let (a, b) = (int(args[0]), int(args[1]));
            let small = (a.to_i64(), b.to_i64());
            let r = match op {
                "ifloordiv" => fmt_int(int_floordiv(&a, &b)),
                "imod" => fmt_int(int_mod(&a, &b)),
                "idivmod" => int_divmod(&a, &b).map(|(q, r)| std::format!("{q},{r}")),
                "iand" => Ok(istr(&(&a & &b))),
                "ior" => Ok(istr(&(&a | &b))),
                "ixor" => Ok(istr(&(&a ^ &b))),
                _ => fl(int_true_div(&a, &b)),
            };
            if let (Some(x), Some(y)) = small {
                let fast = match op {
                    "ifloordiv" => i64_floordiv(x, y).map(|v| v.to_string()),
                    "imod" => i64_mod(x, y).map(|v| v.to_string()),
                    "idivmod" => i64_divmod(x, y).map(|(q, r)| std::format!("{q},{r}")),
                    "itruediv" => i64_true_div(x, y).map(fbits),
                    _ => None,
                };
                if let Some(f) = fast {
                    if Ok(&f) != r.as_ref() {
                        return Ok(std::format!("i64 fast path gave {f}"));
                    }
                }
            }
            r
        }
        "ilshift" | "irshift" | "ipow" => {
            let (a, b) = (int(args[0]), int(args[1]));
            let r = match op {
                "ilshift" => fmt_int(int_lshift(&a, &b)),
                "irshift" => fmt_int(int_rshift(&a, &b)),
                _ => int_pow(&a, &b).map(|p| match p {
                    IntPow::Int(n) => istr(&n),
                    IntPow::Float(f) => fbits(f),
                }),
            };
            if let (Some(x), Some(y)) = (a.to_i64(), b.to_i64()) {
                let fast = match op {
                    "ilshift" => i64_lshift(x, y),
                    "irshift" => i64_rshift(x, y),
                    _ => i64_pow(x, y),
                };
                if let Some(f) = fast {
                    if Ok(&f.to_string()) != r.as_ref() {
                        return Ok(std::format!("i64 fast path gave {f}"));
                    }
                }
            }
            r
        }
        "ipowmod" => fmt_int(int_pow_mod(&int(args[0]), &int(args[1]), &int(args[2]))),
        "iinv" => Ok(istr(&!int(args[0]))),
        "itof" => fl(int_to_f64(&int(args[0]))),
        "istr" => {
            let mut s = String::new();
            int_to_decimal(&int(args[0]), &mut s).map(|_| s)
        }
        "ihex" => {
            let a = int(args[0]);
            let mut s = String::new();
            for (i, radix) in [16, 8, 2].into_iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                int_format_radix(&a, radix, true, &mut s);
            }
            Ok(s)
        }
        "repr" => {
            let mut s = String::new();
            float_repr(float(args[0]), &mut s);
            Ok(s)
        }
        "fmt" | "fmtz" => {
            let mut spec = if op == "fmt" {
                let code = args[0].as_bytes()[0];
                let mut spec = FloatFormat::new(code, args[1].parse().unwrap());
                spec.alt = args[2].contains('#');
                spec.sign = args[2].contains('+');
                spec
            } else {
                FloatFormat::new(b'g', args[0].parse().unwrap())
            };
            spec.add_dot_0 = op == "fmtz";
            let mut s = String::new();
            float_format(float(args[args.len() - 1]), spec, &mut s);
            Ok(s)
        }
        "ihash" => {
            let a = int(args[0]);
            let h = int_hash(&a);
            match a.to_i64() {
                Some(small) if i64_hash(small) != h => Ok("i64_hash differs".to_string()),
                _ => Ok(h.to_string()),
            }
        }
        "fhash" => Ok(float_hash(float(args[0])).map_or("nan".to_string(), |h| h.to_string())),
        "ftoi" => float_to_int(float(args[0])).map(|v| v.into_bigint().to_string()),
        "fdiv" => fl(float_div(float(args[0]), float(args[1]))),
        "ffloordiv" => fl(float_floordiv(float(args[0]), float(args[1]))),
        "fmod" => fl(float_mod(float(args[0]), float(args[1]))),
        "fdivmod" => float_divmod(float(args[0]), float(args[1]))
            .map(|(q, r)| std::format!("{},{}", fbits(q), fbits(r))),
        "fpow" => fl(float_pow(float(args[0]), float(args[1]))),
        "cmp" => {
            let (a, f) = (int(args[0]), float(args[1]));
            let order = |o: Option<Ordering>| match o {
                Some(Ordering::Less) => "<",
                Some(Ordering::Greater) => ">",
                Some(Ordering::Equal) => "=",
                None => "n",
            };
            let big = order(int_float_cmp(&a, f));
            if let Some(small) = a.to_i64() {
                let fast = order(i64_float_cmp(small, f));
                if fast != big {
                    return Ok(std::format!("i64 gave {fast}, BigInt gave {big}"));
                }
            }
            Ok(big.to_string())
        }
        "pint" => {
            let r = parse_int(&text(args[0]), args[1].parse().unwrap());
            if let Ok(IntValue::Big(n)) = &r {
                if n.to_i64().is_some() {
                    return Ok("Big for an i64 value".to_string());
                }
            }
            r.map(|v| istr(&v.into_bigint()))
        }
        "pfloat" => parse_float(&text(args[0]))
            .map(fbits)
            .ok_or(NumError::InvalidFloatLiteral),
        _ => panic!("unknown vector op {op}"),
    }
}

#[test]
fn cpython_vectors() {
    let vectors = vectors();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in vectors.lines() {
        let mut fields = line.splitn(2, ' ');
        let op = fields.next().unwrap();
        let rest = fields.next().unwrap_or("");
        let arity = match op {
            "iinv" | "itof" | "istr" | "ihex" | "ihash" | "repr" | "ftoi" | "fhash" | "pfloat" => 1,
            "ipowmod" => 3,
            "fmt" => 4,
            _ => 2,
        };
        let mut parts = rest.splitn(arity + 1, ' ');
        let args: Vec<&str> = (0..arity).map(|_| parts.next().unwrap()).collect();
        let expected = parts.next().unwrap_or("");
        let got = run(op, &args);
        count += 1;
        if !matches(&got, expected) {
            failures.push(std::format!("{line}\n    got {got:?}"));
        }
    }
    assert!(count > 10_000, "only {count} vectors");
    let shown: Vec<&String> = failures.iter().take(40).collect();
    assert!(
        failures.is_empty(),
        "{} of {count} vectors fail:\n{shown:#?}",
        failures.len()
    );
}

#[test]
fn huge_results_are_memory_errors() {
    // CPython grinds until malloc fails (`2 ** 2**64`, `1 << 2**40`).
    let two = BigInt::from(2);
    assert_eq!(
        int_pow(&two, &(BigInt::from(1) << 64u32)),
        Err(NumError::Memory)
    );
    assert_eq!(
        int_pow(&two, &BigInt::from(MAX_INT_BITS)),
        Err(NumError::Memory)
    );
    assert_eq!(
        int_lshift(&two, &(BigInt::from(1) << 40u32)),
        Err(NumError::Memory)
    );
    assert!(matches!(
        int_pow(&two, &BigInt::from(1000)),
        Ok(IntPow::Int(_))
    ));
}

#[test]
fn error_messages() {
    let mut s = String::new();
    NumError::IntStrDigits(Some(5000)).write_message(&mut s);
    assert_eq!(
        s,
        "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; \
         use sys.set_int_max_str_digits() to increase the limit"
    );
}
