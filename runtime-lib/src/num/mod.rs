//! CPython's number algorithms as plain functions: no objects, no allocation
//! beyond `String`/`BigInt`, errors carry CPython 3.11's exact messages.
//!
//! The object model calls these with unboxed values:
//! - [`format`]: `repr(float)`, `'%.3f' % x`, `'%e'`, `'%g'`, `format(x, '.3')`
//!   (Python/pystrtod.c `format_float_short`).
//! - [`parse`]: `int(str, base)` and `float(str)` (Objects/longobject.c
//!   `PyLong_FromString`, Objects/floatobject.c `PyFloat_FromString`).
//! - [`int`]: floor division, modulo, divmod, power, shifts, decimal and radix
//!   text of ints, `hash`, with `i64` fast paths that return `None` when the
//!   answer needs the `BigInt` path (overflow *or* an error to report).
//! - [`float`]: float floor division, modulo, divmod, power, `hash`, and the
//!   int/float bridge: correctly rounded `int -> float`, `int / int`, exact
//!   int/float comparison, `int(float)`.
//!
//! Bitwise `& | ^ ~` on `BigInt` are num-bigint's operators, which already
//! have Python's infinite two's complement semantics; `+ - *` on `i64` are
//! core's `checked_*` (`None`: promote to `BigInt`). Both are covered by the
//! tests, whose expected values `vectors.py` computes with CPython 3.11.

extern crate alloc;

pub mod float;
pub mod format;
pub mod int;
pub mod parse;
mod pow;
mod text;

#[cfg(test)]
mod tests;

pub use float::{
    float_div, float_divmod, float_floordiv, float_hash, float_mod, float_pow, float_to_int,
    i64_float_cmp, int_float_cmp, int_to_f64, int_true_div,
};
pub use format::{
    float_format, float_format_exp, float_format_fixed, float_format_general, float_repr,
    FloatFormat,
};
pub use int::{
    i64_divmod, i64_floordiv, i64_hash, i64_lshift, i64_mod, i64_pow, i64_rshift, i64_true_div,
    int_divmod, int_floordiv, int_format_radix, int_hash, int_lshift, int_mod, int_pow,
    int_pow_mod, int_rshift, int_to_decimal, push_i64, IntPow, IntValue, HASH_MODULUS,
    MAX_INT_BITS,
};
pub use parse::{parse_float, parse_int};

/// CPython's default `sys.get_int_max_str_digits()`: decimal (and other
/// non power-of-two base) conversions between int and str longer than this
/// raise `ValueError` (CVE-2020-10735 limit, 3.11.0+).
pub const INT_MAX_STR_DIGITS: usize = 4300;

/// A Python exception raised by a number operation, with CPython's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumError {
    /// `ZeroDivisionError(msg)`.
    ZeroDivision(&'static str),
    /// `OverflowError(msg)`.
    Overflow(&'static str),
    /// `ValueError(msg)`.
    Value(&'static str),
    /// `ValueError: invalid literal for int() with base {base}: {repr(s)}` —
    /// the caller formats it, since it needs `repr` of the str object.
    InvalidIntLiteral,
    /// `ValueError: could not convert string to float: {repr(s)}` — the
    /// caller formats it.
    InvalidFloatLiteral,
    /// `ValueError` for the int/str digit limit ([`INT_MAX_STR_DIGITS`]):
    /// `Some(n)` for str -> int (the message names the digit count), `None`
    /// for int -> str.
    IntStrDigits(Option<usize>),
    /// `MemoryError` (no message): a result larger than [`MAX_INT_BITS`].
    Memory,
    /// Not an exception in CPython: a negative float raised to a fractional
    /// power gives a `complex`, which pyaot does not have yet. The caller
    /// reports it as unsupported.
    ComplexResult,
}

impl NumError {
    /// The Python exception class name.
    pub fn exception_name(&self) -> &'static str {
        match self {
            NumError::ZeroDivision(_) => "ZeroDivisionError",
            NumError::Overflow(_) => "OverflowError",
            NumError::Value(_)
            | NumError::InvalidIntLiteral
            | NumError::InvalidFloatLiteral
            | NumError::IntStrDigits(_) => "ValueError",
            NumError::Memory => "MemoryError",
            NumError::ComplexResult => "TypeError",
        }
    }

    /// Appends `str(exception)`. For the two invalid-literal variants this
    /// is only the prefix (`invalid literal for int() with base ` /
    /// `could not convert string to float: `); the caller appends the rest.
    pub fn write_message(&self, out: &mut alloc::string::String) {
        match self {
            NumError::ZeroDivision(m) | NumError::Overflow(m) | NumError::Value(m) => {
                out.push_str(m)
            }
            NumError::InvalidIntLiteral => out.push_str("invalid literal for int() with base "),
            NumError::InvalidFloatLiteral => out.push_str("could not convert string to float: "),
            NumError::IntStrDigits(digits) => {
                out.push_str("Exceeds the limit (");
                push_usize(out, INT_MAX_STR_DIGITS);
                out.push_str(" digits) for integer string conversion");
                if let Some(n) = digits {
                    out.push_str(": value has ");
                    push_usize(out, *n);
                    out.push_str(" digits");
                }
                out.push_str("; use sys.set_int_max_str_digits() to increase the limit");
            }
            NumError::Memory => {}
            NumError::ComplexResult => {
                out.push_str("unsupported: complex result of a fractional power")
            }
        }
    }
}

/// Appends the decimal digits of `n`.
pub(crate) fn push_usize(out: &mut alloc::string::String, mut n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}
