//! Unicode facts the runtime needs, generated from CPython's database.

mod printable;

/// `str.isprintable()` of one character.
pub fn is_printable(c: char) -> bool {
    let c = c as u32;
    if c < 0x80 {
        return (0x20..0x7f).contains(&c);
    }
    let table = &printable::NONPRINTABLE;
    // The last range starting at or before c.
    let i = table.partition_point(|&(lo, _)| lo <= c);
    i == 0 || c > table[i - 1].1
}

#[cfg(test)]
mod tests {
    use super::is_printable;

    #[test]
    fn matches_cpython_samples() {
        // Expected values: python3 -c "print(chr(c).isprintable())".
        for (c, p) in [
            (' ', true),
            ('\x7f', false),
            ('\u{a0}', false),
            ('é', true),
            ('\u{ad}', false),
            ('\u{378}', false),
            ('日', true),
            ('😀', true),
            ('\u{2028}', false),
            ('\u{e000}', false),
            ('\u{10ffff}', false),
            ('\u{feff}', false),
            ('\u{3000}', false),
            ('ß', true),
        ] {
            assert_eq!(is_printable(c), p, "{:x}", c as u32);
        }
    }
}
