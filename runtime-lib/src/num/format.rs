//! Float to text <- Python/pystrtod.c `PyOS_double_to_string` and
//! `format_float_short`.
//!
//! CPython gets digits from David Gay's `_Py_dg_dtoa`; core's float
//! formatting gives the same digits: shortest round-trip for `{:e}` (mode 0)
//! and correctly rounded, ties to even, for a given precision (modes 2 and
//! 3). This module only lays those digits out the way CPython does.

use super::alloc::string::String;
use super::alloc::vec::Vec;
use core::fmt::Write;

/// What `PyOS_double_to_string(x, code, precision, flags)` is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloatFormat {
    /// `b'e' b'E' b'f' b'F' b'g' b'G'`, or `b'r'` for `repr`.
    pub code: u8,
    /// Digits after the point (`e`, `f`) or significant digits (`g`);
    /// ignored for `r`. The caller rejects what CPython rejects (`Too many
    /// decimal digits in format string` past `i32::MAX`); larger values are
    /// clamped here, never a panic.
    pub precision: usize,
    /// `Py_DTSF_SIGN`: a `+` on non-negative numbers.
    pub sign: bool,
    /// `Py_DTSF_ADD_DOT_0`: `.0` on integral values without exponent (repr,
    /// and `format(x, '.3')` which is `g` with this flag).
    pub add_dot_0: bool,
    /// `Py_DTSF_ALT`: the `#` flag (keep the point and trailing zeros).
    pub alt: bool,
}

impl FloatFormat {
    /// `repr(x)` / `str(x)`.
    pub const REPR: FloatFormat = FloatFormat {
        code: b'r',
        precision: 0,
        sign: false,
        add_dot_0: true,
        alt: false,
    };

    /// `'%.{precision}{code}' % x` with no flags.
    pub const fn new(code: u8, precision: usize) -> FloatFormat {
        FloatFormat {
            code,
            precision,
            sign: false,
            add_dot_0: false,
            alt: false,
        }
    }
}

/// `repr(x)` == `str(x)` <- `float_repr`: the shortest digits that read
/// back as `x`, exponent notation below 1e-4 and from 1e16 on, `.0` on
/// integral values: `1.0`, `1e+16`, `1.5e-07`, `-0.0`, `inf`, `nan`.
pub fn float_repr(x: f64, out: &mut String) {
    float_format(x, FloatFormat::REPR, out)
}

/// `'%.{precision}f' % x`, `f"{x:.{precision}f}"`.
pub fn float_format_fixed(x: f64, precision: usize, out: &mut String) {
    float_format(x, FloatFormat::new(b'f', precision), out)
}

/// `'%.{precision}e' % x`.
pub fn float_format_exp(x: f64, precision: usize, out: &mut String) {
    float_format(x, FloatFormat::new(b'e', precision), out)
}

/// `'%.{precision}g' % x`.
pub fn float_format_general(x: f64, precision: usize, out: &mut String) {
    float_format(x, FloatFormat::new(b'g', precision), out)
}

/// `PyOS_double_to_string`: appends `x` formatted as `spec` says.
pub fn float_format(x: f64, spec: FloatFormat, out: &mut String) {
    let upper = spec.code.is_ascii_uppercase();
    let code = spec.code.to_ascii_lowercase();
    if !x.is_finite() {
        if x.is_sign_negative() && !x.is_nan() {
            out.push('-');
        } else if spec.sign {
            out.push('+');
        }
        out.push_str(match (x.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        });
        return;
    }
    let magnitude = x.abs();
    // `digits` is the significant digits without leading or trailing zeros
    // (just "0" for zero), and the value is 0.<digits> * 10**decpt.
    let spec = FloatFormat {
        precision: spec.precision.min(i32::MAX as usize),
        ..spec
    };
    let mut precision = spec.precision as i64;
    let mut text = DigitBuf::new();
    let mut tie = [0u8; 24];
    let (digits, decpt) = match code {
        b'r' => {
            let _ = write!(text, "{:e}", magnitude);
            let (digits, decpt) = scientific_digits(text.as_bytes_mut());
            match shortest_tie_to_even(magnitude, digits, decpt, &mut tie) {
                Some(even) => (&tie[..even], decpt),
                None => (digits, decpt),
            }
        }
        b'e' | b'g' => {
            if code == b'e' {
                precision += 1; // mode 2 counts all significant digits
            } else if precision == 0 {
                precision = 1; // precision 0 makes no sense for 'g'
            }
            let _ = write!(text, "{:.*e}", precision as usize - 1, magnitude);
            scientific_digits(text.as_bytes_mut())
        }
        _ => {
            let _ = write!(text, "{:.*}", spec.precision, magnitude);
            fixed_digits(text.as_bytes_mut())
        }
    };
    let sign = if x.is_sign_negative() {
        Some('-')
    } else if spec.sign {
        Some('+')
    } else {
        None
    };
    let shape = Shape {
        code,
        precision,
        add_dot_0: spec.add_dot_0,
        alt: spec.alt,
        upper,
    };
    shape.lay_out(digits, decpt, sign, out);
}

