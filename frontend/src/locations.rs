//! Decoding the 3.11 location table (`co_linetable`, Objects/locations.md).

/// Source location of one code unit. Lines are 1-based; columns are 0-based
/// UTF-8 byte offsets, as CPython stores them. `None` where the table says
/// the information is absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub line: Option<u32>,
    pub end_line: Option<u32>,
    pub col: Option<u32>,
    pub end_col: Option<u32>,
}

/// One location per 2-byte code unit of `co_code` (`code_units` of them;
/// units the table does not cover get `Location::default()`).
pub fn decode(firstlineno: u32, table: &[u8], code_units: usize) -> Vec<Location> {
    let mut out = Vec::with_capacity(code_units);
    let mut line = firstlineno as i64;
    let mut pos = 0usize;
    let byte = |p: &mut usize| -> u32 {
        let b = table.get(*p).copied().unwrap_or(0) as u32;
        *p += 1;
        b
    };
    let varint = |p: &mut usize| -> u32 {
        let mut shift = 0;
        let mut b = byte(p);
        let mut val = b & 63;
        while b & 64 != 0 && shift < 28 {
            shift += 6;
            b = byte(p);
            val |= (b & 63) << shift;
        }
        val
    };
    let svarint = |p: &mut usize| -> i64 {
        let u = varint(p);
        if u & 1 != 0 {
            -((u >> 1) as i64)
        } else {
            (u >> 1) as i64
        }
    };
    while pos < table.len() && out.len() < code_units {
        let first = byte(&mut pos);
        let code = (first >> 3) & 15;
        let len = (first & 7) as usize + 1;
        let loc = match code {
            15 => Location::default(),
            14 => {
                line += svarint(&mut pos);
                let end_line = line + varint(&mut pos) as i64;
                let col = varint(&mut pos);
                let end_col = varint(&mut pos);
                Location {
                    line: Some(line as u32),
                    end_line: Some(end_line as u32),
                    col: col.checked_sub(1),
                    end_col: end_col.checked_sub(1),
                }
            }
            13 => {
                line += svarint(&mut pos);
                Location {
                    line: Some(line as u32),
                    end_line: Some(line as u32),
                    col: None,
                    end_col: None,
                }
            }
            10..=12 => {
                line += (code - 10) as i64;
                let col = byte(&mut pos);
                let end_col = byte(&mut pos);
                Location {
                    line: Some(line as u32),
                    end_line: Some(line as u32),
                    col: Some(col),
                    end_col: Some(end_col),
                }
            }
            _ => {
                let second = byte(&mut pos);
                let col = code << 3 | (second >> 4);
                Location {
                    line: Some(line as u32),
                    end_line: Some(line as u32),
                    col: Some(col),
                    end_col: Some(col + (second & 15)),
                }
            }
        };
        for _ in 0..len {
            out.push(loc);
        }
    }
    out.resize(code_units, Location::default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_cpython_module_table() {
        // `x = 1\nprint(x)` compiled by CPython 3.11 (co_firstlineno 1);
        // expected values are its `co_positions()`.
        let table = b"\xf0\x03\x01\x01\x01\xd8\x04\x05\x80\x01\xd8\x00\x05\x80\x05\x80a\x81\x08\x84\x08\x80\x08\x80\x08\x80\x08";
        let locs = decode(1, table, 16);
        let at = |i: usize| {
            let l = locs[i];
            (
                l.line.unwrap(),
                l.end_line.unwrap(),
                l.col.unwrap(),
                l.end_col.unwrap(),
            )
        };
        assert_eq!(at(0), (0, 1, 0, 0));
        assert_eq!(at(1), (1, 1, 4, 5));
        assert_eq!(at(2), (1, 1, 0, 1));
        assert_eq!(at(3), (2, 2, 0, 5));
        assert_eq!(at(5), (2, 2, 6, 7));
    }
}
