//! The control-flow graph of one code unit and CPython 3.11's optimisation
//! passes over it (Python/compile.c: `optimize_cfg`, `optimize_basic_block`,
//! `extend_block`, `clean_basic_block`, `mark_reachable`,
//! `eliminate_empty_basic_blocks`, `duplicate_exits_without_lineno`,
//! `propagate_line_numbers`, `guarantee_lineno_for_exits`, ...).
//!
//! Blocks live in an arena; their index is their allocation order, so
//! walking the arena backwards is CPython's `b_list` walk and following
//! `next` is the `b_next` (layout) walk.

use super::consts::{const_truth, ConstTable};
use super::ops::*;
use crate::code::Constant;

/// Index of a basic block in [`Cfg::blocks`].
pub type BlockId = usize;

/// A source location as CPython stores it per instruction: 1-based lines,
/// 0-based UTF-8 byte columns; `line < 0` means "no location" (artificial).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loc {
    pub line: i32,
    pub end_line: i32,
    pub col: i32,
    pub end_col: i32,
}

impl Loc {
    pub const NONE: Loc = Loc {
        line: -1,
        end_line: -1,
        col: -1,
        end_col: -1,
    };
}

/// One instruction of the intermediate code (`struct instr`).
#[derive(Clone, Debug)]
pub struct Instr {
    pub op: Op,
    pub arg: u32,
    pub target: Option<BlockId>,
    /// The handler in force (`i_except`), set by `label_exception_targets`.
    pub except: Option<BlockId>,
    pub loc: Loc,
}

impl Instr {
    pub fn new(op: Op, arg: u32, loc: Loc) -> Instr {
        Instr {
            op,
            arg,
            target: None,
            except: None,
            loc,
        }
    }
}

/// One basic block (`basicblock`).
#[derive(Clone, Debug, Default)]
pub struct Block {
    pub instrs: Vec<Instr>,
    pub next: Option<BlockId>,
    /// A RETURN_VALUE was added to this block while generating code.
    pub has_return: bool,
    pub startdepth: i32,
    pub offset: u32,
    pub predecessors: u32,
    pub visited: bool,
    pub preserve_lasti: bool,
}

pub fn is_jump_op(op: Op) -> bool {
    matches!(
        op,
        JUMP | JUMP_NO_INTERRUPT
            | POP_JUMP_IF_FALSE
            | POP_JUMP_IF_TRUE
            | POP_JUMP_IF_NONE
            | POP_JUMP_IF_NOT_NONE
            | JUMP_IF_FALSE_OR_POP
            | JUMP_IF_TRUE_OR_POP
            | FOR_ITER
            | SEND
            | JUMP_FORWARD
            | JUMP_BACKWARD
            | JUMP_BACKWARD_NO_INTERRUPT
            | POP_JUMP_FORWARD_IF_FALSE
            | POP_JUMP_FORWARD_IF_TRUE
            | POP_JUMP_FORWARD_IF_NONE
            | POP_JUMP_FORWARD_IF_NOT_NONE
            | POP_JUMP_BACKWARD_IF_FALSE
            | POP_JUMP_BACKWARD_IF_TRUE
            | POP_JUMP_BACKWARD_IF_NONE
            | POP_JUMP_BACKWARD_IF_NOT_NONE
    )
}

pub fn is_block_push(op: Op) -> bool {
    matches!(op, SETUP_FINALLY | SETUP_CLEANUP | SETUP_WITH)
}

pub fn is_scope_exit(op: Op) -> bool {
    matches!(op, RETURN_VALUE | RAISE_VARARGS | RERAISE)
}

pub fn is_unconditional_jump(op: Op) -> bool {
    matches!(
        op,
        JUMP | JUMP_NO_INTERRUPT | JUMP_FORWARD | JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT
    )
}

/// Opcodes whose argument indexes `co_consts`.
pub fn has_const(op: Op) -> bool {
    matches!(op, LOAD_CONST | KW_NAMES)
}

