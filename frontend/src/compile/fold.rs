//! Constant folding with the rules of CPython 3.11's Python/ast_opt.c,
//! applied on demand: `fold(e)` is the constant that ast_opt would have
//! replaced `e` with, if any.

use num_bigint::{BigInt, Sign};
use num_traits::{One, Signed, ToPrimitive, Zero};
use rustpython_parser::ast::{self, Expr, Operator, UnaryOp};

use crate::code::Constant;

const MAX_INT_SIZE: u64 = 128;
const MAX_COLLECTION_SIZE: usize = 256;
const MAX_STR_SIZE: usize = 4096;
const MAX_TOTAL_ITEMS: usize = 1024;

/// An AST literal as a code-object constant.
pub fn from_ast(c: &ast::Constant) -> Constant {
    match c {
        ast::Constant::None => Constant::None,
        ast::Constant::Bool(b) => Constant::Bool(*b),
        ast::Constant::Str(s) => Constant::Str(s.clone()),
        ast::Constant::Bytes(b) => Constant::Bytes(b.clone()),
        ast::Constant::Int(i) => Constant::Int(
            BigInt::parse_bytes(i.to_string().as_bytes(), 10).unwrap_or_else(BigInt::zero),
        ),
        ast::Constant::Tuple(t) => Constant::Tuple(t.iter().map(from_ast).collect()),
        ast::Constant::Float(f) => Constant::Float(*f),
        ast::Constant::Complex { real, imag } => Constant::Complex {
            re: *real,
            im: *imag,
        },
        ast::Constant::Ellipsis => Constant::Ellipsis,
    }
}

/// The constant `e` folds to, if any.
pub fn fold(e: &Expr) -> Option<Constant> {
    match e {
        Expr::Constant(c) => Some(from_ast(&c.value)),
        Expr::Name(n)
            if n.id.as_str() == "__debug__" && matches!(n.ctx, ast::ExprContext::Load) =>
        {
            Some(Constant::Bool(true))
        }
        Expr::UnaryOp(u) => {
            let v = fold(&u.operand)?;
            unary(u.op, &v)
        }
        Expr::BinOp(b) => {
            let l = fold(&b.left)?;
            let r = fold(&b.right)?;
            binary(b.op, &l, &r)
        }
        Expr::Tuple(t) if matches!(t.ctx, ast::ExprContext::Load) => const_tuple(&t.elts),
        Expr::Subscript(s) if matches!(s.ctx, ast::ExprContext::Load) => {
            let v = fold(&s.value)?;
            let i = fold(&s.slice)?;
            subscript(&v, &i)
        }
        _ => None,
    }
}

/// `make_const_tuple`: a tuple constant if every element folds.
pub fn const_tuple(elts: &[Expr]) -> Option<Constant> {
    elts.iter()
        .map(fold)
        .collect::<Option<Vec<_>>>()
        .map(Constant::Tuple)
}

fn as_int(c: &Constant) -> Option<BigInt> {
    match c {
        Constant::Int(i) => Some(i.clone()),
        Constant::Bool(b) => Some(BigInt::from(*b as u8)),
        _ => None,
    }
}

fn int_to_f64(i: &BigInt) -> Option<f64> {
    let f = i.to_f64()?;
    if f.is_finite() {
        Some(f)
    } else {
        None
    }
}

fn as_float(c: &Constant) -> Option<f64> {
    match c {
        Constant::Float(f) => Some(*f),
        _ => int_to_f64(&as_int(c)?),
    }
}

fn as_complex(c: &Constant) -> Option<(f64, f64)> {
    match c {
        Constant::Complex { re, im } => Some((*re, *im)),
        _ => Some((as_float(c)?, 0.0)),
    }
}

fn nbits(i: &BigInt) -> u64 {
    i.bits()
}

fn unary(op: UnaryOp, v: &Constant) -> Option<Constant> {
    match op {
        UnaryOp::Not => Some(Constant::Bool(!super::consts::const_truth(v))),
        UnaryOp::Invert => {
            let i = as_int(v)?;
            Some(Constant::Int(-i - 1))
        }
        UnaryOp::UAdd => match v {
            Constant::Bool(b) => Some(Constant::Int(BigInt::from(*b as u8))),
            Constant::Int(_) | Constant::Float(_) | Constant::Complex { .. } => Some(v.clone()),
            _ => None,
        },
        UnaryOp::USub => match v {
            Constant::Bool(_) | Constant::Int(_) => Some(Constant::Int(-as_int(v)?)),
            Constant::Float(f) => Some(Constant::Float(-f)),
            Constant::Complex { re, im } => Some(Constant::Complex { re: -re, im: -im }),
            _ => None,
        },
    }
}

