//! `str % args`: printf-style formatting (Objects/unicodeobject.c
//! `PyUnicode_Format`): conversions `s r a d i u o x X e E f F g G c %`,
//! flags `- + space # 0`, width and precision (also `*`), `%(key)s` with a
//! mapping argument.

use crate::exc;
use crate::int::{self, Int};
use crate::num::{self, FloatFormat};
use crate::object::{type_of, Value, R};
use crate::{float, ops, str, tuple};
use alloc::string::String;
use alloc::vec::Vec;

#[derive(Default, Clone, Copy)]
struct Spec {
    left: bool,
    sign: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

/// The arguments: a tuple's items, a mapping (anything subscriptable that
/// is not a tuple or str, like CPython's `PyMapping_Check`), or one value.
struct Args<'a> {
    items: &'a [Value],
    next: usize,
    mapping: Option<Value>,
}

impl Args<'_> {
    fn next(&mut self) -> R<Value> {
        match self.items.get(self.next) {
            Some(&v) => {
                self.next += 1;
                Ok(v)
            }
            None => Err(exc::type_error("not enough arguments for format string")),
        }
    }
}

/// `fmt % args` for a str `fmt`.
pub fn percent_format(fmt: Value, args: Value) -> R<Value> {
    let one = [args];
    let is_tuple = tuple::is_tuple(args);
    let is_mapping = !is_tuple && !str::is_str(args) && type_of(args).getitem.is_some();
    let mut a = Args {
        items: if is_tuple { tuple::items(args) } else { &one },
        next: 0,
        mapping: is_mapping.then_some(args),
    };
    let chars: Vec<char> = str::as_str(fmt).chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let start = i;
        let mut keyed = None;
        if chars.get(i) == Some(&'(') {
            let Some(mapping) = a.mapping else {
                return Err(exc::type_error("format requires a mapping"));
            };
            let mut depth = 1;
            let key_start = i + 1;
            i += 1;
            while i < chars.len() && depth > 0 {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Err(exc::value_error("incomplete format key"));
            }
            let key: String = chars[key_start..i - 1].iter().collect();
            let k = str::new(&key);
            keyed = Some(ops::getitem(mapping, k)?);
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.get(i) {
            match f {
                '-' => spec.left = true,
                '+' => spec.sign = true,
                ' ' => spec.space = true,
                '#' => spec.alt = true,
                '0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        if chars.get(i) == Some(&'*') {
            i += 1;
            let w = star_arg(&mut a)?;
            if w < 0 {
                spec.left = true;
            }
            spec.width = w.unsigned_abs();
        } else {
            spec.width = digits(&chars, &mut i)?;
        }
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                i += 1;
                spec.precision = Some(star_arg(&mut a)?.max(0) as usize);
            } else {
                spec.precision = Some(digits(&chars, &mut i)?);
            }
        }
        while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            return Err(exc::value_error("incomplete format"));
        };
        i += 1;
        if conv == '%' && i == start + 1 {
            out.push('%');
            continue;
        }
        let arg = match keyed {
            Some(v) => v,
            None => a.next()?,
        };
        format_one(&mut out, conv, spec, arg, i - 1)?;
    }
    if a.mapping.is_none() && a.next < a.items.len() {
        return Err(exc::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(str::new(&out))
}

fn digits(chars: &[char], i: &mut usize) -> R<usize> {
    let mut n: usize = 0;
    while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(d as usize))
            .ok_or_else(|| exc::value_error("width too big"))?;
        *i += 1;
    }
    Ok(n)
}

fn star_arg(a: &mut Args) -> R<isize> {
    let v = a.next()?;
    if !int::is_int(v) {
        return Err(exc::type_error("* wants int"));
    }
    int::to_isize(v).ok_or_else(|| exc::value_error("width too big"))
}

/// Appends `text` padded to the width (`zeros`: pad with zeros after the
/// sign and prefix `head`).
fn pad(out: &mut String, spec: Spec, head: &str, body: &str, zeros: bool) {
    let len = head.chars().count() + body.chars().count();
    let fill = spec.width.saturating_sub(len);
    if spec.left {
        out.push_str(head);
        out.push_str(body);
        out.extend(core::iter::repeat_n(' ', fill));
    } else if zeros {
        out.push_str(head);
        out.extend(core::iter::repeat_n('0', fill));
        out.push_str(body);
    } else {
        out.extend(core::iter::repeat_n(' ', fill));
        out.push_str(head);
        out.push_str(body);
    }
}

