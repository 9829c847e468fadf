//! Writing what a linker produced to the user's output path.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::LinkError;

/// Writes a linked image to `output`. An existing file is replaced by a new
/// directory entry rather than rewritten in place: a program that is still
/// running cannot be rewritten (`ETXTBSY`).
pub fn write_image(output: &Path, bytes: &[u8]) -> Result<(), LinkError> {
    if output.is_file() {
        let _ = fs::remove_file(output);
    }
    fs::write(output, bytes).map_err(|e| LinkError::io("write", output, e))
}

/// [`write_image`], then the executable bits (`rwxr-xr-x`, like a linker's
/// own output).
pub fn write_executable(output: &Path, bytes: &[u8]) -> Result<(), LinkError> {
    write_image(output, bytes)?;
    fs::set_permissions(output, fs::Permissions::from_mode(0o755))
        .map_err(|e| LinkError::io("make executable", output, e))
}