/// The control-flow graph of one unit.
#[derive(Clone, Debug, Default)]
pub struct Cfg {
    pub blocks: Vec<Block>,
}

const MAX_COPY_SIZE: usize = 4;

impl Cfg {
    pub fn new_block(&mut self) -> BlockId {
        self.blocks.push(Block::default());
        self.blocks.len() - 1
    }

    pub fn last(&self, b: BlockId) -> Option<&Instr> {
        self.blocks[b].instrs.last()
    }

    /// `b_nofallthrough`: the block ends in an unconditional jump or
    /// contains a scope exit (code after one is dead).
    pub fn no_fallthrough(&self, b: BlockId) -> bool {
        let instrs = &self.blocks[b].instrs;
        instrs.last().is_some_and(|i| is_unconditional_jump(i.op))
            || instrs.iter().any(|i| is_scope_exit(i.op))
    }

    pub fn has_fallthrough(&self, b: BlockId) -> bool {
        !self.no_fallthrough(b)
    }

    /// `b_exit`: the block contains RETURN_VALUE, RAISE_VARARGS or RERAISE.
    pub fn is_exit(&self, b: BlockId) -> bool {
        self.blocks[b].instrs.iter().any(|i| is_scope_exit(i.op))
    }

    fn skip_empty(&self, mut b: BlockId) -> BlockId {
        while self.blocks[b].instrs.is_empty() {
            match self.blocks[b].next {
                Some(n) => b = n,
                None => break,
            }
        }
        b
    }

    /// Blocks in layout order, starting at the entry block.
    pub fn order(&self, entry: BlockId) -> Vec<BlockId> {
        let mut v = Vec::new();
        let mut b = Some(entry);
        while let Some(id) = b {
            v.push(id);
            b = self.blocks[id].next;
        }
        v
    }

    /// `normalize_basic_block`: retarget jumps past empty blocks.
    pub fn normalize(&mut self) {
        for b in (0..self.blocks.len()).rev() {
            let n = self.blocks[b].instrs.len();
            for i in 0..n {
                let ins = &self.blocks[b].instrs[i];
                if is_jump_op(ins.op) {
                    if let Some(t) = ins.target {
                        let t = self.skip_empty(t);
                        self.blocks[b].instrs[i].target = Some(t);
                    }
                }
            }
        }
    }

    /// `extend_block`: if this block ends with an unconditional jump to a
    /// small exit block, replace the jump with a copy of that block.
    pub fn extend_block(&mut self, b: BlockId) {
        let Some(last) = self.blocks[b].instrs.last() else {
            return;
        };
        if !matches!(last.op, JUMP | JUMP_FORWARD | JUMP_BACKWARD) {
            return;
        }
        let Some(target) = last.target else { return };
        // Only blocks without line numbers (implicit returns) are copied:
        // copying a real statement would duplicate its line events.
        let has_lineno = self.blocks[target].instrs.iter().any(|i| i.loc.line >= 0);
        if self.is_exit(target) && self.blocks[target].instrs.len() <= MAX_COPY_SIZE && !has_lineno
        {
            let copy = self.blocks[target].instrs.clone();
            let n = self.blocks[b].instrs.len();
            self.blocks[b].instrs[n - 1].op = NOP;
            self.blocks[b].instrs[n - 1].target = None;
            self.blocks[b].instrs.extend(copy);
        }
    }

    pub fn extend_all(&mut self) {
        for b in (0..self.blocks.len()).rev() {
            self.extend_block(b);
        }
    }