fn format_one(out: &mut String, conv: char, spec: Spec, arg: Value, index: usize) -> R<()> {
    match conv {
        's' | 'r' | 'a' => {
            let mut text = String::new();
            match conv {
                's' => ops::str_into(arg, &mut text)?,
                'r' => ops::repr_into(arg, &mut text)?,
                _ => ascii_into(arg, &mut text)?,
            }
            if let Some(p) = spec.precision {
                if let Some((cut, _)) = text.char_indices().nth(p) {
                    text.truncate(cut);
                }
            }
            pad(out, spec, "", &text, false);
            Ok(())
        }
        'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
            let value = if int::is_int(arg) {
                arg
            } else if matches!(conv, 'd' | 'i' | 'u') && float::is_float(arg) {
                int::to_int(arg)?
            } else {
                let mut m = String::from("%");
                m.push(conv);
                m.push_str(if matches!(conv, 'd' | 'i' | 'u') {
                    " format: a real number is required, not "
                } else {
                    " format: an integer is required, not "
                });
                m.push_str(type_of(arg).name);
                return Err(exc::type_error(&m));
            };
            format_int(out, conv, spec, value);
            Ok(())
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let x = if float::is_float(arg) {
                float::value(arg)
            } else if let Some(i) = int::as_int(arg) {
                i.to_f64()?
            } else {
                let mut m = String::from("must be real number, not ");
                m.push_str(type_of(arg).name);
                return Err(exc::type_error(&m));
            };
            let mut text = String::new();
            let format = FloatFormat {
                sign: spec.sign,
                alt: spec.alt,
                ..FloatFormat::new(conv as u8, spec.precision.unwrap_or(6))
            };
            num::float_format(x, format, &mut text);
            if spec.space && !text.starts_with(['-', '+']) {
                text.insert(0, ' ');
            }
            let (head, body) = match text.chars().next() {
                Some(s @ ('-' | '+' | ' ')) => text.split_at(s.len_utf8()),
                _ => ("", text.as_str()),
            };
            pad(out, spec, head, body, spec.zero);
            Ok(())
        }
        'c' => {
            let ch = if str::is_str(arg) && str::nchars(arg) == 1 {
                str::as_str(arg).chars().next()
            } else if int::is_int(arg) {
                match int::to_isize(arg)
                    .and_then(|n| u32::try_from(n).ok())
                    .and_then(char::from_u32)
                {
                    Some(c) => Some(c),
                    None => return Err(exc::overflow_error("%c arg not in range(0x110000)")),
                }
            } else {
                None
            };
            let Some(ch) = ch else {
                return Err(exc::type_error("%c requires int or char"));
            };
            let mut buf = [0u8; 4];
            pad(out, spec, "", ch.encode_utf8(&mut buf), false);
            Ok(())
        }
        _ => {
            let mut m = String::from("unsupported format character '");
            m.push(conv);
            m.push_str("' (0x");
            let mut hex = String::new();
            let mut n = conv as u32;
            loop {
                hex.insert(0, b"0123456789abcdef"[(n & 15) as usize] as char);
                n >>= 4;
                if n == 0 {
                    break;
                }
            }
            m.push_str(&hex);
            m.push_str(") at index ");
            ops::push_usize(&mut m, index);
            Err(exc::value_error(&m))
        }
    }
}

fn format_int(out: &mut String, conv: char, spec: Spec, value: Value) {
    let radix = match conv {
        'o' => 8,
        'x' | 'X' => 16,
        _ => 10,
    };
    let (negative, mut digits) = match int::as_int(value) {
        Some(Int::Small(n)) => (n < 0, radix_digits(n.unsigned_abs() as u128, radix)),
        Some(Int::Big(b)) => (
            num_traits::Signed::is_negative(b),
            b.magnitude().to_str_radix(radix),
        ),
        None => (false, String::new()),
    };
    if conv == 'X' {
        digits.make_ascii_uppercase();
    }
    if let Some(p) = spec.precision {
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let mut head = String::new();
    if negative {
        head.push('-');
    } else if spec.sign {
        head.push('+');
    } else if spec.space {
        head.push(' ');
    }
    if spec.alt {
        head.push_str(match conv {
            'o' => "0o",
            'x' => "0x",
            'X' => "0X",
            _ => "",
        });
    }
    pad(out, spec, &head, &digits, spec.zero);
}

fn radix_digits(mut n: u128, radix: u32) -> String {
    let mut buf = Vec::new();
    loop {
        buf.push(b"0123456789abcdef"[(n % radix as u128) as usize]);
        n /= radix as u128;
        if n == 0 {
            break;
        }
    }
    buf.reverse();
    String::from_utf8(buf).unwrap_or_default()
}

/// `ascii(v)`: `repr(v)` with non-ASCII characters escaped.
fn ascii_into(v: Value, out: &mut String) -> R<()> {
    let mut r = String::new();
    ops::repr_into(v, &mut r)?;
    for c in r.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
            continue;
        }
        let (kind, width) = if n <= 0xff {
            ('x', 2)
        } else if n <= 0xffff {
            ('u', 4)
        } else {
            ('U', 8)
        };
        out.push('\\');
        out.push(kind);
        for k in (0..width).rev() {
            out.push(b"0123456789abcdef"[((n >> (4 * k)) & 15) as usize] as char);
        }
    }
    Ok(())
}
