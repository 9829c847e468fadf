//! Python float semantics (Objects/floatobject.c) and the int/float bridge
//! (Objects/longobject.c): correctly rounded conversions and division, exact
//! comparison.

use super::int::IntValue;
use super::NumError;
use core::cmp::Ordering;
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

const DBL_MANT_DIG: i64 = 53;
const DBL_MAX_EXP: i64 = 1024;
const DBL_MIN_EXP: i64 = -1021;
/// 2**63 as a float: the first float past `i64::MAX`.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// `a / b` <- `float_div`.
pub fn float_div(a: f64, b: f64) -> Result<f64, NumError> {
    if b == 0.0 {
        return Err(NumError::ZeroDivision("float division by zero"));
    }
    Ok(a / b)
}

/// `a % b` <- `float_rem`: the result has the sign of `b`.
pub fn float_mod(a: f64, b: f64) -> Result<f64, NumError> {
    if b == 0.0 {
        return Err(NumError::ZeroDivision("float modulo"));
    }
    let m = libm::fmod(a, b);
    Ok(if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m + b
        } else {
            m
        }
    } else {
        // fmod's zero sign varies across platforms: use the divisor's.
        0.0f64.copysign(b)
    })
}

/// `divmod(a, b)` <- `float_divmod`.
pub fn float_divmod(a: f64, b: f64) -> Result<(f64, f64), NumError> {
    if b == 0.0 {
        return Err(NumError::ZeroDivision("float divmod()"));
    }
    Ok(float_div_mod(a, b))
}

/// `a // b` <- `float_floor_div`.
pub fn float_floordiv(a: f64, b: f64) -> Result<f64, NumError> {
    if b == 0.0 {
        return Err(NumError::ZeroDivision("float floor division by zero"));
    }
    Ok(float_div_mod(a, b).0)
}

