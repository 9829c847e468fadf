//! Errors the frontend reports for a source program.

use std::fmt;

/// Why a program could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// Like CPython's: file, line, 1-based column, the source line, the message.
    Syntax {
        filename: String,
        line: u32,
        col: u32,
        text: String,
        msg: String,
    },
    /// Python this compiler does not handle yet: `file:line:col: unsupported: what`.
    Unsupported {
        filename: String,
        line: u32,
        col: u32,
        what: String,
    },
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Syntax {
                filename,
                line,
                col,
                text,
                msg,
            } => {
                writeln!(f, "  File \"{filename}\", line {line}")?;
                // CPython strips leading whitespace and shifts the caret with it.
                let trimmed = text.trim_end_matches(['\n', '\r']);
                let stripped = trimmed.trim_start();
                let indent = trimmed.len() - stripped.len();
                let class = syntax_error_class(msg);
                if !stripped.is_empty() {
                    writeln!(f, "    {stripped}")?;
                }
                if !stripped.is_empty() && shows_caret(msg) {
                    let caret_col = (*col as usize).saturating_sub(1).saturating_sub(indent);
                    // Columns are byte offsets; count characters for the caret.
                    let prefix: String = stripped
                        .char_indices()
                        .take_while(|(i, _)| *i < caret_col)
                        .map(|_| ' ')
                        .collect();
                    writeln!(f, "    {prefix}^")?;
                }
                write!(f, "{class}: {msg}")
            }
            CompileError::Unsupported {
                filename,
                line,
                col,
                what,
            } => write!(f, "{filename}:{line}:{col}: unsupported: {what}"),
        }
    }
}

impl std::error::Error for CompileError {}

/// The `SyntaxError` subclass CPython raises for a message: its tokenizer
/// reports indentation problems as `IndentationError`, and mixed tabs and
/// spaces as `TabError` (a subclass of it).
pub fn syntax_error_class(msg: &str) -> &'static str {
    if msg.starts_with("inconsistent use of tabs and spaces") {
        "TabError"
    } else if msg.starts_with("unexpected indent")
        || msg.starts_with("unindent does not match")
        || msg.starts_with("expected an indented block")
        || msg.starts_with("unexpected unindent")
    {
        "IndentationError"
    } else {
        "SyntaxError"
    }
}

/// CPython prints no caret under the line for these two tokenizer errors.
fn shows_caret(msg: &str) -> bool {
    !msg.starts_with("unexpected indent") && !msg.starts_with("inconsistent use of tabs")
}
