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
            if let Some(err) = unclosed() {
                return err;
            }
            "unexpected EOF while parsing".to_string()
        }
        ParseErrorType::UnrecognizedToken(_, expected) => {
            if e.error.is_indentation_error() {
                if expected.as_deref() == Some("Indent") {
                    "expected an indented block".to_string()
                } else {
                    "unexpected indent".to_string()
                }
            } else if expected.as_deref() == Some("\":\"") || expected.as_deref() == Some("':'") {
                "expected ':'".to_string()
            } else {
                if let Some(err) = unclosed() {
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
        ParseErrorType::Lexical(l) => format!("{l}"),
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
