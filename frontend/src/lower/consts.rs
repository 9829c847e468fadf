//! The program's constant table: every code object's `co_consts` plus the
//! names compiled code needs as str objects, flattened, deduplicated and
//! written back to back in `marshal` format (version 4, no refs), which the
//! runtime unmarshals into the `consts` array at start-up.

use crate::code::Constant;
use num_bigint::{BigInt, Sign};
use std::collections::HashMap;

/// Constants by index; equal constants (same marshal bytes, so `1`, `True`
/// and `1.0` stay distinct) share one index.
#[derive(Default)]
pub struct ConstTable {
    blob: Vec<u8>,
    index: HashMap<Vec<u8>, u32>,
    count: u32,
}

impl ConstTable {
    /// The index of `c`, adding it if it is new.
    pub fn add(&mut self, c: &Constant) -> u32 {
        let mut bytes = Vec::new();
        write_constant(&mut bytes, c);
        if let Some(&i) = self.index.get(&bytes) {
            return i;
        }
        let i = self.count;
        self.count += 1;
        self.blob.extend_from_slice(&bytes);
        self.index.insert(bytes, i);
        i
    }

    pub fn add_str(&mut self, s: &str) -> u32 {
        self.add(&Constant::Str(s.to_string()))
    }

    pub fn len(&self) -> u32 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn blob(&self) -> &[u8] {
        &self.blob
    }
}

/// `marshal.dumps(c)` without refs; a code object is written as `None`
/// (compiled code never loads it as a value).
pub fn write_constant(out: &mut Vec<u8>, c: &Constant) {
    match c {
        Constant::None | Constant::Code(_) => out.push(b'N'),
        Constant::Ellipsis => out.push(b'.'),
        Constant::Bool(true) => out.push(b'T'),
        Constant::Bool(false) => out.push(b'F'),
        Constant::Int(n) => write_int(out, n),
        Constant::Float(f) => {
            out.push(b'g');
            out.extend_from_slice(&f.to_le_bytes());
        }
        Constant::Complex { re, im } => {
            out.push(b'y');
            out.extend_from_slice(&re.to_le_bytes());
            out.extend_from_slice(&im.to_le_bytes());
        }
        Constant::Str(s) => {
            out.push(b'u');
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        Constant::Bytes(b) => {
            out.push(b's');
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        }
        Constant::Tuple(items) => {
            if items.len() < 256 {
                out.push(b')');
                out.push(items.len() as u8);
            } else {
                out.push(b'(');
                out.extend_from_slice(&(items.len() as u32).to_le_bytes());
            }
            for item in items {
                write_constant(out, item);
            }
        }
        Constant::FrozenSet(items) => {
            out.push(b'>');
            out.extend_from_slice(&(items.len() as u32).to_le_bytes());
            for item in items {
                write_constant(out, item);
            }
        }
    }
}

/// `TYPE_INT` for 32-bit values, else `TYPE_LONG`: a signed count of 15-bit
/// digits, least significant first (Python/marshal.c `w_PyLong`).
fn write_int(out: &mut Vec<u8>, n: &BigInt) {
    if let Ok(small) = i32::try_from(n) {
        out.push(b'i');
        out.extend_from_slice(&small.to_le_bytes());
        return;
    }
    let (sign, magnitude) = n.to_u32_digits();
    let mut digits: Vec<u16> = Vec::new();
    let (mut acc, mut bits) = (0u64, 0u32);
    for word in magnitude {
        acc |= (word as u64) << bits;
        bits += 32;
        while bits >= 15 {
            digits.push((acc & 0x7fff) as u16);
            acc >>= 15;
            bits -= 15;
        }
    }
    if bits > 0 {
        digits.push(acc as u16);
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let count = digits.len() as i32;
    out.push(b'l');
    let signed = if sign == Sign::Minus { -count } else { count };
    out.extend_from_slice(&signed.to_le_bytes());
    for d in digits {
        out.extend_from_slice(&d.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dumps(c: &Constant) -> Vec<u8> {
        let mut v = Vec::new();
        write_constant(&mut v, c);
        v
    }

    #[test]
    fn ints_match_cpython() {
        // python3: marshal.dumps(2**40).hex(), with the FLAG_REF bit (0x80) cleared
        assert_eq!(
            hex(&dumps(&Constant::Int(BigInt::from(1u64 << 40)))),
            "6c03000000000000000004"
        );
        // marshal.dumps(-(2**31)-1)
        assert_eq!(
            hex(&dumps(&Constant::Int(BigInt::from(-(1i64 << 31) - 1)))),
            "6cfdffffff010000000200"
        );
        assert_eq!(hex(&dumps(&Constant::Int(BigInt::from(-5)))), "69fbffffff");
    }

    #[test]
    fn dedupes_equal_constants_only() {
        let mut t = ConstTable::default();
        let a = t.add(&Constant::Int(BigInt::from(1)));
        let b = t.add(&Constant::Bool(true));
        let c = t.add(&Constant::Int(BigInt::from(1)));
        assert_eq!((a, b, c), (0, 1, 0));
        assert_eq!(t.len(), 2);
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
