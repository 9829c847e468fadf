//! Byte offsets to CPython's (line, column) pairs, and parser errors to
//! CPython-shaped syntax errors.

use rustpython_parser::ast::{Ranged, Stmt};
use rustpython_parser::lexer::LexicalErrorType;
use rustpython_parser::{ParseError, ParseErrorType};

use super::CompileErr;

/// Start offset of every line of the source.
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        let bytes = source.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i as u32 + 1),
                b'\r' => {
                    if i + 1 < bytes.len() && bytes[i + 1] == b'\n' {
                        i += 1;
                    }
                    starts.push(i as u32 + 1);
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// 1-based line and 0-based UTF-8 byte column of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (line as u32 + 1, offset - self.starts[line])
    }

    /// 1-based line and 1-based column (for error messages).
    pub fn line_col_1(&self, offset: u32) -> (u32, u32) {
        let (l, c) = self.line_col(offset);
        (l, c + 1)
    }

    pub fn line_text<'s>(&self, source: &'s str, line: u32) -> &'s str {
        let i = (line as usize).saturating_sub(1);
        if i >= self.starts.len() {
            return "";
        }
        let start = self.starts[i] as usize;
        let end = self.starts.get(i + 1).map_or(source.len(), |&e| e as usize);
        source.get(start..end).unwrap_or("")
    }

    /// The offset of the `def`/`class`/`async` keyword of a decorated
    /// definition: the first such word after the last decorator.
    pub fn find_keyword_after(&self, source: &str, from: u32, s: &Stmt) -> Option<u32> {
        let end: u32 = s.range().end().into();
        let text = source.get(from as usize..end as usize)?;
        let kw = match s {
            Stmt::ClassDef(_) => "class",
            Stmt::AsyncFunctionDef(_) => "async",
            _ => "def",
        };
        let mut search = 0;
        while let Some(p) = text[search..].find(kw) {
            let at = search + p;
            let before_ok = at == 0
                || !text.as_bytes()[at - 1].is_ascii_alphanumeric()
                    && text.as_bytes()[at - 1] != b'_';
            let after = text.as_bytes().get(at + kw.len()).copied().unwrap_or(b' ');
            if before_ok && !after.is_ascii_alphanumeric() && after != b'_' {
                // Skip occurrences inside comments.
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                if !text[line_start..at].contains('#') {
                    return Some(from + at as u32);
                }
            }
            search = at + kw.len();
        }
        None
    }
}

