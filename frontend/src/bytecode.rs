//! Decoding `co_code` into instructions: EXTENDED_ARG prefixes folded into
//! the argument, CACHE entries skipped, jump targets resolved.

use crate::opcode::{Opcode, EXTENDED_ARG};
use std::fmt;

/// One instruction of a 3.11 code object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instr {
    /// Byte offset of the first EXTENDED_ARG prefix, or of the opcode itself.
    pub start: u32,
    /// Byte offset of the opcode (what `dis` prints and tracebacks use).
    pub offset: u32,
    pub opcode: Opcode,
    /// The full argument (0 for opcodes without one).
    pub arg: u32,
}

impl Instr {
    /// Byte offset of the next instruction, after this one's CACHE entries.
    pub fn next_offset(&self) -> u32 {
        self.offset + 2 + 2 * self.opcode.cache_entries() as u32
    }

    /// Where a jump goes (byte offset), for the relative jumps of 3.11.
    /// Backward jumps count back from the next instruction.
    pub fn jump_target(&self) -> Option<u32> {
        use Opcode::*;
        let next = self.next_offset();
        match self.opcode {
            JUMP_BACKWARD
            | JUMP_BACKWARD_NO_INTERRUPT
            | POP_JUMP_BACKWARD_IF_FALSE
            | POP_JUMP_BACKWARD_IF_TRUE
            | POP_JUMP_BACKWARD_IF_NONE
            | POP_JUMP_BACKWARD_IF_NOT_NONE => next.checked_sub(2 * self.arg),
            op if op.has_jrel() => Some(next + 2 * self.arg),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BytecodeError {
    OddLength(usize),
    UnknownOpcode { offset: u32, code: u8 },
    TruncatedCache { offset: u32 },
    BadJump { offset: u32 },
}

impl fmt::Display for BytecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BytecodeError::OddLength(n) => write!(f, "co_code has odd length {n}"),
            BytecodeError::UnknownOpcode { offset, code } => {
                write!(f, "unknown opcode {code} at offset {offset}")
            }
            BytecodeError::TruncatedCache { offset } => {
                write!(
                    f,
                    "instruction at offset {offset} is missing its CACHE entries"
                )
            }
            BytecodeError::BadJump { offset } => {
                write!(f, "jump at offset {offset} leaves the code object")
            }
        }
    }
}

impl std::error::Error for BytecodeError {}

/// Decode a whole `co_code`.
pub fn decode(code: &[u8]) -> Result<Vec<Instr>, BytecodeError> {
    if !code.len().is_multiple_of(2) {
        return Err(BytecodeError::OddLength(code.len()));
    }
    let mut out = Vec::new();
    let mut i = 0usize;
    let mut ext: u32 = 0;
    let mut start: Option<u32> = None;
    while i < code.len() {
        let (op, arg) = (code[i], code[i + 1] as u32);
        let offset = i as u32;
        let opcode =
            Opcode::from_u8(op).ok_or(BytecodeError::UnknownOpcode { offset, code: op })?;
        if op == EXTENDED_ARG {
            ext = (ext | arg) << 8;
            start.get_or_insert(offset);
            i += 2;
            continue;
        }
        let arg = if opcode.has_arg() { ext | arg } else { 0 };
        let instr = Instr {
            start: start.take().unwrap_or(offset),
            offset,
            opcode,
            arg,
        };
        ext = 0;
        if instr.next_offset() as usize > code.len() {
            return Err(BytecodeError::TruncatedCache { offset });
        }
        if let Some(t) = instr
            .jump_target()
            .or(if opcode.has_jrel() { None } else { Some(0) })
        {
            if t as usize >= code.len() && opcode.has_jrel() {
                return Err(BytecodeError::BadJump { offset });
            }
        } else {
            return Err(BytecodeError::BadJump { offset });
        }
        i = instr.next_offset() as usize;
        out.push(instr);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_extended_arg_and_skips_caches() {
        // EXTENDED_ARG 1; LOAD_CONST 2; BINARY_OP 0 + 1 cache; RETURN_VALUE
        let code = [144, 1, 100, 2, 122, 0, 0, 0, 83, 0];
        let ins = decode(&code).unwrap();
        assert_eq!(ins.len(), 3);
        assert_eq!((ins[0].start, ins[0].offset, ins[0].arg), (0, 2, 0x102));
        assert_eq!(ins[1].next_offset(), 8);
        assert_eq!(ins[2].opcode, Opcode::RETURN_VALUE);
    }

    #[test]
    fn backward_jump_target() {
        // NOP; JUMP_BACKWARD 2  -> back to offset 0
        let ins = decode(&[9, 0, 140, 2]).unwrap();
        assert_eq!(ins[1].jump_target(), Some(0));
    }

    #[test]
    fn rejects_truncated_and_unknown() {
        assert!(matches!(
            decode(&[122, 0]),
            Err(BytecodeError::TruncatedCache { .. })
        ));
        assert!(matches!(
            decode(&[255, 0]),
            Err(BytecodeError::UnknownOpcode { .. })
        ));
        assert!(matches!(decode(&[9]), Err(BytecodeError::OddLength(1))));
    }
}