fn is_num(c: &Constant) -> bool {
    matches!(
        c,
        Constant::Int(_) | Constant::Bool(_) | Constant::Float(_) | Constant::Complex { .. }
    )
}

fn kind(c: &Constant) -> u8 {
    match c {
        Constant::Bool(_) | Constant::Int(_) => 0,
        Constant::Float(_) => 1,
        Constant::Complex { .. } => 2,
        _ => 3,
    }
}

/// Python's float floor division and modulo (`float_divmod`).
fn float_divmod(vx: f64, wx: f64) -> Option<(f64, f64)> {
    if wx == 0.0 {
        return None;
    }
    let mut m = vx % wx;
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
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    Some((floordiv, m))
}

fn int_floordiv(a: &BigInt, b: &BigInt) -> Option<(BigInt, BigInt)> {
    if b.is_zero() {
        return None;
    }
    let (mut q, mut r) = (a / b, a % b);
    if !r.is_zero() && (r.sign() != b.sign()) {
        q -= 1;
        r += b;
    }
    Some((q, r))
}

/// `long_true_divide`: the correctly rounded quotient of two integers.
fn int_truediv(a: &BigInt, b: &BigInt) -> Option<f64> {
    if b.is_zero() {
        return None;
    }
    let negative = (a.sign() == Sign::Minus) != (b.sign() == Sign::Minus);
    let (n, d) = (a.abs(), b.abs());
    if n.is_zero() {
        return Some(if negative { -0.0 } else { 0.0 });
    }
    let limit = BigInt::from(1u64 << 53);
    if n <= limit && d <= limit {
        let q = n.to_f64()? / d.to_f64()?;
        return Some(if negative { -q } else { q });
    }
    // Scale so the integer quotient has 55 or 56 bits, keep a sticky bit
    // for the remainder, then round half to even to 53 bits.
    let shift = 55 - (n.bits() as i64 - d.bits() as i64);
    let (num, den) = if shift >= 0 {
        (&n << shift as usize, d.clone())
    } else {
        (n.clone(), &d << (-shift) as usize)
    };
    let q = &num / &den;
    let inexact = !(&num % &den).is_zero();
    let mut mant = q.to_u64()?;
    let qbits = 64 - mant.leading_zeros() as i64;
    let mut exp = -shift;
    let extra = qbits - 53;
    if extra > 0 {
        let dropped = mant & ((1u64 << extra) - 1);
        let half = 1u64 << (extra - 1);
        mant >>= extra;
        exp += extra;
        let above_half = dropped > half || (dropped == half && inexact);
        if above_half || (dropped == half && !inexact && mant & 1 == 1) {
            mant += 1;
        }
    }
    // mant * 2^exp, exact in the normal range.
    let e = exp as i32;
    if !(-1000..=1000).contains(&e) {
        return None;
    }
    let v = mant as f64 * 2f64.powi(e);
    if !v.is_finite() || v < f64::MIN_POSITIVE {
        return None;
    }
    Some(if negative { -v } else { v })
}

fn seq_len(c: &Constant) -> Option<usize> {
    match c {
        Constant::Str(s) => Some(s.chars().count()),
        Constant::Bytes(b) => Some(b.len()),
        Constant::Tuple(t) => Some(t.len()),
        Constant::FrozenSet(t) => Some(t.len()),
        _ => None,
    }
}

fn count_items(c: &Constant, limit: isize) -> isize {
    // `check_complexity`: total number of nested items, bailing out past limit.
    let mut limit = limit;
    if let Constant::Tuple(t) = c {
        limit -= t.len() as isize;
        for it in t {
            if limit < 0 {
                break;
            }
            limit = count_items(it, limit);
        }
    }
    limit
}

fn repeat(seq: &Constant, n: &BigInt) -> Option<Constant> {
    let size = seq_len(seq)?;
    let count = n.to_i64()?;
    if size > 0 {
        let max = if matches!(seq, Constant::Str(_) | Constant::Bytes(_)) {
            MAX_STR_SIZE
        } else {
            MAX_COLLECTION_SIZE
        };
        if count < 0 || count as usize > max.checked_div(size).unwrap_or(0) {
            return None;
        }
        if count > 0
            && matches!(seq, Constant::Tuple(_))
            && count_items(seq, (MAX_TOTAL_ITEMS / count as usize) as isize) < 0
        {
            return None;
        }
    }
    let count = count.max(0) as usize;
    Some(match seq {
        Constant::Str(s) => Constant::Str(s.repeat(count)),
        Constant::Bytes(b) => Constant::Bytes(b.repeat(count)),
        Constant::Tuple(t) => {
            Constant::Tuple(t.iter().cloned().cycle().take(t.len() * count).collect())
        }
        _ => return None,
    })
}