    /// `clean_basic_block`: remove NOPs when legal to do so.
    pub fn clean_block(&mut self, b: BlockId) {
        let next_line = {
            let mut next = self.blocks[b].next;
            while let Some(n) = next {
                if !self.blocks[n].instrs.is_empty() {
                    break;
                }
                next = self.blocks[n].next;
            }
            next.map(|n| self.blocks[n].instrs[0].loc.line)
        };
        let instrs = &mut self.blocks[b].instrs;
        let mut dest = 0;
        let mut prev_line = -1;
        let n = instrs.len();
        for src in 0..n {
            let line = instrs[src].loc.line;
            if instrs[src].op == NOP {
                if line < 0 {
                    continue;
                }
                if prev_line == line {
                    continue;
                }
                if src < n - 1 {
                    let nl = instrs[src + 1].loc.line;
                    if nl < 0 {
                        instrs[src + 1].loc = instrs[src].loc;
                        continue;
                    }
                    if nl == line {
                        continue;
                    }
                } else if next_line == Some(line) {
                    continue;
                }
            }
            if dest != src {
                instrs[dest] = instrs[src].clone();
            }
            dest += 1;
            prev_line = line;
        }
        instrs.truncate(dest);
    }

    /// `mark_reachable`: count predecessors of every block reachable from entry.
    pub fn mark_reachable(&mut self, entry: BlockId) {
        for b in self.blocks.iter_mut() {
            b.predecessors = 0;
        }
        let mut stack = vec![entry];
        self.blocks[entry].predecessors = 1;
        while let Some(b) = stack.pop() {
            if let Some(next) = self.blocks[b].next {
                if !self.no_fallthrough(b) {
                    if self.blocks[next].predecessors == 0 {
                        stack.push(next);
                    }
                    self.blocks[next].predecessors += 1;
                }
            }
            for i in 0..self.blocks[b].instrs.len() {
                let ins = &self.blocks[b].instrs[i];
                if is_jump_op(ins.op) || is_block_push(ins.op) {
                    let t = ins.target.expect("jump without target");
                    if self.blocks[t].predecessors == 0 {
                        stack.push(t);
                    }
                    self.blocks[t].predecessors += 1;
                }
            }
        }
    }

    /// `eliminate_empty_basic_blocks`.
    pub fn eliminate_empty(&mut self, entry: BlockId) {
        let mut b = Some(entry);
        while let Some(id) = b {
            if let Some(mut next) = self.blocks[id].next {
                while self.blocks[next].instrs.is_empty() {
                    match self.blocks[next].next {
                        Some(nn) => next = nn,
                        None => break,
                    }
                }
                self.blocks[id].next = Some(next);
            }
            b = self.blocks[id].next;
        }
        for id in self.order(entry) {
            if let Some(last) = self.blocks[id].instrs.last() {
                if is_jump_op(last.op) {
                    let t = self.skip_empty(last.target.unwrap());
                    self.blocks[id].instrs.last_mut().unwrap().target = Some(t);
                }
            }
        }
    }

    /// `optimize_cfg`.
    pub fn optimize(&mut self, entry: BlockId, consts: &mut ConstTable) {
        for b in self.order(entry) {
            self.optimize_block(b, consts);
            self.clean_block(b);
        }
        // Instructions after a scope exit (code after `return` or `raise`)
        // are dead.
        for b in self.blocks.iter_mut() {
            if let Some(i) = b.instrs.iter().position(|i| is_scope_exit(i.op)) {
                b.instrs.truncate(i + 1);
            }
        }
        self.extend_all();
        self.mark_reachable(entry);
        for b in self.order(entry) {
            if self.blocks[b].predecessors == 0 {
                self.blocks[b].instrs.clear();
            }
        }
        self.eliminate_empty(entry);
        for b in self.order(entry) {
            self.clean_block(b);
        }
        // Delete jumps made redundant by the previous steps.
        let mut maybe_empty = false;
        for b in self.order(entry) {
            let next = self.blocks[b].next;
            if let Some(last) = self.blocks[b].instrs.last_mut() {
                if matches!(last.op, JUMP | JUMP_NO_INTERRUPT) && last.target == next {
                    last.op = NOP;
                    last.target = None;
                    maybe_empty = true;
                }
            }
        }
        if maybe_empty {
            self.eliminate_empty(entry);
        }
    }

