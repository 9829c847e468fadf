//! Errors of writing and linking objects: values with messages a user can act on.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Why an object could not be written or an executable not be linked.
#[derive(Debug)]
pub enum LinkError {
    /// The [`ObjectModule`](crate::ObjectModule) is inconsistent (a codegen bug,
    /// reported instead of writing a broken object).
    InvalidModule(String),
    /// The object writer refused the module.
    Object(String),
    /// A file could not be read, written or created.
    Io {
        action: &'static str,
        path: PathBuf,
        error: io::Error,
    },
    /// No C compiler driver to run the system linker with.
    NoLinker(String),
    /// The system linker ran and failed.
    LinkerFailed {
        command: String,
        status: String,
        stderr: String,
    },
    /// The built-in linker refused the inputs.
    Builtin(crate::builtin::Error),
}

impl LinkError {
    pub(crate) fn io(action: &'static str, path: &Path, error: io::Error) -> Self {
        LinkError::Io {
            action,
            path: path.to_path_buf(),
            error,
        }
    }
}

/// An I/O error as a person reads it: `Permission denied`, without Rust's
/// ` (os error 13)` suffix.
pub fn describe_io_error(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::InvalidModule(what) => write!(f, "invalid object module: {what}"),
            LinkError::Object(what) => write!(f, "cannot write the object file: {what}"),
            LinkError::Io {
                action,
                path,
                error,
            } => write!(
                f,
                "cannot {action} '{}': {}",
                path.display(),
                describe_io_error(error)
            ),
            LinkError::NoLinker(why) => write!(f, "no system linker: {why}"),
            LinkError::LinkerFailed {
                command,
                status,
                stderr,
            } => {
                write!(f, "the system linker failed ({status}): {command}")?;
                let stderr = stderr.trim_end();
                if !stderr.is_empty() {
                    write!(f, "\n{stderr}")?;
                }
                Ok(())
            }
            LinkError::Builtin(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for LinkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LinkError::Io { error, .. } => Some(error),
            LinkError::Builtin(error) => Some(error),
            _ => None,
        }
    }
}