fn binary(op: Operator, l: &Constant, r: &Constant) -> Option<Constant> {
    // Sequences.
    match (op, l, r) {
        (Operator::Add, Constant::Str(a), Constant::Str(b)) => {
            return Some(Constant::Str(format!("{a}{b}")))
        }
        (Operator::Add, Constant::Bytes(a), Constant::Bytes(b)) => {
            return Some(Constant::Bytes([a.as_slice(), b.as_slice()].concat()))
        }
        (Operator::Add, Constant::Tuple(a), Constant::Tuple(b)) => {
            return Some(Constant::Tuple(a.iter().chain(b).cloned().collect()))
        }
        (Operator::Mult, s, n) | (Operator::Mult, n, s)
            if seq_len(s).is_some()
                && !matches!(s, Constant::FrozenSet(_))
                && as_int(n).is_some() =>
        {
            return repeat(s, &as_int(n)?);
        }
        _ => {}
    }
    if !is_num(l) || !is_num(r) {
        return None;
    }
    let k = kind(l).max(kind(r));
    if k == 0 {
        let a = as_int(l)?;
        let b = as_int(r)?;
        let both_bool = matches!(l, Constant::Bool(_)) && matches!(r, Constant::Bool(_));
        let int = |i: BigInt| Some(Constant::Int(i));
        return match op {
            Operator::Add => int(a + b),
            Operator::Sub => int(a - b),
            Operator::Mult => {
                if !a.is_zero() && !b.is_zero() && nbits(&a) + nbits(&b) > MAX_INT_SIZE {
                    return None;
                }
                int(a * b)
            }
            Operator::Div => Some(Constant::Float(int_truediv(&a, &b)?)),
            Operator::FloorDiv => int(int_floordiv(&a, &b)?.0),
            Operator::Mod => int(int_floordiv(&a, &b)?.1),
            Operator::Pow => {
                if b.sign() == Sign::Minus {
                    if a.is_zero() {
                        return None;
                    }
                    // long_pow hands negative exponents to float_pow (C pow).
                    let base = int_to_f64(&a)?;
                    let e = int_to_f64(&b)?;
                    let v = base.powf(e);
                    return if v.is_finite() {
                        Some(Constant::Float(v))
                    } else {
                        None
                    };
                }
                if !a.is_zero() && b.sign() == Sign::Plus {
                    let w = b.to_u64()?;
                    if nbits(&a) > MAX_INT_SIZE / w {
                        return None;
                    }
                }
                if b.is_zero() {
                    return int(BigInt::one());
                }
                // 0, 1 and -1 stay small whatever the exponent.
                if a.is_zero() || a.is_one() {
                    return int(a);
                }
                if a == -BigInt::one() {
                    let odd = (&b % 2u32).is_one();
                    return int(if odd { a } else { BigInt::one() });
                }
                let e = b.to_u32()?;
                int(num_traits::pow(a, e as usize))
            }
            Operator::LShift => {
                if b.sign() == Sign::Minus {
                    return None;
                }
                if a.is_zero() {
                    return int(BigInt::zero());
                }
                if !a.is_zero() && !b.is_zero() {
                    let w = b.to_u64()?;
                    if w > MAX_INT_SIZE || nbits(&a) > MAX_INT_SIZE - w {
                        return None;
                    }
                }
                int(a << b.to_usize()?)
            }
            Operator::RShift => {
                if b.sign() == Sign::Minus {
                    return None;
                }
                let s = b.to_usize().unwrap_or(usize::MAX);
                if s > nbits(&a) as usize {
                    return int(if a.sign() == Sign::Minus {
                        -BigInt::one()
                    } else {
                        BigInt::zero()
                    });
                }
                // Arithmetic shift rounds toward negative infinity.
                int(int_floordiv(&a, &(BigInt::one() << s))?.0)
            }
            Operator::BitOr if both_bool => Some(Constant::Bool(!a.is_zero() | !b.is_zero())),
            Operator::BitAnd if both_bool => Some(Constant::Bool(!a.is_zero() & !b.is_zero())),
            Operator::BitXor if both_bool => Some(Constant::Bool(!a.is_zero() ^ !b.is_zero())),
            Operator::BitOr => int(a | b),
            Operator::BitAnd => int(a & b),
            Operator::BitXor => int(a ^ b),
            Operator::MatMult => None,
        };
    }
    if k == 1 {
        let a = as_float(l)?;
        let b = as_float(r)?;
        let v = match op {
            Operator::Add => a + b,
            Operator::Sub => a - b,
            Operator::Mult => a * b,
            Operator::Div => {
                if b == 0.0 {
                    return None;
                }
                a / b
            }
            Operator::FloorDiv => float_divmod(a, b)?.0,
            Operator::Mod => float_divmod(a, b)?.1,
            Operator::Pow => {
                if a == 0.0 && b < 0.0 {
                    return None;
                }
                if a < 0.0 && b.fract() != 0.0 && b.is_finite() {
                    // Negative numbers raised to fractional powers become complex.
                    let (re, im) = complex_pow(a, 0.0, b, 0.0)?;
                    return Some(Constant::Complex { re, im });
                }
                a.powf(b)
            }
            _ => return None,
        };
        // Only `**` reports overflow; the other operations give infinities.
        if op == Operator::Pow && !v.is_finite() && a.is_finite() && b.is_finite() {
            return None;
        }
        return Some(Constant::Float(v));
    }
    let (ar, ai) = as_complex(l)?;
    let (br, bi) = as_complex(r)?;
    let (re, im) = match op {
        Operator::Add => (ar + br, ai + bi),
        Operator::Sub => (ar - br, ai - bi),
        Operator::Mult => (ar * br - ai * bi, ar * bi + ai * br),
        Operator::Div => complex_div(ar, ai, br, bi)?,
        Operator::Pow => complex_pow(ar, ai, br, bi)?,
        _ => return None,
    };
    Some(Constant::Complex { re, im })
}