/// Gay's shortest digits break an exact tie between two equally short
/// candidates to even (`759428553277084.25` -> `...084.2`); core's pick
/// the upper one. `x > 0` is exactly halfway between two `n`-digit
/// decimals only if it is a multiple of `10**k`, `k` the place of digit
/// `n + 1`, which a look at its lowest set bit rules out almost always. If
/// the even candidate differs from `digits` and still reads back as `x`,
/// it is written to `out` and its length returned (same `decpt`).
fn shortest_tie_to_even(x: f64, digits: &[u8], decpt: i64, out: &mut [u8; 24]) -> Option<usize> {
    let n = digits.len();
    let k = decpt - n as i64 - 1;
    let bits = x.to_bits();
    let fraction = bits & ((1 << 52) - 1);
    let biased = (bits >> 52) as i64;
    let mantissa = if biased == 0 {
        fraction
    } else {
        fraction | 1 << 52
    };
    let lowest_bit = (biased.max(1) - 1075) + mantissa.trailing_zeros() as i64;
    // x = odd * 2**lowest_bit; a tie at 10**k needs x * 10**-k to be an
    // integer ending in 5: for k < 0, k <= lowest_bit < 0; else equality.
    let candidate = if k < 0 {
        k <= lowest_bit && lowest_bit < 0
    } else {
        lowest_bit == k
    };
    if !candidate || n + 1 > out.len() {
        return None;
    }
    // n + 1 significant digits are then exact.
    let mut exact = DigitBuf::new();
    let _ = write!(exact, "{:.*e}", n, x);
    let exact = exact.as_bytes_mut();
    let e = exact.iter().position(|&c| c == b'e')?;
    let mut len = 0;
    for &c in exact[..e].iter().filter(|c| c.is_ascii_digit()) {
        out[len] = c;
        len += 1;
    }
    if len != n + 1 || out[n] != b'5' {
        return None;
    }
    // lower = out[..n]; upper = lower + 1 in the last place.
    let lower_is_even = out[n - 1] & 1 == 0; // '0' is even
    if lower_is_even == (out[..n] == *digits) {
        return None; // core already chose the even one
    }
    if !lower_is_even {
        // The upper one is even: increment (a carry would shorten the
        // number, which the shortest search would have found).
        let mut i = n;
        while i > 0 && out[i - 1] == b'9' {
            out[i - 1] = b'0';
            i -= 1;
        }
        if i == 0 {
            return None;
        }
        out[i - 1] += 1;
    }
    // Does the even candidate read back as x?
    let mut text = DigitBuf::new();
    let _ = write!(text, "0.");
    for &d in &out[..n] {
        let _ = text.write_char(d as char);
    }
    let _ = write!(text, "e{}", decpt);
    let back = core::str::from_utf8(text.as_bytes_mut())
        .ok()?
        .parse::<f64>()
        .ok()?;
    (back == x).then_some(n)
}

/// The layout half of `format_float_short`.
struct Shape {
    code: u8,
    precision: i64,
    add_dot_0: bool,
    alt: bool,
    upper: bool,
}