    /// `jump_thread`: retarget `inst` to the target of the jump it lands on.
    fn jump_thread(&mut self, b: BlockId, i: usize, target: &Instr, op: Op) -> bool {
        let inst = &mut self.blocks[b].instrs[i];
        if inst.loc.line == target.loc.line && inst.target != target.target {
            inst.target = target.target;
            inst.op = op;
            return true;
        }
        false
    }

    /// `optimize_basic_block`: peephole optimisations within one block.
    #[allow(clippy::collapsible_match)] // mirrors compile.c's switch
    fn optimize_block(&mut self, b: BlockId, consts: &mut ConstTable) {
        let mut i: isize = 0;
        while (i as usize) < self.blocks[b].instrs.len() {
            let iu = i as usize;
            let n = self.blocks[b].instrs.len();
            let inst = self.blocks[b].instrs[iu].clone();
            let nextop = if iu + 1 < n {
                self.blocks[b].instrs[iu + 1].op
            } else {
                0
            };
            let target: Instr = if is_jump_op(inst.op) || is_block_push(inst.op) {
                let t = self.skip_empty(inst.target.unwrap());
                self.blocks[b].instrs[iu].target = Some(t);
                self.blocks[t]
                    .instrs
                    .first()
                    .cloned()
                    .unwrap_or_else(|| Instr::new(NOP, 0, Loc::NONE))
            } else {
                Instr::new(NOP, 0, Loc::NONE)
            };
            let inst = self.blocks[b].instrs[iu].clone();
            let oparg = inst.arg;
            match inst.op {
                LOAD_CONST => match nextop {
                    POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => {
                        let truth = const_truth(consts.get(oparg));
                        self.blocks[b].instrs[iu].op = NOP;
                        let jump_if_true = nextop == POP_JUMP_IF_TRUE;
                        if truth == jump_if_true {
                            self.blocks[b].instrs[iu + 1].op = JUMP;
                        } else {
                            self.blocks[b].instrs[iu + 1].op = NOP;
                            self.blocks[b].instrs[iu + 1].target = None;
                        }
                    }
                    JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => {
                        let truth = const_truth(consts.get(oparg));
                        let jump_if_true = nextop == JUMP_IF_TRUE_OR_POP;
                        if truth == jump_if_true {
                            self.blocks[b].instrs[iu + 1].op = JUMP;
                        } else {
                            self.blocks[b].instrs[iu].op = NOP;
                            self.blocks[b].instrs[iu + 1].op = NOP;
                            self.blocks[b].instrs[iu + 1].target = None;
                        }
                    }
                    IS_OP => {
                        let is_none = matches!(consts.get(oparg), Constant::None);
                        let jump_op = if iu + 2 < n {
                            self.blocks[b].instrs[iu + 2].op
                        } else {
                            0
                        };
                        if is_none && matches!(jump_op, POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE) {
                            let nextarg = self.blocks[b].instrs[iu + 1].arg;
                            self.blocks[b].instrs[iu].op = NOP;
                            self.blocks[b].instrs[iu + 1].op = NOP;
                            let invert = (nextarg != 0) ^ (jump_op == POP_JUMP_IF_FALSE);
                            self.blocks[b].instrs[iu + 2].op = if invert {
                                POP_JUMP_IF_NOT_NONE
                            } else {
                                POP_JUMP_IF_NONE
                            };
                        }
                    }
                    _ => {}
                },
                BUILD_TUPLE => {
                    if nextop == UNPACK_SEQUENCE && oparg == self.blocks[b].instrs[iu + 1].arg {
                        match oparg {
                            1 => {
                                self.blocks[b].instrs[iu].op = NOP;
                                self.blocks[b].instrs[iu + 1].op = NOP;
                                i += 1;
                                continue;
                            }
                            2 | 3 => {
                                self.blocks[b].instrs[iu].op = NOP;
                                self.blocks[b].instrs[iu + 1].op = SWAP;
                                i += 1;
                                continue;
                            }
                            _ => {}
                        }
                    }
                    if iu >= oparg as usize {
                        self.fold_tuple_on_constants(b, iu, oparg as usize, consts);
                    }
                }
                JUMP_IF_FALSE_OR_POP => match target.op {
                    POP_JUMP_IF_FALSE => {
                        i -= self.jump_thread(b, iu, &target, POP_JUMP_IF_FALSE) as isize;
                    }
                    JUMP | JUMP_IF_FALSE_OR_POP => {
                        i -= self.jump_thread(b, iu, &target, JUMP_IF_FALSE_OR_POP) as isize;
                    }
                    JUMP_IF_TRUE_OR_POP | POP_JUMP_IF_TRUE => {
                        if inst.loc.line == target.loc.line {
                            let t = inst.target.unwrap();
                            let Some(next) = self.blocks[t].next else {
                                i += 1;
                                continue;
                            };
                            let ins = &mut self.blocks[b].instrs[iu];
                            ins.op = POP_JUMP_IF_FALSE;
                            ins.target = Some(next);
                            i -= 1;
                        }
                    }
                    _ => {}
                },
                JUMP_IF_TRUE_OR_POP => match target.op {
                    POP_JUMP_IF_TRUE => {
                        i -= self.jump_thread(b, iu, &target, POP_JUMP_IF_TRUE) as isize;
                    }
                    JUMP | JUMP_IF_TRUE_OR_POP => {
                        i -= self.jump_thread(b, iu, &target, JUMP_IF_TRUE_OR_POP) as isize;
                    }
                    JUMP_IF_FALSE_OR_POP | POP_JUMP_IF_FALSE => {
                        if inst.loc.line == target.loc.line {
                            let t = inst.target.unwrap();
                            let Some(next) = self.blocks[t].next else {
                                i += 1;
                                continue;
                            };
                            let ins = &mut self.blocks[b].instrs[iu];
                            ins.op = POP_JUMP_IF_TRUE;
                            ins.target = Some(next);
                            i -= 1;
                        }
                    }
                    _ => {}
                },
                POP_JUMP_IF_NOT_NONE | POP_JUMP_IF_NONE | POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE
                | JUMP => {
                    if target.op == JUMP {
                        i -= self.jump_thread(b, iu, &target, inst.op) as isize;
                    }
                }
                SWAP => {
                    if oparg == 1 {
                        self.blocks[b].instrs[iu].op = NOP;
                    } else {
                        let mut j = iu;
                        self.swaptimize(b, &mut j);
                        self.apply_static_swaps(b, j as isize);
                        i = j as isize;
                    }
                }
                PUSH_NULL => {
                    if nextop == LOAD_GLOBAL && self.blocks[b].instrs[iu + 1].arg & 1 == 0 {
                        self.blocks[b].instrs[iu].op = NOP;
                        self.blocks[b].instrs[iu].arg = 0;
                        self.blocks[b].instrs[iu + 1].arg |= 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// `fold_tuple_on_constants`: LOAD_CONST x n; BUILD_TUPLE n -> LOAD_CONST (tuple).
    fn fold_tuple_on_constants(
        &mut self,
        b: BlockId,
        at: usize,
        n: usize,
        consts: &mut ConstTable,
    ) {
        let start = at - n;
        let instrs = &self.blocks[b].instrs;
        let mut items = Vec::with_capacity(n);
        for ins in &instrs[start..at] {
            if ins.op != LOAD_CONST {
                return;
            }
            items.push(consts.get(ins.arg).clone());
        }
        let index = consts.add(Constant::Tuple(items));
        for ins in &mut self.blocks[b].instrs[start..at] {
            ins.op = NOP;
        }
        let ins = &mut self.blocks[b].instrs[at];
        ins.op = LOAD_CONST;
        ins.arg = index;
    }

    /// `swaptimize`: replace a run of SWAPs with the smallest equivalent
    /// sequence (CPython 3.11 compile.c).
    fn swaptimize(&mut self, b: BlockId, ix: &mut usize) {
        let instrs = &self.blocks[b].instrs;
        let len = instrs.len();
        let mut depth = instrs[*ix].arg as usize;
        let mut more = false;
        // Find the run of SWAPs starting at *ix (NOPs inside are skipped).
        let mut end = *ix + 1;
        while end < len {
            let op = instrs[end].op;
            if op == SWAP {
                depth = depth.max(instrs[end].arg as usize);
                more = true;
            } else if op != NOP {
                break;
            }
            end += 1;
        }
        if !more {
            return;
        }
        // Simulate the swaps.
        let mut stack: Vec<usize> = (0..depth).collect();
        for ins in &instrs[*ix..end] {
            if ins.op == SWAP {
                let oparg = ins.arg as usize;
                stack.swap(0, oparg - 1);
            }
        }
        // Emit the fewest SWAPs that produce the same permutation.
        let mut current: isize = end as isize - 1;
        let mut out: Vec<Instr> = self.blocks[b].instrs[*ix..end].to_vec();
        for o in out.iter_mut() {
            o.op = NOP;
        }
        let base = *ix;
        let mut visited = vec![false; depth];
        for i in 0..depth {
            if visited[i] || stack[i] == i {
                continue;
            }
            let mut j = i;
            loop {
                if j != 0 {
                    let slot = (current - base as isize) as usize;
                    out[slot].op = SWAP;
                    out[slot].arg = (j + 1) as u32;
                    current -= 1;
                }
                if visited[j] {
                    break;
                }
                visited[j] = true;
                j = stack[j];
            }
        }
        self.blocks[b].instrs.splice(base..end, out);
        *ix = end - 1;
    }

    /// `apply_static_swaps`: turn SWAPs before stores into reordered stores.
    fn apply_static_swaps(&mut self, b: BlockId, mut i: isize) {
        let instrs = &mut self.blocks[b].instrs;
        while i >= 0 {
            let iu = i as usize;
            if instrs[iu].op != SWAP {
                if matches!(instrs[iu].op, NOP | STORE_FAST | POP_TOP) {
                    i -= 1;
                    continue;
                }
                return;
            }
            let j = next_swappable(instrs, iu as isize, -1);
            if j < 0 {
                return;
            }
            let mut k = j;
            let lineno = instrs[j as usize].loc.line;
            let mut count = instrs[iu].arg as isize - 1;
            while count > 0 {
                k = next_swappable(instrs, k, lineno);
                if k < 0 {
                    return;
                }
                count -= 1;
            }
            instrs[iu].op = NOP;
            instrs.swap(j as usize, k as usize);
            i -= 1;
        }
    }

    /// `duplicate_exits_without_lineno`.
    pub fn duplicate_exits_without_lineno(&mut self, _entry: BlockId) {
        // CPython walks `b_list`: most recently allocated block first.
        for id in (0..self.blocks.len()).rev() {
            if let Some(last) = self.blocks[id].instrs.last() {
                if is_jump_op(last.op) {
                    let target = last.target.unwrap();
                    if self.is_exit_without_lineno(target) && self.blocks[target].predecessors > 1 {
                        let new = self.new_block();
                        self.blocks[new].instrs = self.blocks[target].instrs.clone();
                        let loc = self.blocks[id].instrs.last().unwrap().loc;
                        self.blocks[new].instrs[0].loc = loc;
                        self.blocks[id].instrs.last_mut().unwrap().target = Some(new);
                        self.blocks[target].predecessors -= 1;
                        self.blocks[new].predecessors = 1;
                        self.blocks[new].next = self.blocks[target].next;
                        self.blocks[target].next = Some(new);
                    }
                }
            }
        }
        // Eliminate empty blocks.
        for id in (0..self.blocks.len()).rev() {
            while let Some(n) = self.blocks[id].next {
                if self.blocks[n].instrs.is_empty() {
                    self.blocks[id].next = self.blocks[n].next;
                } else {
                    break;
                }
            }
        }
        // Any remaining reachable exit blocks without line number can only be
        // reached by fall through, and thus can only have a single predecessor.
        for id in (0..self.blocks.len()).rev() {
            if !self.no_fallthrough(id) && !self.blocks[id].instrs.is_empty() {
                if let Some(n) = self.blocks[id].next {
                    if self.is_exit_without_lineno(n) {
                        let loc = self.blocks[id].instrs.last().unwrap().loc;
                        self.blocks[n].instrs[0].loc = loc;
                    }
                }
            }
        }
    }

    fn is_exit_without_lineno(&self, b: BlockId) -> bool {
        self.is_exit(b) && self.blocks[b].instrs.iter().all(|i| i.loc.line < 0)
    }

    /// `propagate_line_numbers`.
    pub fn propagate_line_numbers(&mut self, entry: BlockId) {
        for b in self.order(entry) {
            if self.blocks[b].instrs.is_empty() {
                continue;
            }
            let mut prev: Option<Loc> = None;
            for ins in self.blocks[b].instrs.iter_mut() {
                if ins.loc.line < 0 {
                    if let Some(p) = prev {
                        ins.loc = p;
                    }
                } else {
                    prev = Some(ins.loc);
                }
            }
            let Some(prev) = prev else { continue };
            if !self.no_fallthrough(b) {
                if let Some(n) = self.blocks[b].next {
                    if self.blocks[n].predecessors == 1
                        && !self.blocks[n].instrs.is_empty()
                        && self.blocks[n].instrs[0].loc.line < 0
                    {
                        self.blocks[n].instrs[0].loc = prev;
                    }
                }
            }
            let last = self.blocks[b].instrs.last().unwrap();
            if is_jump_op(last.op) {
                let t = last.target.unwrap();
                if self.blocks[t].predecessors == 1 {
                    if let Some(first) = self.blocks[t].instrs.first_mut() {
                        if first.loc.line < 0 {
                            first.loc = prev;
                        }
                    }
                }
            }
        }
    }

    /// `guarantee_lineno_for_exits`.
    pub fn guarantee_lineno_for_exits(&mut self, entry: BlockId, firstlineno: i32) {
        let mut lineno = firstlineno;
        for b in self.order(entry) {
            let Some(last) = self.blocks[b].instrs.last() else {
                continue;
            };
            if last.loc.line < 0 {
                if last.op == RETURN_VALUE {
                    for ins in self.blocks[b].instrs.iter_mut() {
                        ins.loc.line = lineno;
                    }
                }
            } else {
                lineno = last.loc.line;
            }
        }
    }

    /// `trim_unused_consts`: drop constants after the last one used.
    pub fn max_const_index(&self, entry: BlockId) -> usize {
        let mut max = 0;
        for b in self.order(entry) {
            for ins in &self.blocks[b].instrs {
                if has_const(ins.op) && ins.arg as usize > max {
                    max = ins.arg as usize;
                }
            }
        }
        max
    }
}

fn next_swappable(instrs: &[Instr], mut i: isize, lineno: i32) -> isize {
    loop {
        i += 1;
        if i as usize >= instrs.len() {
            return -1;
        }
        let ins = &instrs[i as usize];
        if lineno >= 0 && ins.loc.line != lineno {
            return -1;
        }
        match ins.op {
            NOP => continue,
            STORE_FAST | POP_TOP => return i,
            _ => return -1,
        }
    }
}
