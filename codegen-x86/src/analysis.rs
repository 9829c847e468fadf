//! What the templates need to know before emitting a code object: the value
//! stack depth at every instruction (static in CPython bytecode), which
//! instructions start a block (jump targets), and which locals are certainly
//! bound there (so LOAD_FAST can skip its NULL test).

use frontend::bytecode::Instr;
use frontend::opcode::Opcode::{self, *};
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
/// jumps. `None` means the path does not exist. PRECALL/CALL are counted as
/// 0 / -(n+1): the arguments stay in their slots until CALL.
pub fn stack_effect(ins: &Instr, jump: bool) -> Option<i32> {
    let n = ins.arg as i32;
    let fall = |e: i32| if jump { None } else { Some(e) };
    Some(match ins.opcode {
        NOP | RESUME | PRECALL | KW_NAMES | CACHE | EXTENDED_ARG => return fall(0),
        POP_TOP => return fall(-1),
        PUSH_NULL | COPY | LOAD_FAST | LOAD_CONST | LOAD_NAME | LOAD_METHOD | IMPORT_FROM => {
            return fall(1)
        }
        SWAP | LOAD_ATTR | UNARY_NEGATIVE | UNARY_POSITIVE | UNARY_INVERT | UNARY_NOT
        | GET_ITER => return fall(0),
        STORE_FAST | STORE_NAME | STORE_GLOBAL | BINARY_OP | COMPARE_OP | IS_OP | CONTAINS_OP
        | BINARY_SUBSCR | LIST_APPEND | LIST_EXTEND | IMPORT_NAME => return fall(-1),
        DELETE_FAST | DELETE_NAME | DELETE_GLOBAL => return fall(0),
        LOAD_GLOBAL => return fall(1 + (n & 1)),
        STORE_ATTR | DELETE_SUBSCR => return fall(-2),
        STORE_SUBSCR => return fall(-3),
        BUILD_LIST | BUILD_TUPLE => return fall(1 - n),
        UNPACK_SEQUENCE => return fall(n - 1),
        CALL => return fall(-n - 1),
        MAKE_FUNCTION => return fall(-(n & 1)),
        RETURN_VALUE => return None,
        FOR_ITER => {
            if jump {
                -1
            } else {
                1
            }
        }
        JUMP_FORWARD | JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT if jump => 0,
        JUMP_FORWARD | JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT => return None,
        POP_JUMP_FORWARD_IF_FALSE
        | POP_JUMP_FORWARD_IF_TRUE
        | POP_JUMP_FORWARD_IF_NONE
        | POP_JUMP_FORWARD_IF_NOT_NONE
        | POP_JUMP_BACKWARD_IF_FALSE
        | POP_JUMP_BACKWARD_IF_TRUE
        | POP_JUMP_BACKWARD_IF_NONE
        | POP_JUMP_BACKWARD_IF_NOT_NONE => -1,
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => {
            if jump {
                0
            } else {
                -1
            }
        }
        _ => return None,
    })
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