/// A parser error in CPython's words where we can tell what CPython says.
pub fn parse_error(source: &str, lines: &LineIndex, e: &ParseError) -> CompileErr {
    let offset: u32 = e.offset.into();
    let (line, col) = lines.line_col_1(offset.min(source.len() as u32));
    let unclosed = || {
        unclosed_bracket(source, lines).map(|(l, c, ch)| CompileErr::Syntax {
            line: l,
            col: c,
            msg: format!("'{ch}' was never closed"),
        })
    };
    let msg = match &e.error {
        ParseErrorType::Eof | ParseErrorType::Lexical(LexicalErrorType::Eof) => {
            if let Some(start) = unterminated_triple_quote(source) {
                let (l, c) = lines.line_col_1(start as u32);
                let last = lines.line_col(source.len() as u32).0;
                let last = if source.ends_with('\n') {
                    last - 1
                } else {
                    last
                };
                return CompileErr::Syntax {
                    line: l,
                    col: c,
                    msg: format!(
                        "unterminated triple-quoted string literal (detected at line {last})"
                    ),
                };
            }
            if let Some(err) = unclosed() {
                return err;
            }
            "unexpected EOF while parsing".to_string()
        }
        ParseErrorType::UnrecognizedToken(_, expected) => {
            if e.error.is_indentation_error() {
                if expected.as_deref() == Some("Indent") {
                    expected_block_message(source, lines, line)
                } else {
                    // CPython points at the last column of the indentation.
                    let text = lines.line_text(source, line);
                    let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
                    return CompileErr::Syntax {
                        line,
                        col: indent.max(1) as u32,
                        msg: "unexpected indent".to_string(),
                    };
                }
            } else if expected.as_deref() == Some("\":\"") || expected.as_deref() == Some("':'") {
                "expected ':'".to_string()
            } else {
                // CPython re-tokenizes the rest of the file and reports a
                // bracket still open there, when the error lies past the
                // bracket's line.
                if let Some(CompileErr::Syntax { line: bl, col, msg }) = unclosed() {
                    if bl < line {
                        return CompileErr::Syntax { line: bl, col, msg };
                    }
                }
                if let Some(err) = python2_print(source, lines, line) {
                    return err;
                }
                "invalid syntax".to_string()
            }
        }
        ParseErrorType::Lexical(LexicalErrorType::IndentationError) => {
            // CPython points just past the end of the offending line.
            let text = lines.line_text(source, line).trim_end_matches(['\n', '\r']);
            return CompileErr::Syntax {
                line,
                col: text.len() as u32 + 1,
                msg: "unindent does not match any outer indentation level".to_string(),
            };
        }
        ParseErrorType::Lexical(LexicalErrorType::UnrecognizedToken { tok }) => {
            let (l, c) = lines.line_col_1(offset.saturating_sub(tok.len_utf8() as u32));
            return CompileErr::Syntax {
                line: l,
                col: c,
                msg: "invalid syntax".to_string(),
            };
        }
        ParseErrorType::Lexical(LexicalErrorType::OtherError(m))
            if m.contains("EOL while scanning") =>
        {
            let (l, _) = lines.line_col(offset.saturating_sub(1));
            let text = lines.line_text(source, l);
            let col = unterminated_quote(text).map_or(1, |c| c as u32 + 1);
            return CompileErr::Syntax {
                line: l,
                col,
                msg: format!("unterminated string literal (detected at line {l})"),
            };
        }
        ParseErrorType::Lexical(LexicalErrorType::OtherError(m)) if m == "Invalid Token" => {
            // A number with leading zeros, like `0777`.
            let b = source.as_bytes();
            let mut start = (offset as usize).min(b.len());
            while start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_') {
                start -= 1;
            }
            let (l, c) = lines.line_col_1(start as u32);
            let msg = if b.get(start) == Some(&b'0') {
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"
            } else {
                "invalid syntax"
            };
            return CompileErr::Syntax {
                line: l,
                col: c,
                msg: msg.to_string(),
            };
        }
        ParseErrorType::Lexical(l) => {
            let text = format!("{l}");
            if text.contains("bytes can only contain ASCII") {
                // Reported at the start of the bytes literal.
                let line_start = lines.line_col(offset).1;
                let before = &source[(offset - line_start) as usize..offset as usize];
                let at = before.rfind(['b', 'B']).unwrap_or(0) as u32;
                return CompileErr::Syntax {
                    line,
                    col: at + 1,
                    msg: text,
                };
            }
            text
        }
        _ => {
            if let Some(err) = unclosed() {
                return err;
            }
            "invalid syntax".to_string()
        }
    };
    CompileErr::Syntax { line, col, msg }
}

