//! What the templates need to know before emitting a code object: the value
//! stack depth at every instruction (static in CPython bytecode), which
//! instructions start a block (jump targets), and which locals are certainly
//! bound there (so LOAD_FAST can skip its NULL test).

use crate::bytecode::Instr;
use crate::meta;
use crate::opcode::Opcode::{self, *};
use std::collections::HashMap;

/// Facts per instruction, indexed like the decoded instruction list.
pub struct Analysis {
    /// Stack depth before the instruction; `None` where it is unreachable.
    pub depth: Vec<Option<u32>>,
    /// Locals certainly bound before the instruction.
    pub bound: Vec<Vec<bool>>,
    /// Instructions some jump lands on.
    pub is_target: Vec<bool>,
    /// Byte offset (of the opcode or of its first EXTENDED_ARG) -> index.
    pub index_of: HashMap<u32, usize>,
}

/// Net stack effect of `ins` when it falls through (`jump == false`) or
/// jumps; `None` means the path does not exist. The numbers are CPython's
/// (`frontend::meta`), except that PRECALL/CALL count 0 / -(n+1): CPython
/// counts the arguments off at PRECALL, the templates keep them in their
/// slots until CALL consumes them.
pub fn stack_effect(ins: &Instr, jump: bool) -> Option<i32> {
    let op = ins.opcode;
    if (jump && !jumps(op)) || (!jump && !falls_through(op)) {
        return None;
    }
    match op {
        PRECALL => Some(0),
        CALL => Some(-(ins.arg as i32) - 1),
        _ => meta::stack_effect(op, ins.arg, jump),
    }
}

/// Does control ever continue with the next instruction?
pub fn falls_through(op: Opcode) -> bool {
    !matches!(
        op,
        RETURN_VALUE
            | JUMP_FORWARD
            | JUMP_BACKWARD
            | JUMP_BACKWARD_NO_INTERRUPT
            | RAISE_VARARGS
            | RERAISE
    )
}

/// Does control ever leave `op` by its jump target?
pub fn jumps(op: Opcode) -> bool {
    op.has_jrel()
}

#[derive(Debug)]
pub enum AnalysisError {
    /// At instruction `index`: the stack depths of two paths disagree, or it
    /// underflows / exceeds `co_stacksize`.
    BadDepth(usize),
}

/// Forward dataflow over the instructions: depth (must agree on every path)
/// and definite assignment (intersection over paths).
pub fn analyse(
    instrs: &[Instr],
    nlocals: usize,
    argcount: usize,
    stacksize: u32,
) -> Result<Analysis, AnalysisError> {
    // A jump lands on an instruction's first EXTENDED_ARG prefix.
    let index_of: HashMap<u32, usize> = instrs
        .iter()
        .enumerate()
        .flat_map(|(i, ins)| [(ins.start, i), (ins.offset, i)])
        .collect();
    let mut depth: Vec<Option<u32>> = vec![None; instrs.len()];
    let mut bound: Vec<Vec<bool>> = vec![Vec::new(); instrs.len()];
    let mut is_target = vec![false; instrs.len()];
    for ins in instrs {
        if let Some(t) = ins.jump_target().filter(|_| jumps(ins.opcode)) {
            if let Some(&i) = index_of.get(&t) {
                is_target[i] = true;
            }
        }
    }
    if instrs.is_empty() {
        return Ok(Analysis {
            depth,
            bound,
            is_target,
            index_of,
        });
    }
    depth[0] = Some(0);
    bound[0] = (0..nlocals).map(|i| i < argcount).collect();
    let mut work = vec![0usize];
    while let Some(i) = work.pop() {
        let ins = &instrs[i];
        let d = depth[i].expect("queued instructions have a depth") as i32;
        let mut b = bound[i].clone();
        match ins.opcode {
            STORE_FAST if (ins.arg as usize) < nlocals => b[ins.arg as usize] = true,
            DELETE_FAST if (ins.arg as usize) < nlocals => b[ins.arg as usize] = false,
            _ => {}
        }
        let mut succ: Vec<(usize, i32)> = Vec::new();
        if let Some(e) = stack_effect(ins, false) {
            if i + 1 < instrs.len() {
                succ.push((i + 1, d + e));
            }
        }
        if jumps(ins.opcode) {
            if let (Some(e), Some(t)) = (stack_effect(ins, true), ins.jump_target()) {
                let &j = index_of.get(&t).ok_or(AnalysisError::BadDepth(i))?;
                succ.push((j, d + e));
            }
        }
        for (j, nd) in succ {
            if nd < 0 || nd > stacksize as i32 {
                return Err(AnalysisError::BadDepth(i));
            }
            match depth[j] {
                None => {
                    depth[j] = Some(nd as u32);
                    bound[j] = b.clone();
                    work.push(j);
                }
                Some(old) if old as i32 != nd => return Err(AnalysisError::BadDepth(j)),
                Some(_) => {
                    let mut changed = false;
                    for (x, y) in bound[j].iter_mut().zip(&b) {
                        if *x && !*y {
                            *x = false;
                            changed = true;
                        }
                    }
                    if changed {
                        work.push(j);
                    }
                }
            }
        }
    }
    Ok(Analysis {
        depth,
        bound,
        is_target,
        index_of,
    })
}