impl Shape {
    fn lay_out(&self, digits: &[u8], mut decpt: i64, sign: Option<char>, out: &mut String) {
        let digits_len = digits.len() as i64;
        let mut use_exp = false;
        let mut vdigits_end = digits_len;
        match self.code {
            b'e' => {
                use_exp = true;
                vdigits_end = self.precision;
            }
            b'f' => vdigits_end = decpt + self.precision,
            b'g' => {
                let limit = if self.add_dot_0 {
                    self.precision - 1
                } else {
                    self.precision
                };
                use_exp = decpt <= -4 || decpt > limit;
                if self.alt {
                    vdigits_end = self.precision;
                }
            }
            _ => {
                // 'r': exponent from 1e16 on, so that a 16-digit shortest
                // repr is never padded with bogus zeros.
                use_exp = decpt <= -4 || decpt > 16;
            }
        }
        let mut exp = 0;
        if use_exp {
            exp = decpt - 1;
            decpt = 1;
        }
        let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
        vdigits_end = if !use_exp && self.add_dot_0 {
            vdigits_end.max(decpt + 1)
        } else {
            vdigits_end.max(decpt)
        };

        if let Some(s) = sign {
            out.push(s);
        }
        let zeros = |out: &mut String, n: i64| (0..n).for_each(|_| out.push('0'));
        let push_digits = |out: &mut String, d: &[u8]| d.iter().for_each(|&c| out.push(c as char));
        let before = out.len();
        if decpt <= 0 {
            zeros(out, decpt - vdigits_start);
            out.push('.');
            zeros(out, -decpt);
        } else {
            zeros(out, -vdigits_start);
        }
        if 0 < decpt && decpt <= digits_len {
            push_digits(out, &digits[..decpt as usize]);
            out.push('.');
            push_digits(out, &digits[decpt as usize..]);
        } else {
            push_digits(out, digits);
        }
        if digits_len < decpt {
            zeros(out, decpt - digits_len);
            out.push('.');
            zeros(out, vdigits_end - decpt);
        } else {
            zeros(out, vdigits_end - digits_len);
        }
        if out.len() > before && out.ends_with('.') && !self.alt {
            out.pop();
        }
        if use_exp {
            out.push(if self.upper { 'E' } else { 'e' });
            out.push(if exp < 0 { '-' } else { '+' });
            if exp.abs() < 10 {
                out.push('0');
            }
            super::push_usize(out, exp.unsigned_abs() as usize);
        }
    }
}

/// Digits and decimal point position from core's `d.ddde±x` text, moved
/// to the front of `text`.
fn scientific_digits(text: &mut [u8]) -> (&[u8], i64) {
    let e = text.iter().position(|&c| c == b'e').unwrap_or(text.len());
    let (mut exponent, mut negative) = (0i64, false);
    for &c in text.get(e + 1..).unwrap_or(&[]) {
        match c {
            b'-' => negative = true,
            b'0'..=b'9' => exponent = exponent * 10 + (c - b'0') as i64,
            _ => {}
        }
    }
    let exponent = if negative { -exponent } else { exponent };
    normalize(text, e, exponent + 1)
}

/// Digits and decimal point position from core's `ddd.ddd` text, moved to
/// the front of `text`.
fn fixed_digits(text: &mut [u8]) -> (&[u8], i64) {
    let point = text.iter().position(|&c| c == b'.').unwrap_or(text.len());
    let len = text.len();
    normalize(text, len, point as i64)
}

/// Keeps the digits of `text[..end]` and strips leading zeros (moving the
/// point) and trailing zeros, as Gay's `dtoa` returns them; zero becomes
/// `"0"` with the point after it.
fn normalize(text: &mut [u8], end: usize, mut decpt: i64) -> (&[u8], i64) {
    let mut len = 0;
    for i in 0..end {
        if text[i].is_ascii_digit() {
            text[len] = text[i];
            len += 1;
        }
    }
    let digits = &text[..len];
    let leading = digits.iter().take_while(|&&c| c == b'0').count();
    if leading == len {
        return (b"0", 1);
    }
    decpt -= leading as i64;
    let trailing = digits.iter().rev().take_while(|&&c| c == b'0').count();
    (&digits[leading..len - trailing], decpt)
}

/// Text from core's formatter: on the stack for the short repr case, on the
/// heap when a large precision asks for many digits.
struct DigitBuf {
    stack: [u8; 32],
    len: usize,
    heap: Vec<u8>,
}

impl DigitBuf {
    fn new() -> DigitBuf {
        DigitBuf {
            stack: [0; 32],
            len: 0,
            heap: Vec::new(),
        }
    }

    fn as_bytes_mut(&mut self) -> &mut [u8] {
        if self.heap.is_empty() {
            &mut self.stack[..self.len]
        } else {
            &mut self.heap
        }
    }
}

impl Write for DigitBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let bytes = s.as_bytes();
        if self.heap.is_empty() && self.len + bytes.len() <= self.stack.len() {
            self.stack[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.stack[..self.len]);
            }
            self.heap.extend_from_slice(bytes);
        }
        Ok(())
    }
}