fn c_prod(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// `c_powu`: binary exponentiation.
fn c_powu(x: (f64, f64), n: i64) -> (f64, f64) {
    let mut r = (1.0, 0.0);
    let mut p = x;
    let mut mask: i64 = 1;
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = c_prod(r, p);
        }
        mask <<= 1;
        p = c_prod(p, p);
    }
    r
}

/// `complex_pow` (Objects/complexobject.c): `None` where CPython raises.
fn complex_pow(ar: f64, ai: f64, br: f64, bi: f64) -> Option<(f64, f64)> {
    let r = if bi == 0.0 && br == br.floor() && br.abs() <= 100.0 {
        let n = br as i64;
        if n > 0 {
            c_powu((ar, ai), n)
        } else {
            let d = c_powu((ar, ai), -n);
            complex_div(1.0, 0.0, d.0, d.1)?
        }
    } else if br == 0.0 && bi == 0.0 {
        (1.0, 0.0)
    } else if ar == 0.0 && ai == 0.0 {
        if bi != 0.0 || br < 0.0 {
            return None;
        }
        (0.0, 0.0)
    } else {
        let vabs = ar.hypot(ai);
        let mut len = vabs.powf(br);
        let at = ai.atan2(ar);
        let mut phase = at * br;
        if bi != 0.0 {
            len /= (at * bi).exp();
            phase += bi * vabs.ln();
        }
        (len * phase.cos(), len * phase.sin())
    };
    if !r.0.is_finite() || !r.1.is_finite() {
        return None;
    }
    Some(r)
}

/// `_Py_c_quot`.
fn complex_div(ar: f64, ai: f64, br: f64, bi: f64) -> Option<(f64, f64)> {
    let abs_br = br.abs();
    let abs_bi = bi.abs();
    if abs_br >= abs_bi {
        if abs_br == 0.0 {
            return None;
        }
        let ratio = bi / br;
        let denom = br + bi * ratio;
        Some(((ar + ai * ratio) / denom, (ai - ar * ratio) / denom))
    } else if abs_bi >= abs_br {
        let ratio = br / bi;
        let denom = br * ratio + bi;
        Some(((ar * ratio + ai) / denom, (ai * ratio - ar) / denom))
    } else {
        None
    }
}

fn subscript(v: &Constant, i: &Constant) -> Option<Constant> {
    let idx = as_int(i)?.to_i64()?;
    let norm = |len: usize| -> Option<usize> {
        let j = if idx < 0 { idx + len as i64 } else { idx };
        if j < 0 || j >= len as i64 {
            None
        } else {
            Some(j as usize)
        }
    };
    match v {
        Constant::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Some(Constant::Str(chars[norm(chars.len())?].to_string()))
        }
        Constant::Bytes(b) => Some(Constant::Int(BigInt::from(b[norm(b.len())?]))),
        Constant::Tuple(t) => Some(t[norm(t.len())?].clone()),
        _ => None,
    }
}
