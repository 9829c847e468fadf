//! Python int semantics (Objects/longobject.c): division and modulo round
//! toward -inf, `**` with a negative exponent gives a float, shifts reject a
//! negative count, and text conversion obeys the 4300-digit limit.
//!
//! The `i64_*` functions are the small-int fast paths. They return `None`
//! whenever the answer is not an `i64` *or* is an error (zero divisor,
//! negative count or exponent); the caller then takes the `BigInt` path,
//! which gives the right result or exception.

use super::alloc::string::String;
use super::float::{float_pow, int_to_f64};
use super::{NumError, INT_MAX_STR_DIGITS};
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Pow, Signed, ToPrimitive, Zero};

/// The largest int pyaot builds, in bits. CPython raises `MemoryError` when
/// malloc fails; pyaot's allocator cannot fail softly, so results bigger
/// than this (`1 << 2**40`, `2 ** 2**64`) raise `MemoryError` up front.
pub const MAX_INT_BITS: u64 = if usize::BITS >= 64 { 1 << 32 } else { 1 << 24 };

/// An int as a parser or converter produces it: an `i64` when it fits,
/// without allocating, else a `BigInt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntValue {
    Small(i64),
    Big(BigInt),
}

impl IntValue {
    pub fn into_bigint(self) -> BigInt {
        match self {
            IntValue::Small(n) => BigInt::from(n),
            IntValue::Big(n) => n,
        }
    }
}

/// The result of `int ** int`: an int, or a float for a negative exponent.
#[derive(Debug, Clone, PartialEq)]
pub enum IntPow {
    Int(BigInt),
    Float(f64),
}

// ---------------------------------------------------------------------------
// i64 fast paths

/// `a // b` rounding toward -inf (`fast_floor_div`).
pub fn i64_floordiv(a: i64, b: i64) -> Option<i64> {
    let q = a.checked_div(b)?;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        Some(q - 1)
    } else {
        Some(q)
    }
}

/// `a % b` with the sign of `b` (`fast_mod`).
pub fn i64_mod(a: i64, b: i64) -> Option<i64> {
    if b == -1 {
        return Some(0); // also i64::MIN % -1, which checked_rem refuses
    }
    let r = a.checked_rem(b)?;
    if r != 0 && ((r < 0) != (b < 0)) {
        Some(r + b)
    } else {
        Some(r)
    }
}

/// `divmod(a, b)`.
pub fn i64_divmod(a: i64, b: i64) -> Option<(i64, i64)> {
    Some((i64_floordiv(a, b)?, i64_mod(a, b)?))
}

/// `a ** b` for `b >= 0` when the result fits.
pub fn i64_pow(a: i64, b: i64) -> Option<i64> {
    if b < 0 {
        return None;
    }
    match a {
        0 => Some((b == 0) as i64),
        1 => Some(1),
        -1 => Some(if b & 1 == 0 { 1 } else { -1 }),
        _ => a.checked_pow(u32::try_from(b).ok().filter(|&b| b < 64)?),
    }
}

/// `a << b` when the result fits.
pub fn i64_lshift(a: i64, b: i64) -> Option<i64> {
    if b < 0 {
        return None;
    }
    if a == 0 {
        return Some(0);
    }
    if b >= 63 {
        return None;
    }
    let r = a << b;
    (r >> b == a).then_some(r)
}

/// `a >> b` (arithmetic: rounds toward -inf).
pub fn i64_rshift(a: i64, b: i64) -> Option<i64> {
    if b < 0 {
        return None;
    }
    Some(a >> b.min(63))
}

/// `a / b` when both are exact as doubles, so one IEEE division rounds
/// correctly (the first case of `long_true_divide`).
pub fn i64_true_div(a: i64, b: i64) -> Option<f64> {
    const EXACT: u64 = 1 << 53;
    if b == 0 || a.unsigned_abs() > EXACT || b.unsigned_abs() > EXACT {
        return None;
    }
    Some(a as f64 / b as f64)
}

// ---------------------------------------------------------------------------
// BigInt

/// `a // b` <- `long_div`.
pub fn int_floordiv(a: &BigInt, b: &BigInt) -> Result<BigInt, NumError> {
    if b.is_zero() {
        return Err(NumError::ZeroDivision("integer division or modulo by zero"));
    }
    Ok(a.div_floor(b))
}

/// `a % b` <- `long_mod`.
pub fn int_mod(a: &BigInt, b: &BigInt) -> Result<BigInt, NumError> {
    if b.is_zero() {
        return Err(NumError::ZeroDivision("integer modulo by zero"));
    }
    Ok(a.mod_floor(b))
}

