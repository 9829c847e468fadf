//! Reading the program's constants: the subset of CPython's marshal format
//! (Python/marshal.c, version 4, without references) that pyaot emits.

use crate::object::{ellipsis, false_, none, true_, Value};
use crate::{int, str, tuple, Global};
use num_bigint::{BigInt, Sign};

const FLAG_REF: u8 = 0x80;

/// An int constant of at most this many 15-bit digits fits in an `i64`
/// (60 bits) and is read without big-int arithmetic.
const SMALL_LONG_DIGITS: usize = 4;

/// Constructors for the constant types only some programs have, each set by
/// its feature record (`abi::FLOAT_CONSTANTS`, `abi::BYTES_CONSTANTS`,
/// `abi::LONG_CONSTANTS`), so that a program without such constants links
/// neither the type nor the code that builds it.
type NewFloat = fn(f64) -> Value;
type NewBytes = fn(&[u8]) -> Value;
/// From the sign and the 15-bit digits (2 bytes each, least significant
/// first) of a `TYPE_LONG`.
type NewLong = fn(bool, &[u8]) -> Value;

#[cfg(not(test))]
static FLOAT_CONSTRUCTOR: Global<Option<NewFloat>> = Global::new(None);
#[cfg(test)]
static FLOAT_CONSTRUCTOR: Global<Option<NewFloat>> = Global::new(Some(crate::float::new));
#[cfg(not(test))]
static BYTES_CONSTRUCTOR: Global<Option<NewBytes>> = Global::new(None);
#[cfg(test)]
static BYTES_CONSTRUCTOR: Global<Option<NewBytes>> = Global::new(Some(crate::bytes::new));
#[cfg(not(test))]
static LONG_CONSTRUCTOR: Global<Option<NewLong>> = Global::new(None);
#[cfg(test)]
static LONG_CONSTRUCTOR: Global<Option<NewLong>> = Global::new(Some(big_long));

pub fn enable_floats(new: NewFloat) {
    *FLOAT_CONSTRUCTOR.get() = Some(new);
}

/// The bytes-constants feature (`abi::BYTES_CONSTANTS`).
#[export_name = "pyrt_const_bytes"]
pub static CONST_BYTES: crate::start::Feature = crate::start::Feature {
    init: || *BYTES_CONSTRUCTOR.get() = Some(crate::bytes::new),
};

/// The big-int-constants feature (`abi::LONG_CONSTANTS`).
#[export_name = "pyrt_const_long"]
pub static CONST_LONG: crate::start::Feature = crate::start::Feature {
    init: || *LONG_CONSTRUCTOR.get() = Some(big_long),
};

/// Volatile reads: the optimizer must not see which function a feature
/// stores and call it directly (linking its type into every program).
fn float_constructor() -> Option<NewFloat> {
    unsafe { core::ptr::read_volatile(FLOAT_CONSTRUCTOR.get()) }
}

fn bytes_constructor() -> Option<NewBytes> {
    unsafe { core::ptr::read_volatile(BYTES_CONSTRUCTOR.get()) }
}

fn long_constructor() -> Option<NewLong> {
    unsafe { core::ptr::read_volatile(LONG_CONSTRUCTOR.get()) }
}

/// A `TYPE_LONG` of any size (`r_PyLong`).
fn big_long(negative: bool, digits: &[u8]) -> Value {
    let mut v = BigInt::from(0);
    for d in digits.chunks_exact(2).rev() {
        v = (v << 15u32) + BigInt::from(u16::from_le_bytes([d[0], d[1]]));
    }
    if negative {
        v = BigInt::from_biguint(Sign::Minus, v.magnitude().clone());
    }
    int::from_big(v)
}

/// Why the constants blob could not be read (a compiler bug, reported as a
/// fatal error at start-up).
#[derive(Debug, PartialEq, Eq)]
pub enum MarshalError {
    Truncated,
    BadType(u8),
    /// A constant of a type the runtime does not have (complex).
    Unsupported(&'static str),
}

pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], MarshalError> {
        let end = self.pos.checked_add(n).ok_or(MarshalError::Truncated)?;
        let b = self
            .data
            .get(self.pos..end)
            .ok_or(MarshalError::Truncated)?;
        self.pos = end;
        Ok(b)
    }

    fn u8(&mut self) -> Result<u8, MarshalError> {
        Ok(self.bytes(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, MarshalError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn text(&mut self, n: usize) -> Result<Value, MarshalError> {
        let b = self.bytes(n)?;
        // CPython writes lone surrogates as UTF-8 ("surrogatepass"); they
        // become U+FFFD here.
        Ok(str::new(&alloc::string::String::from_utf8_lossy(b)))
    }

    /// Reads one object (`r_object`).
    pub fn object(&mut self) -> Result<Value, MarshalError> {
        let code = self.u8()? & !FLAG_REF;
        Ok(match code {
            b'N' => none(),
            b'T' => true_(),
            b'F' => false_(),
            b'.' => ellipsis(),
            b'i' => int::from_i64(self.u32()? as i32 as i64),
            b'l' => {
                let n = self.u32()? as i32;
                let ndigits = n.unsigned_abs() as usize;
                let digits = self.bytes(ndigits.checked_mul(2).ok_or(MarshalError::Truncated)?)?;
                if ndigits <= SMALL_LONG_DIGITS {
                    // 15-bit digits, least significant first.
                    let magnitude = digits.chunks_exact(2).rev().fold(0i64, |v, d| {
                        (v << 15) | u16::from_le_bytes([d[0], d[1]]) as i64
                    });
                    int::from_i64(if n < 0 { -magnitude } else { magnitude })
                } else {
                    match long_constructor() {
                        Some(new) => new(n < 0, digits),
                        None => return Err(MarshalError::Unsupported("int (no big int feature)")),
                    }
                }
            }
            b'g' => {
                let b = self.bytes(8)?;
                let x = f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                match float_constructor() {
                    Some(new) => new(x),
                    None => return Err(MarshalError::Unsupported("float (no float feature)")),
                }
            }
            b'z' | b'Z' => {
                let n = self.u8()? as usize;
                self.text(n)?
            }
            b'a' | b'A' | b'u' | b't' => {
                let n = self.u32()? as usize;
                self.text(n)?
            }
            b's' => {
                let n = self.u32()? as usize;
                let data = self.bytes(n)?;
                match bytes_constructor() {
                    Some(new) => new(data),
                    None => return Err(MarshalError::Unsupported("bytes (no bytes feature)")),
                }
            }
            b')' | b'(' => {
                let n = if code == b')' {
                    self.u8()? as usize
                } else {
                    self.u32()? as usize
                };
                let t = tuple::new(n);
                for i in 0..n {
                    let item = self.object()?;
                    tuple::items_mut(t)[i] = item;
                }
                t
            }
            b'y' => {
                self.bytes(16)?;
                return Err(MarshalError::Unsupported("complex"));
            }
            other => return Err(MarshalError::BadType(other)),
        })
    }
}
