//! Reading the program's constants: the subset of CPython's marshal format
//! (Python/marshal.c, version 4, without references) that pyaot emits.

use crate::object::{ellipsis, false_, none, true_, Value};
use crate::{bytes, int, str, tuple, Global};
use num_bigint::{BigInt, Sign};

const FLAG_REF: u8 = 0x80;

/// What makes a float constant: set by the `pyrt_const_float` feature, so
/// that only programs with float constants link the float type here.
type NewFloat = fn(f64) -> Value;

#[cfg(not(test))]
static FLOAT_CONSTRUCTOR: Global<Option<NewFloat>> = Global::new(None);
#[cfg(test)]
static FLOAT_CONSTRUCTOR: Global<Option<NewFloat>> = Global::new(Some(crate::float::new));

pub fn enable_floats(new: NewFloat) {
    *FLOAT_CONSTRUCTOR.get() = Some(new);
}

/// A volatile read: the optimizer must not see which function the feature
/// stores and call it directly (linking the float type into every program).
fn float_constructor() -> Option<NewFloat> {
    unsafe { core::ptr::read_volatile(FLOAT_CONSTRUCTOR.get()) }
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
                let mut digits = alloc::vec::Vec::with_capacity(n.unsigned_abs() as usize);
                for _ in 0..n.unsigned_abs() {
                    let b = self.bytes(2)?;
                    digits.push(u16::from_le_bytes([b[0], b[1]]) as u32);
                }
                // 15-bit digits, least significant first.
                let mut v = BigInt::from(0);
                for &d in digits.iter().rev() {
                    v = (v << 15u32) + BigInt::from(d);
                }
                if n < 0 {
                    v = BigInt::from_biguint(Sign::Minus, v.magnitude().clone());
                }
                int::from_big(v)
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
                bytes::new(self.bytes(n)?)
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