/// `divmod(a, b)` <- `long_divmod`.
pub fn int_divmod(a: &BigInt, b: &BigInt) -> Result<(BigInt, BigInt), NumError> {
    if b.is_zero() {
        return Err(NumError::ZeroDivision("integer division or modulo by zero"));
    }
    Ok(a.div_mod_floor(b))
}

/// `a ** b` <- `long_pow` without a modulus. A negative exponent hands both
/// operands to float power, as CPython does (`2 ** -1 == 0.5`,
/// `0 ** -1` raises `ZeroDivisionError`).
pub fn int_pow(a: &BigInt, b: &BigInt) -> Result<IntPow, NumError> {
    if b.is_negative() {
        return float_pow(int_to_f64(a)?, int_to_f64(b)?).map(IntPow::Float);
    }
    if a.is_zero() || a.is_one() {
        return Ok(IntPow::Int(BigInt::from(
            b.is_zero() as u8 | a.is_one() as u8,
        )));
    }
    if a.magnitude().is_one() {
        // a == -1
        return Ok(IntPow::Int(if b.is_even() {
            BigInt::one()
        } else {
            a.clone()
        }));
    }
    // |a| >= 2: the result has at least b * (bits(a) - 1) + 1 bits.
    let exponent = b
        .to_u64()
        .filter(|&e| e <= MAX_INT_BITS)
        .ok_or(NumError::Memory)?;
    if (a.bits() - 1).saturating_mul(exponent) >= MAX_INT_BITS {
        return Err(NumError::Memory);
    }
    Ok(IntPow::Int(Pow::pow(a, exponent)))
}

/// `pow(a, b, m)` <- `long_pow` with a modulus: the result takes the sign of
/// `m`; a negative exponent uses the modular inverse of `a`.
pub fn int_pow_mod(a: &BigInt, b: &BigInt, m: &BigInt) -> Result<BigInt, NumError> {
    if m.is_zero() {
        return Err(NumError::Value("pow() 3rd argument cannot be 0"));
    }
    if m.magnitude().is_one() {
        return Ok(BigInt::zero());
    }
    if b.is_negative() {
        let inverse = a.modinv(m).ok_or(NumError::Value(
            "base is not invertible for the given modulus",
        ))?;
        return Ok(inverse.modpow(&-b, m));
    }
    Ok(a.modpow(b, m))
}

/// CPython's `MAX_LONG_DIGITS` on 64-bit: the most 30-bit digits an int may
/// have before `_PyLong_New` raises `OverflowError: too many digits in
/// integer`.
const MAX_LONG_DIGITS: u128 = (i64::MAX as u128 - 24) / 4;

/// `a << b` <- `long_lshift`: `ValueError` for a negative count,
/// `OverflowError` when CPython's digit count would overflow, and
/// `MemoryError` beyond [`MAX_INT_BITS`] (where CPython's malloc fails).
pub fn int_lshift(a: &BigInt, b: &BigInt) -> Result<BigInt, NumError> {
    if b.is_negative() {
        return Err(NumError::Value("negative shift count"));
    }
    if a.is_zero() {
        return Ok(BigInt::zero());
    }
    // divmod_shift clips a word shift past PY_SSIZE_T_MAX / 4.
    const CLIP: u128 = i64::MAX as u128 / 4;
    let (words, rem) = match b.to_u128() {
        Some(count) if count / 30 < CLIP => (count / 30, count % 30),
        _ => (CLIP, 0),
    };
    let new_size = a.bits().div_ceil(30) as u128 + words + (rem != 0) as u128;
    if new_size > MAX_LONG_DIGITS {
        return Err(NumError::Overflow("too many digits in integer"));
    }
    match b.to_u64() {
        Some(count) if a.bits() + count <= MAX_INT_BITS => Ok(a << count),
        _ => Err(NumError::Memory),
    }
}

/// `a >> b` <- `long_rshift`: arithmetic (rounds toward -inf).
pub fn int_rshift(a: &BigInt, b: &BigInt) -> Result<BigInt, NumError> {
    if b.is_negative() {
        return Err(NumError::Value("negative shift count"));
    }
    match b.to_u64() {
        Some(count) if count < a.bits() => Ok(a >> count),
        _ => Ok(if a.is_negative() {
            -BigInt::one()
        } else {
            BigInt::zero()
        }),
    }
}