/// The first bracket that is never closed, ignoring strings and comments.
fn unclosed_bracket(source: &str, lines: &LineIndex) -> Option<(u32, u32, char)> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let b = source.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        match c {
            '#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            '\'' | '"' => {
                let triple = i + 2 < b.len() && b[i + 1] == b[i] && b[i + 2] == b[i];
                let q = b[i];
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == q && (!triple || (i + 2 < b.len() && b[i + 1] == q && b[i + 2] == q))
                    {
                        i += if triple { 2 } else { 0 };
                        break;
                    }
                    if !triple && b[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            '(' | '[' | '{' => stack.push((i, c)),
            ')' | ']' | '}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let (off, ch) = *stack.first()?;
    let (l, c) = lines.line_col_1(off as u32);
    Some((l, c, ch))
}

/// Byte column of a quote in `line` that opens a string never closed.
fn unterminated_quote(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => return None,
            q @ (b'\'' | b'"') => {
                let start = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None | Some(b'\n') | Some(b'\r') => return Some(start),
                        Some(b'\\') => i += 2,
                        Some(&c) if c == q => break,
                        _ => i += 1,
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Byte offset of a triple-quoted string that is never closed.
fn unterminated_triple_quote(source: &str) -> Option<usize> {
    let b = source.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'\'' | b'"') => {
                let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
                let start = i;
                i += if triple { 3 } else { 1 };
                loop {
                    match b.get(i) {
                        None => return triple.then_some(start),
                        Some(b'\\') => i += 2,
                        Some(b'\n') if !triple => break,
                        Some(&c) if c == q => {
                            if !triple {
                                break;
                            }
                            if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                                i += 2;
                                break;
                            }
                            i += 1;
                        }
                        _ => i += 1,
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// CPython's "expected an indented block after ..." naming the compound
/// statement that lacks its body.
fn expected_block_message(source: &str, lines: &LineIndex, line: u32) -> String {
    let mut l = line;
    while l > 1 {
        l -= 1;
        let text = lines.line_text(source, l).trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let word: String = text
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let what = match word.as_str() {
            "if" | "elif" | "else" | "for" | "while" | "try" | "except" | "finally" | "with" => {
                format!("'{word}' statement")
            }
            "def" => "function definition".to_string(),
            "class" => "class definition".to_string(),
            _ => return "expected an indented block".to_string(),
        };
        return format!("expected an indented block after {what} on line {l}");
    }
    "expected an indented block".to_string()
}

/// Offset of a `\uXXXX` / `\UXXXXXXXX` escape naming a lone surrogate in a
/// (non-raw, non-bytes) string literal. CPython keeps such code points in
/// `str` constants; a Rust `String` cannot hold them.
pub fn lone_surrogate_escape(source: &str) -> Option<u32> {
    let b = source.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'\'' | b'"') => {
                // The literal's prefix letters decide whether escapes count.
                let mut p = i;
                let mut raw = false;
                let mut bytes = false;
                while p > 0 && b[p - 1].is_ascii_alphabetic() {
                    p -= 1;
                    match b[p].to_ascii_lowercase() {
                        b'r' => raw = true,
                        b'b' => bytes = true,
                        _ => {}
                    }
                }
                let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if b[i] == b'\\' {
                        if !raw && !bytes {
                            let hex = |from: usize, n: usize| -> Option<u32> {
                                let s = source.get(from..from + n)?;
                                u32::from_str_radix(s, 16).ok()
                            };
                            let cp = match b.get(i + 1) {
                                Some(b'u') => hex(i + 2, 4),
                                Some(b'U') => hex(i + 2, 8),
                                _ => None,
                            };
                            if cp.is_some_and(|c| (0xD800..=0xDFFF).contains(&c)) {
                                return Some(i as u32);
                            }
                        }
                        i += 2;
                        continue;
                    }
                    if b[i] == q
                        && (!triple || (b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q)))
                    {
                        i += if triple { 2 } else { 0 };
                        break;
                    }
                    if !triple && b[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `print x` / `exec x`: CPython's hint for Python 2 statements.
fn python2_print(source: &str, lines: &LineIndex, line: u32) -> Option<CompileErr> {
    let text = lines.line_text(source, line);
    let trimmed = text.trim_start();
    for kw in ["print", "exec"] {
        if let Some(rest) = trimmed.strip_prefix(kw) {
            let rest_trim = rest.trim_start();
            let separated = rest.starts_with([' ', '\t']);
            if separated && !rest_trim.is_empty() && !rest_trim.starts_with(['(', '=', '.', '[']) {
                let col = (text.len() - trimmed.len()) as u32 + 1;
                return Some(CompileErr::Syntax {
                    line,
                    col,
                    msg: format!("Missing parentheses in call to '{kw}'. Did you mean {kw}(...)?"),
                });
            }
        }
    }
    None
}