/// `_float_div_mod`: floor quotient and modulo for a nonzero divisor.
fn float_div_mod(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = libm::fmod(vx, wx);
    // fmod is exact, so vx - m is mathematically a multiple of wx; the
    // division may still be a hair off an integer, hence the snapping.
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let f = libm::floor(div);
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        // zero with the sign of the true quotient
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

/// `DOUBLE_IS_ODD_INTEGER`.
fn is_odd_integer(x: f64) -> bool {
    libm::fmod(x.abs(), 2.0) == 1.0
}

/// `a ** b` <- `float_pow` (no modulus): CPython's special cases first, then
/// the platform `pow`. A negative base with a non-integer exponent gives
/// [`NumError::ComplexResult`] (CPython returns a complex there); a finite
/// result too large for a float is `OverflowError: (34, 'Numerical result
/// out of range')`.
pub fn float_pow(iv: f64, iw: f64) -> Result<f64, NumError> {
    if iw == 0.0 {
        return Ok(1.0); // v**0 is 1, even 0**0 and nan**0
    }
    if iv.is_nan() {
        return Ok(iv);
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let iv = iv.abs();
        return Ok(if iv == 1.0 {
            1.0
        } else if (iw > 0.0) == (iv > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Ok(if iw > 0.0 {
            if odd {
                iv
            } else {
                iv.abs()
            }
        } else if odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(NumError::ZeroDivision(
                "0.0 cannot be raised to a negative power",
            ));
        }
        return Ok(if is_odd_integer(iw) { iv } else { 0.0 });
    }
    let mut iv = iv;
    let mut negate = false;
    if iv < 0.0 {
        if iw != libm::floor(iw) {
            return Err(NumError::ComplexResult);
        }
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if iv == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let ix = super::pow::pow_positive(iv, iw);
    if ix.is_infinite() {
        return Err(NumError::Overflow("(34, 'Numerical result out of range')"));
    }
    Ok(if negate { -ix } else { ix })
}

/// `float(n)` <- `PyLong_AsDouble`: round-half-even, `OverflowError` when
/// the rounded value does not fit.
pub fn int_to_f64(n: &BigInt) -> Result<f64, NumError> {
    if let Some(small) = n.to_i64() {
        return Ok(small as f64); // Rust's i64 -> f64 rounds half-even
    }
    let mag = n.magnitude();
    let bits = mag.bits();
    const OVERFLOW: NumError = NumError::Overflow("int too large to convert to float");
    if bits > DBL_MAX_EXP as u64 {
        return Err(OVERFLOW);
    }
    // The top 64 bits, with a sticky bit for anything below, round to 53
    // bits exactly as the whole number would.
    let shift = bits - 64;
    let mut top = (mag >> shift).to_u64().unwrap_or(u64::MAX);
    if mag.trailing_zeros().unwrap_or(0) < shift {
        top |= 1;
    }
    let x = libm::scalbn(top as f64, shift as i32);
    if x.is_infinite() {
        return Err(OVERFLOW);
    }
    Ok(if n.sign() == Sign::Minus { -x } else { x })
}

/// `a / b` for ints <- `long_true_divide`: correctly rounded (one rounding
/// of the exact quotient), `OverflowError: integer division result too
/// large for a float`.
pub fn int_true_div(a: &BigInt, b: &BigInt) -> Result<f64, NumError> {
    if b.is_zero() {
        return Err(NumError::ZeroDivision("division by zero"));
    }
    let negate = a.is_negative() != b.is_negative();
    let signed = |x: f64| if negate { -x } else { x };
    if a.is_zero() {
        return Ok(signed(0.0));
    }
    let (a, b) = (a.magnitude(), b.magnitude());
    let (a_bits, b_bits) = (a.bits() as i64, b.bits() as i64);
    // Both exact as doubles: one IEEE division rounds correctly.
    if a_bits <= DBL_MANT_DIG && b_bits <= DBL_MANT_DIG {
        let (da, db) = (
            a.to_u64().unwrap_or(0) as f64,
            b.to_u64().unwrap_or(1) as f64,
        );
        return Ok(signed(da / db));
    }
    const OVERFLOW: NumError = NumError::Overflow("integer division result too large for a float");
    let diff = a_bits - b_bits;
    if diff > DBL_MAX_EXP {
        return Err(OVERFLOW);
    } else if diff < DBL_MIN_EXP - DBL_MANT_DIG - 1 {
        return Ok(signed(0.0));
    }
    // x = a / b * 2**-shift has DBL_MANT_DIG + 2 or + 3 bits (fewer for a
    // subnormal result), so rounding x to DBL_MANT_DIG bits is exact in an
    // integer; `inexact` remembers every bit dropped on the way.
    let shift = diff.max(DBL_MIN_EXP) - DBL_MANT_DIG - 2;
    let mut inexact = false;
    let x: BigUint = if shift <= 0 {
        a << (-shift) as u64
    } else {
        inexact = a.trailing_zeros().unwrap_or(0) < shift as u64;
        a >> shift as u64
    };
    let (x, rem) = x.div_rem(b);
    inexact |= !rem.is_zero();
    let x_bits = x.bits() as i64;
    let extra_bits = x_bits.max(DBL_MIN_EXP - shift) - DBL_MANT_DIG;
    let mut low = x.to_u64().unwrap_or(0) | inexact as u64;
    let mask = 1u64 << (extra_bits - 1);
    if low & mask != 0 && low & (3 * mask - 1) != 0 {
        low += mask;
    }
    low &= !(2 * mask - 1);
    let dx = low as f64; // exact: at most DBL_MANT_DIG significant bits
    if shift + x_bits >= DBL_MAX_EXP
        && (shift + x_bits > DBL_MAX_EXP || dx == libm::scalbn(1.0, x_bits as i32))
    {
        return Err(OVERFLOW);
    }
    Ok(signed(libm::scalbn(dx, shift as i32)))
}

/// Compares an int with a float exactly <- `float_richcompare`; `None` when
/// the float is a NaN (every comparison but `!=` is then False).
pub fn int_float_cmp(a: &BigInt, f: f64) -> Option<Ordering> {
    if let Some(small) = a.to_i64() {
        return i64_float_cmp(small, f);
    }
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    // a is an integer: a < f iff a <= floor(f) < f, a > f iff a > floor(f).
    let floor = libm::floor(f);
    let floor_int = finite_to_bigint(floor);
    Some(match a.cmp(&floor_int) {
        Ordering::Equal if f > floor => Ordering::Less,
        other => other,
    })
}

/// [`int_float_cmp`] for a small int.
pub fn i64_float_cmp(a: i64, f: f64) -> Option<Ordering> {
    if a.unsigned_abs() <= 1 << DBL_MANT_DIG {
        return (a as f64).partial_cmp(&f); // exact conversion
    }
    if f.is_nan() {
        return None;
    }
    let floor = libm::floor(f);
    if floor >= TWO_POW_63 {
        return Some(Ordering::Less);
    }
    if floor < -TWO_POW_63 {
        return Some(Ordering::Greater);
    }
    Some(match a.cmp(&(floor as i64)) {
        Ordering::Equal if f > floor => Ordering::Less,
        other => other,
    })
}

/// `int(x)` for a float <- `PyLong_FromDouble`: truncates toward zero.
pub fn float_to_int(x: f64) -> Result<IntValue, NumError> {
    if x.is_nan() {
        return Err(NumError::Value("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(NumError::Overflow(
            "cannot convert float infinity to integer",
        ));
    }
    let t = libm::trunc(x);
    if t.abs() < TWO_POW_63 {
        return Ok(IntValue::Small(t as i64));
    }
    Ok(IntValue::Big(finite_to_bigint(t)))
}

/// The exact value of a finite, integral float.
fn finite_to_bigint(x: f64) -> BigInt {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exponent) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, exponent - 1075)
    };
    let magnitude = if exponent >= 0 {
        BigUint::from(mantissa) << exponent as u64
    } else {
        BigUint::from(mantissa >> (-exponent).min(63) as u64)
    };
    BigInt::from_biguint(if x < 0.0 { Sign::Minus } else { Sign::Plus }, magnitude)
}

/// `hash(x)` <- `_Py_HashDouble`: equal to the hash of the int, or of the
/// fraction, with the same value; `±314159` for infinities. `None` for a
/// NaN, which CPython hashes by object identity.
pub fn float_hash(v: f64) -> Option<i64> {
    const BITS: i32 = 61;
    const MODULUS: u64 = super::int::HASH_MODULUS;
    if v.is_nan() {
        return None;
    }
    if v.is_infinite() {
        return Some(if v > 0.0 { 314159 } else { -314159 });
    }
    let (mut m, mut e) = libm::frexp(v);
    let negative = m < 0.0;
    m = m.abs();
    // 28 bits at a time, rotating within 61 bits (multiplying by 2**28
    // modulo 2**61 - 1).
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | x >> (BITS - 28);
        m *= 268435456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    // multiply by 2**e modulo 2**61 - 1: reduce e modulo 61 first
    let e = if e >= 0 {
        e % BITS
    } else {
        BITS - 1 - ((-1 - e) % BITS)
    };
    x = ((x << e) & MODULUS) | x >> (BITS - e);
    let h = if negative {
        (x as i64).wrapping_neg()
    } else {
        x as i64
    };
    Some(if h == -1 { -2 } else { h })
}