/// `str(a)` / `repr(a)` <- `long_to_decimal_string`, with the
/// `ValueError` for more than 4300 digits.
pub fn int_to_decimal(a: &BigInt, out: &mut String) -> Result<(), NumError> {
    // 2**14285 > 10**4300: such an int has too many digits for sure.
    if a.bits() > 14285 {
        return Err(NumError::IntStrDigits(None));
    }
    if let Some(n) = a.to_i64() {
        push_i64(out, n);
        return Ok(());
    }
    let digits = magnitude_to_decimal(a.magnitude());
    if digits.len() > INT_MAX_STR_DIGITS {
        return Err(NumError::IntStrDigits(None));
    }
    if a.is_negative() {
        out.push('-');
    }
    out.push_str(&digits);
    Ok(())
}

/// The decimal digits of `m` (nonzero, at most 14285 bits here) by
/// schoolbook division by 10**19, quadratic like CPython's
/// `long_to_decimal_string`: printing an int links no bigint division or
/// multiplication (num-bigint's divide-and-conquer `to_str_radix` does).
fn magnitude_to_decimal(m: &BigUint) -> String {
    const CHUNK: u128 = 10_000_000_000_000_000_000; // 10**19 < 2**64
    let mut limbs = m.to_u64_digits(); // least significant first
    let mut chunks = alloc::vec::Vec::new(); // least significant first
    while !limbs.is_empty() {
        let mut rem: u128 = 0;
        for limb in limbs.iter_mut().rev() {
            let cur = (rem << 64) | *limb as u128;
            *limb = (cur / CHUNK) as u64;
            rem = cur % CHUNK;
        }
        chunks.push(rem as u64);
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
    }
    let mut out = String::new();
    for (i, &chunk) in chunks.iter().rev().enumerate() {
        // Every chunk but the most significant has all its 19 digits.
        let mut buf = [b'0'; 19];
        let (mut c, mut start) = (chunk, buf.len());
        while c != 0 {
            start -= 1;
            buf[start] = b'0' + (c % 10) as u8;
            c /= 10;
        }
        let digits = if i == 0 { &buf[start..] } else { &buf[..] };
        out.extend(digits.iter().map(|&d| d as char));
    }
    out
}

/// `sys.hash_info.modulus`: ints and floats hash to their value modulo this
/// prime, so that `hash(1) == hash(1.0)`.
pub const HASH_MODULUS: u64 = (1 << 61) - 1;

/// `hash(n)` <- `long_hash`: `n mod (2**61 - 1)` with the sign of `n`, and
/// `-2` for `-1` (which means an error in C).
pub fn i64_hash(n: i64) -> i64 {
    let h = (n.unsigned_abs() % HASH_MODULUS) as i64;
    let h = if n < 0 { -h } else { h };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `hash(n)` for a `BigInt` <- `long_hash`.
pub fn int_hash(n: &BigInt) -> i64 {
    let h = (n.magnitude() % HASH_MODULUS).to_i64().unwrap_or(0);
    let h = if n.is_negative() { -h } else { h };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// Appends the decimal digits of an `i64`.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut m = n.unsigned_abs();
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// `bin()`, `oct()`, `hex()` and the `b`/`o`/`x` formats <-
/// `_PyLong_Format`: sign, then `0b`/`0o`/`0x` if `prefix`, then lower-case
/// digits. `radix` is 2, 8 or 16 (other radixes print without a prefix).
pub fn int_format_radix(a: &BigInt, radix: u32, prefix: bool, out: &mut String) {
    if a.sign() == Sign::Minus {
        out.push('-');
    }
    if prefix {
        out.push_str(match radix {
            2 => "0b",
            8 => "0o",
            16 => "0x",
            _ => "",
        });
    }
    out.push_str(&a.magnitude().to_str_radix(radix));
}

#[cfg(test)]
mod decimal_tests {
    use super::*;

    /// `magnitude_to_decimal` agrees with num-bigint's `to_str_radix` on
    /// chunk boundaries (10**19k ± 1), powers of two and mixed digits.
    #[test]
    fn decimal_digits_match_num_bigint() {
        let mut values: std::vec::Vec<BigUint> = std::vec::Vec::new();
        let ten19 = BigUint::from(10_000_000_000_000_000_000u64);
        let mut p = BigUint::from(1u32);
        for _ in 0..6 {
            p *= &ten19;
            values.push(&p - 1u32);
            values.push(p.clone());
            values.push(&p + 1u32);
        }
        for bits in [63u32, 64, 65, 127, 128, 129, 1000, 14285] {
            values.push(BigUint::from(1u32) << bits);
            values.push((BigUint::from(1u32) << bits) - 1u32);
        }
        values.push(
            "123456789012345678901234567890123456789000000000000000000007"
                .parse()
                .unwrap(),
        );
        for v in values {
            assert_eq!(magnitude_to_decimal(&v), v.to_str_radix(10));
        }
    }
}
