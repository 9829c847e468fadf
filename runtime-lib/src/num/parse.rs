//! `int(str, base)` and `float(str)`.

use super::alloc::vec::Vec;
use super::int::IntValue;
use super::text::{decimal_and_space_to_ascii, strip_ascii_space};
use super::{NumError, INT_MAX_STR_DIGITS};
use num_bigint::{BigInt, Sign};

/// `int(s, base)` <- Objects/longobject.c `PyLong_FromUnicodeObject` and
/// `PyLong_FromString`: Unicode digits and whitespace count, surrounding
/// whitespace is stripped, then an optional sign, for base 0 or a matching
/// base a `0x`/`0o`/`0b` prefix (one `_` may follow it), then digits with
/// single underscores between them. Base 0 reads the base from the prefix
/// and rejects a nonzero number with a leading `0` (`'010'`).
///
/// Errors: [`NumError::InvalidIntLiteral`] (the caller formats
/// `invalid literal for int() with base {base}: {s!r}` with the base it was
/// given), a `ValueError` for a bad base, [`NumError::IntStrDigits`] for
/// more than 4300 digits in a base that is not a power of two.
pub fn parse_int(s: &str, base: u32) -> Result<IntValue, NumError> {
    if base == 1 || base > 36 {
        return Err(NumError::Value("int() base must be >= 2 and <= 36, or 0"));
    }
    let ascii = decimal_and_space_to_ascii(s);
    let mut t = strip_ascii_space(&ascii);
    let negative = match t.first() {
        Some(b'-') => true,
        Some(b'+') => false,
        _ => false,
    };
    if matches!(t.first(), Some(b'-' | b'+')) {
        t = &t[1..];
    }
    let mut base = base;
    let mut only_zero = false;
    if base == 0 {
        base = match t {
            [b'0', b'x' | b'X', ..] => 16,
            [b'0', b'o' | b'O', ..] => 8,
            [b'0', b'b' | b'B', ..] => 2,
            [b'0', ..] => {
                // An "old" C-style octal literal is invalid, but may be zero.
                only_zero = true;
                10
            }
            _ => 10,
        };
    }
    if let [b'0', p, rest @ ..] = t {
        if matches!((base, p | 0x20), (16, b'x') | (8, b'o') | (2, b'b')) {
            t = rest.strip_prefix(b"_").unwrap_or(rest);
        }
    }
    // The run of digits and single underscores, as CPython scans it.
    let mut digits = 0usize;
    let mut end = 0;
    let mut prev = b'_'; // a leading underscore is an error like a double one
    let mut small: u64 = 0;
    let mut fits = true;
    while let Some(&c) = t.get(end) {
        if c == b'_' {
            if prev == b'_' {
                return Err(NumError::InvalidIntLiteral);
            }
        } else {
            let Some(d) = digit_value(c).filter(|&d| d < base) else {
                break;
            };
            digits += 1;
            match small
                .checked_mul(base as u64)
                .and_then(|v| v.checked_add(d as u64))
            {
                Some(v) => small = v,
                None => fits = false,
            }
        }
        prev = c;
        end += 1;
    }
    if prev == b'_' && end > 0 {
        return Err(NumError::InvalidIntLiteral); // trailing underscore
    }
    if !base.is_power_of_two() && digits > INT_MAX_STR_DIGITS {
        return Err(NumError::IntStrDigits(Some(digits)));
    }
    if digits == 0 || end != t.len() {
        return Err(NumError::InvalidIntLiteral);
    }
    if only_zero && (!fits || small != 0) {
        return Err(NumError::InvalidIntLiteral);
    }
    if fits {
        if !negative && small <= i64::MAX as u64 {
            return Ok(IntValue::Small(small as i64));
        }
        if negative && small <= 1u64 << 63 {
            return Ok(IntValue::Small((small as i64).wrapping_neg()));
        }
    }
    let values: Vec<u8> = t
        .iter()
        .filter(|&&c| c != b'_')
        .filter_map(|&c| digit_value(c).map(|d| d as u8))
        .collect();
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    match BigInt::from_radix_be(sign, &values, base) {
        Some(n) => Ok(IntValue::Big(n)),
        None => Err(NumError::InvalidIntLiteral),
    }
}

/// `_PyLong_DigitValue`: 0-9, then a-z / A-Z as 10-35.
fn digit_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some((c - b'0') as u32),
        b'a'..=b'z' => Some((c - b'a') as u32 + 10),
        b'A'..=b'Z' => Some((c - b'A') as u32 + 10),
        _ => None,
    }
}

/// `float(s)` <- Objects/floatobject.c `PyFloat_FromString` and
/// Python/pystrtod.c `_PyOS_ascii_strtod`: Unicode digits and whitespace
/// count, surrounding whitespace is stripped, underscores are allowed only
/// between two digits, then `[sign] (inf | infinity | nan | digits [. digits]
/// [e [sign] digits])`, case-insensitive, correctly rounded.
///
/// `None` means `ValueError: could not convert string to float: {s!r}`.
pub fn parse_float(s: &str) -> Option<f64> {
    let ascii = decimal_and_space_to_ascii(s);
    let t = strip_ascii_space(&ascii);
    if t.contains(&b'_') {
        parse_ascii_float(&remove_underscores(t)?)
    } else {
        parse_ascii_float(t)
    }
}

/// `_Py_string_to_number_with_underscores`: drops underscores that sit
/// between two digits; any other underscore makes the text invalid.
fn remove_underscores(t: &[u8]) -> Option<Vec<u8>> {
    let (&first, rest) = t.split_first()?;
    if first == b'_' {
        return None;
    }
    let mut out = Vec::with_capacity(t.len());
    out.push(first);
    let mut prev = first;
    for &c in rest {
        if c == b'_' {
            if !prev.is_ascii_digit() {
                return None;
            }
        } else {
            if prev == b'_' && !c.is_ascii_digit() {
                return None;
            }
            out.push(c);
        }
        prev = c;
    }
    (prev != b'_').then_some(out)
}

/// The decimal grammar of `_PyOS_ascii_strtod` (no hex, no `nan(...)`),
/// checked here; core's parser then rounds correctly.
fn parse_ascii_float(t: &[u8]) -> Option<f64> {
    let body = t
        .strip_prefix(b"-")
        .or_else(|| t.strip_prefix(b"+"))
        .unwrap_or(t);
    let special = body.eq_ignore_ascii_case(b"inf")
        || body.eq_ignore_ascii_case(b"infinity")
        || body.eq_ignore_ascii_case(b"nan");
    if !special {
        let int_digits = body.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut rest = &body[int_digits..];
        let mut frac_digits = 0;
        if let Some(after) = rest.strip_prefix(b".") {
            frac_digits = after.iter().take_while(|c| c.is_ascii_digit()).count();
            rest = &after[frac_digits..];
        }
        if int_digits + frac_digits == 0 {
            return None;
        }
        if let [b'e' | b'E', exp @ ..] = rest {
            let exp = exp
                .strip_prefix(b"-")
                .or_else(|| exp.strip_prefix(b"+"))
                .unwrap_or(exp);
            if exp.is_empty() || !exp.iter().all(u8::is_ascii_digit) {
                return None;
            }
        } else if !rest.is_empty() {
            return None;
        }
    }
    core::str::from_utf8(t).ok()?.parse::<f64>().ok()
}
