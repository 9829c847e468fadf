//! Printing an uncaught exception the way CPython 3.11 does
//! (Python/traceback.c `tb_printinternal`, `tb_displayline`,
//! Python/pythonrun.c `print_exception`): frames outermost first, the
//! source line with its indentation removed, carets under the failing
//! expression (with `~~^~~` anchors for binary operators and
//! subscripts), and `[Previous line repeated N more times]` for runs of
//! identical frames.

use crate::abi::{CodeInfo, Value};
use crate::object::type_of;
use crate::{exc, io, ops, start, str};
use alloc::string::String;

const RECURSIVE_CUTOFF: usize = 3;
const TRACEBACK_LIMIT: usize = 1000;

/// Where an instruction's source is: `(line, end_line, col, end_col)`,
/// `None` for absent values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: Option<u32>,
    pub end_line: Option<u32>,
    pub col: Option<u32>,
    pub end_col: Option<u32>,
}

fn opt(v: u32) -> Option<u32> {
    if v == u32::MAX {
        None
    } else {
        Some(v)
    }
}

/// The location of the instruction at byte `offset` of `code`.
pub fn location(code: &CodeInfo, offset: usize) -> Location {
    let recs = unsafe {
        core::slice::from_raw_parts(code.locations as *const [u32; 5], code.locations_len)
    };
    let mut found = None;
    for r in recs {
        if r[0] as usize <= offset {
            found = Some(r);
        } else {
            break;
        }
    }
    match found {
        Some(r) => Location {
            line: opt(r[1]),
            end_line: opt(r[2]),
            col: opt(r[3]),
            end_col: opt(r[4]),
        },
        None => Location {
            line: None,
            end_line: None,
            col: None,
            end_col: None,
        },
    }
}

/// Line `lineno` (1-based) of the program's source, without its newline.
fn source_line(lineno: u32) -> Option<&'static str> {
    let p = start::program();
    if p.source.is_null() {
        return None;
    }
    let src = unsafe { core::slice::from_raw_parts(p.source, p.source_len) };
    let src = core::str::from_utf8(src).ok()?;
    let line = src.split('\n').nth(lineno.checked_sub(1)? as usize)?;
    Some(line.strip_suffix('\r').unwrap_or(line))
}

fn is_ws(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\x0c'
}

/// Character index of UTF-8 byte offset `b` of `line`
/// (`_PyPegen_byte_offset_to_character_offset`).
fn char_offset(line: &str, b: usize) -> usize {
    let b = b.min(line.len());
    let mut n = 0;
    for (i, _) in line.char_indices() {
        if i >= b {
            break;
        }
        n += 1;
    }
    n
}

/// Appends one frame: the `File` line, the source line and the carets.
fn display_frame(out: &mut String, filename: &str, code: &CodeInfo, loc: Location) {
    out.push_str("  File \"");
    out.push_str(filename);
    out.push_str("\", line ");
    match loc.line {
        Some(l) => crate::num::int::push_i64(out, l as i64),
        None => out.push_str("-1"),
    }
    out.push_str(", in ");
    out.push_str(str::as_str(start::constant(code.name)));
    out.push('\n');
    let Some(line) = loc.line.and_then(source_line) else {
        return;
    };
    let indent = line.chars().take_while(|&c| is_ws(c)).count();
    let stripped: &str = line.trim_start_matches(is_ws);
    out.push_str("    ");
    out.push_str(stripped);
    out.push('\n');
    let (Some(end_line), Some(col), Some(end_col)) = (loc.end_line, loc.col, loc.end_col) else {
        return;
    };
    let start_offset = char_offset(line, col as usize);
    let mut end_offset = char_offset(line, end_col as usize);
    let mut anchors = None;
    if loc.line == Some(end_line) {
        let chars: alloc::vec::Vec<char> = line.chars().collect();
        if start_offset <= end_offset && end_offset <= chars.len() {
            let segment: String = chars[start_offset..end_offset].iter().collect();
            anchors = crate::traceback::anchors::find(&segment).map(|(l, r)| {
                (
                    char_offset(&segment, l) + start_offset,
                    char_offset(&segment, r) + start_offset,
                )
            });
        }
    } else {
        let chars: alloc::vec::Vec<char> = line.chars().collect();
        end_offset = chars.iter().rposition(|&c| !is_ws(c)).map_or(0, |i| i + 1);
    }
    let stripped_len = stripped.chars().count();
    if end_offset.wrapping_sub(start_offset) == stripped_len && anchors.is_none() {
        return;
    }
    out.push_str("    ");
    for p in indent..end_offset {
        out.push(if p < start_offset {
            ' '
        } else {
            match anchors {
                Some((l, r)) if l <= p && p < r => '^',
                Some(_) => '~',
                None => '^',
            }
        });
    }
    out.push('\n');
}

/// Prints `Traceback (most recent call last):`, the frames, and the
/// exception line to stderr.
pub fn print_uncaught(e: Value) {
    let mut out = String::new();
    let tb = exc::traceback();
    if !tb.is_empty() {
        out.push_str("Traceback (most recent call last):\n");
        let filename = str::as_str(start::constant(start::program().filename));
        // Innermost first in `tb`; print outermost first, at most the last
        // TRACEBACK_LIMIT frames.
        let frames = tb
            .iter()
            .rev()
            .skip(tb.len().saturating_sub(TRACEBACK_LIMIT));
        let mut last: Option<(usize, Option<u32>)> = None;
        let mut count = 0;
        for &(code, offset) in frames {
            let code_ref = unsafe { &*(code as *const CodeInfo) };
            let loc = location(code_ref, offset);
            let key = (code_ref.name, loc.line);
            let same = matches!(last, Some((n, l)) if n == key.0 && l == key.1 && l.is_some());
            if !same {
                if count > RECURSIVE_CUTOFF {
                    repeated(&mut out, count);
                }
                last = Some(key);
                count = 0;
            }
            count += 1;
            if count <= RECURSIVE_CUTOFF {
                display_frame(&mut out, filename, code_ref, loc);
            }
        }
        if count > RECURSIVE_CUTOFF {
            repeated(&mut out, count);
        }
    }
    out.push_str(type_of(e).name);
    let mut msg = String::new();
    if ops::str_into(e, &mut msg).is_ok() && !msg.is_empty() {
        out.push_str(": ");
        out.push_str(&msg);
    }
    if core::ptr::eq(type_of(e), &exc::NAME_ERROR) {
        if let (Some(name), Some(&(code, _))) = (exc::name_error_name(), tb.first()) {
            if let Some(s) = suggestions::for_name_error(str::as_str(name), unsafe {
                &*(code as *const CodeInfo)
            }) {
                out.push_str(". Did you mean: ");
                str::repr_text(s, &mut out);
                out.push('?');
            }
        }
    }
    out.push('\n');
    io::write_stderr(out.as_bytes());
}

fn repeated(out: &mut String, count: usize) {
    let n = count - RECURSIVE_CUTOFF;
    out.push_str("  [Previous line repeated ");
    crate::num::int::push_i64(out, n as i64);
    out.push_str(if n > 1 {
        " more times]\n"
    } else {
        " more time]\n"
    });
}

pub mod anchors;
pub mod suggestions;
