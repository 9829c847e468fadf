//! From a unit's control-flow graph to a CPython 3.11 code object: the tail of
//! Python/compile.c (`assemble`, `insert_prefix_instructions`,
//! `fix_cell_offsets`, `stackdepth`, `label_exception_targets`,
//! `push_cold_blocks_to_end`, `normalize_jumps`, `assemble_jump_offsets`,
//! `write_location_info_entry`, `assemble_exception_table`).

use super::cfg::{is_block_push, is_jump_op, is_scope_exit, BlockId, Cfg, Instr, Loc};
use super::consts::ConstTable;
use super::ops::*;
use crate::code::{flags, kinds, CodeObject};
use crate::opcode::Opcode;

/// Everything about a unit the assembler needs besides its graph.
pub struct UnitInfo {
    pub name: String,
    pub qualname: String,
    pub filename: String,
    pub firstlineno: i32,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: u32,
    pub names: Vec<String>,
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
}

/// `stack_effect` of CPython 3.11 (Python/compile.c), for the fall-through
/// edge (`jump == false`) or the jump edge.
#[allow(clippy::collapsible_match)] // one arm per opcode, as in compile.c
pub fn stack_effect(op: Op, arg: u32, jump: bool) -> i32 {
    let oparg = arg as i32;
    match op {
        NOP | EXTENDED_ARG | RESUME | CACHE => 0,
        POP_TOP => -1,
        PUSH_NULL => 1,
        SWAP => 0,
        COPY => 1,
        UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_NOT | UNARY_INVERT => 0,
        SET_ADD | LIST_APPEND => -1,
        MAP_ADD => -2,
        BINARY_SUBSCR => -1,
        STORE_SUBSCR => -3,
        DELETE_SUBSCR => -2,
        GET_ITER => 0,
        PRINT_EXPR => -1,
        LOAD_BUILD_CLASS => 1,
        RETURN_VALUE => -1,
        IMPORT_STAR => -1,
        SETUP_ANNOTATIONS => 0,
        ASYNC_GEN_WRAP | YIELD_VALUE => 0,
        POP_BLOCK => 0,
        POP_EXCEPT => -1,
        STORE_NAME => -1,
        DELETE_NAME => 0,
        UNPACK_SEQUENCE => oparg - 1,
        UNPACK_EX => (oparg & 0xFF) + (oparg >> 8),
        FOR_ITER => {
            if jump {
                -1
            } else {
                1
            }
        }
        SEND => {
            if jump {
                -1
            } else {
                0
            }
        }
        STORE_ATTR => -2,
        DELETE_ATTR => -1,
        STORE_GLOBAL => -1,
        DELETE_GLOBAL => 0,
        LOAD_CONST => 1,
        LOAD_NAME => 1,
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => 1 - oparg,
        BUILD_MAP => 1 - 2 * oparg,
        BUILD_CONST_KEY_MAP => -oparg,
        LOAD_ATTR => 0,
        COMPARE_OP | IS_OP | CONTAINS_OP => -1,
        CHECK_EXC_MATCH | CHECK_EG_MATCH => 0,
        IMPORT_NAME => -1,
        IMPORT_FROM => 1,
        JUMP_FORWARD | JUMP_BACKWARD | JUMP | JUMP_BACKWARD_NO_INTERRUPT | JUMP_NO_INTERRUPT => 0,
        JUMP_IF_TRUE_OR_POP | JUMP_IF_FALSE_OR_POP => {
            if jump {
                0
            } else {
                -1
            }
        }
        POP_JUMP_BACKWARD_IF_NONE
        | POP_JUMP_FORWARD_IF_NONE
        | POP_JUMP_IF_NONE
        | POP_JUMP_BACKWARD_IF_NOT_NONE
        | POP_JUMP_FORWARD_IF_NOT_NONE
        | POP_JUMP_IF_NOT_NONE
        | POP_JUMP_FORWARD_IF_FALSE
        | POP_JUMP_BACKWARD_IF_FALSE
        | POP_JUMP_IF_FALSE
        | POP_JUMP_FORWARD_IF_TRUE
        | POP_JUMP_BACKWARD_IF_TRUE
        | POP_JUMP_IF_TRUE => -1,
        LOAD_GLOBAL => (oparg & 1) + 1,
        SETUP_FINALLY => jump as i32,
        SETUP_CLEANUP => {
            if jump {
                2
            } else {
                0
            }
        }
        SETUP_WITH => jump as i32,
        PREP_RERAISE_STAR => -1,
        RERAISE => -1,
        PUSH_EXC_INFO => 1,
        WITH_EXCEPT_START => 1,
        LOAD_FAST => 1,
        STORE_FAST => -1,
        DELETE_FAST => 0,
        RETURN_GENERATOR => 0,
        RAISE_VARARGS => -oparg,
        KW_NAMES => 0,
        PRECALL => -oparg,
        CALL => -1,
        CALL_FUNCTION_EX => -2 - (oparg & 1),
        MAKE_FUNCTION => {
            -((oparg & 1 != 0) as i32)
                - ((oparg & 2 != 0) as i32)
                - ((oparg & 4 != 0) as i32)
                - ((oparg & 8 != 0) as i32)
        }
        BUILD_SLICE => {
            if oparg == 3 {
                -2
            } else {
                -1
            }
        }
        MAKE_CELL | COPY_FREE_VARS => 0,
        LOAD_CLOSURE => 1,
        LOAD_DEREF | LOAD_CLASSDEREF => 1,
        STORE_DEREF => -1,
        DELETE_DEREF => 0,
        GET_AWAITABLE => 0,
        BEFORE_ASYNC_WITH | BEFORE_WITH => 1,
        GET_AITER => 0,
        GET_ANEXT => 1,
        GET_YIELD_FROM_ITER => 0,
        END_ASYNC_FOR => -2,
        FORMAT_VALUE => {
            if oparg & 0x04 == 0x04 {
                -1
            } else {
                0
            }
        }
        LOAD_METHOD => 1,
        LOAD_ASSERTION_ERROR => 1,
        LIST_TO_TUPLE => 0,
        LIST_EXTEND | SET_UPDATE | DICT_MERGE | DICT_UPDATE => -1,
        MATCH_CLASS => -2,
        GET_LEN | MATCH_MAPPING | MATCH_SEQUENCE | MATCH_KEYS => 1,
        BINARY_OP => -1,
        _ => 0,
    }
}

fn cache_entries(op: Op) -> u32 {
    if op < 256 {
        Opcode::from_u8(op as u8).map_or(0, |o| o.cache_entries() as u32)
    } else {
        0
    }
}

/// The argument written for an instruction: opcodes below HAVE_ARGUMENT
/// always get 0 (`write_instr`).
fn oparg(ins: &Instr) -> u32 {
    if ins.op < crate::opcode::HAVE_ARGUMENT as Op {
        0
    } else {
        ins.arg
    }
}

fn instr_size(ins: &Instr) -> u32 {
    let ext = match oparg(ins) {
        a if a > 0xFF_FFFF => 3,
        a if a > 0xFFFF => 2,
        a if a > 0xFF => 1,
        _ => 0,
    };
    ext + 1 + cache_entries(ins.op)
}

impl Cfg {
    /// `insert_prefix_instructions`: COPY_FREE_VARS, MAKE_CELLs and
    /// RETURN_GENERATOR/POP_TOP before the first instruction.
    fn insert_prefix(&mut self, entry: BlockId, info: &UnitInfo, fixed: &[u32]) {
        let mut prefix = Vec::new();
        let nfree = info.freevars.len() as u32;
        if nfree > 0 {
            prefix.push(Instr::new(COPY_FREE_VARS, nfree, Loc::NONE));
        }
        let ncells = info.cellvars.len();
        if ncells > 0 {
            // MAKE_CELLs in the order of their final slots (cells that are
            // arguments live in the argument's slot).
            let nvars = ncells + info.varnames.len();
            let mut sorted = vec![0usize; nvars];
            for (i, &f) in fixed.iter().take(ncells).enumerate() {
                sorted[f as usize] = i + 1;
            }
            for &s in &sorted {
                if s != 0 {
                    prefix.push(Instr::new(MAKE_CELL, (s - 1) as u32, Loc::NONE));
                }
            }
        }
        if info.flags & (flags::CO_GENERATOR | flags::CO_COROUTINE | flags::CO_ASYNC_GENERATOR) != 0
        {
            let loc = Loc {
                line: info.firstlineno,
                end_line: info.firstlineno,
                col: -1,
                end_col: -1,
            };
            prefix.push(Instr::new(RETURN_GENERATOR, 0, loc));
            prefix.push(Instr::new(POP_TOP, 0, loc));
        }
        let instrs = &mut self.blocks[entry].instrs;
        let rest = std::mem::take(instrs);
        *instrs = prefix;
        instrs.extend(rest);
    }

    /// `fix_cell_offsets`: cell and free variable opargs become slots in
    /// `co_localsplusnames`. Returns the number of cells that were merged
    /// with arguments.
    fn fix_cell_offsets(&mut self, entry: BlockId, nlocals: usize, fixed: &mut [u32]) -> usize {
        let mut dropped = 0;
        for (i, f) in fixed.iter_mut().enumerate() {
            if *f as usize == i + nlocals {
                *f -= dropped as u32;
            } else {
                dropped += 1;
            }
        }
        for b in self.order(entry) {
            for ins in self.blocks[b].instrs.iter_mut() {
                if matches!(
                    ins.op,
                    MAKE_CELL
                        | LOAD_CLOSURE
                        | LOAD_DEREF
                        | STORE_DEREF
                        | DELETE_DEREF
                        | LOAD_CLASSDEREF
                ) {
                    ins.arg = fixed[ins.arg as usize];
                }
            }
        }
        dropped
    }

    /// `stackdepth`: the maximum stack depth over all paths.
    fn stackdepth(&mut self, entry: BlockId, generator: bool) -> i32 {
        for b in self.blocks.iter_mut() {
            b.startdepth = i32::MIN;
        }
        let mut stack: Vec<BlockId> = Vec::new();
        let mut maxdepth = 0;
        fn push(cfg: &mut Cfg, stack: &mut Vec<BlockId>, b: BlockId, depth: i32) {
            if cfg.blocks[b].startdepth < depth && cfg.blocks[b].startdepth < 100 {
                cfg.blocks[b].startdepth = depth;
                stack.push(b);
            }
        }
        push(self, &mut stack, entry, generator as i32);
        while let Some(b) = stack.pop() {
            let mut depth = self.blocks[b].startdepth;
            let mut next = self.blocks[b].next;
            for i in 0..self.blocks[b].instrs.len() {
                let ins = self.blocks[b].instrs[i].clone();
                let new_depth = depth + stack_effect(ins.op, ins.arg, false);
                maxdepth = maxdepth.max(new_depth);
                if is_jump_op(ins.op) || is_block_push(ins.op) {
                    let target_depth = depth + stack_effect(ins.op, ins.arg, true);
                    maxdepth = maxdepth.max(target_depth);
                    push(self, &mut stack, ins.target.unwrap(), target_depth);
                }
                depth = new_depth;
                if matches!(ins.op, JUMP_NO_INTERRUPT | JUMP) || is_scope_exit(ins.op) {
                    next = None;
                    break;
                }
            }
            if let Some(n) = next {
                push(self, &mut stack, n, depth);
            }
        }
        maxdepth
    }

    /// `label_exception_targets`: give every instruction the handler in
    /// force, and YIELD_VALUE the depth of the handler stack.
    fn label_exception_targets(&mut self, entry: BlockId) {
        for b in self.blocks.iter_mut() {
            b.visited = false;
        }
        let mut stacks: Vec<Option<Vec<BlockId>>> = vec![None; self.blocks.len()];
        let mut todo = vec![entry];
        self.blocks[entry].visited = true;
        stacks[entry] = Some(Vec::new());
        while let Some(b) = todo.pop() {
            let mut es = stacks[b].take().unwrap_or_default();
            let n = self.blocks[b].instrs.len();
            for i in 0..n {
                let ins = self.blocks[b].instrs[i].clone();
                if is_block_push(ins.op) {
                    let t = ins.target.unwrap();
                    if !self.blocks[t].visited {
                        stacks[t] = Some(es.clone());
                        self.blocks[t].visited = true;
                        todo.push(t);
                    }
                    if matches!(ins.op, SETUP_WITH | SETUP_CLEANUP) {
                        self.blocks[t].preserve_lasti = true;
                    }
                    es.push(t);
                } else if ins.op == POP_BLOCK {
                    es.pop();
                } else if is_jump_op(ins.op) {
                    self.blocks[b].instrs[i].except = es.last().copied();
                    let t = ins.target.unwrap();
                    if !self.blocks[t].visited {
                        stacks[t] = Some(es.clone());
                        self.blocks[t].visited = true;
                        todo.push(t);
                    }
                } else {
                    self.blocks[b].instrs[i].except = es.last().copied();
                }
            }
            if self.has_fallthrough(b) {
                if let Some(next) = self.blocks[b].next {
                    if !self.blocks[next].visited {
                        stacks[next] = Some(es);
                        self.blocks[next].visited = true;
                        todo.push(next);
                    }
                }
            }
        }
    }

    fn convert_exception_handlers_to_nops(&mut self, entry: BlockId) {
        for b in self.order(entry) {
            for ins in self.blocks[b].instrs.iter_mut() {
                if is_block_push(ins.op) || ins.op == POP_BLOCK {
                    ins.op = NOP;
                    ins.target = None;
                }
            }
        }
    }

    /// `normalize_jumps`: pick the FORWARD/BACKWARD form of every jump.
    fn normalize_jumps(&mut self, entry: BlockId) {
        for b in self.blocks.iter_mut() {
            b.visited = false;
        }
        for b in self.order(entry) {
            self.blocks[b].visited = true;
            let Some(last) = self.blocks[b].instrs.last() else {
                continue;
            };
            if !is_jump_op(last.op) {
                continue;
            }
            let forward = !self.blocks[last.target.unwrap()].visited;
            let op = last.op;
            let new = match op {
                JUMP => {
                    if forward {
                        JUMP_FORWARD
                    } else {
                        JUMP_BACKWARD
                    }
                }
                JUMP_NO_INTERRUPT => {
                    if forward {
                        JUMP_FORWARD
                    } else {
                        JUMP_BACKWARD_NO_INTERRUPT
                    }
                }
                POP_JUMP_IF_NOT_NONE => {
                    if forward {
                        POP_JUMP_FORWARD_IF_NOT_NONE
                    } else {
                        POP_JUMP_BACKWARD_IF_NOT_NONE
                    }
                }
                POP_JUMP_IF_NONE => {
                    if forward {
                        POP_JUMP_FORWARD_IF_NONE
                    } else {
                        POP_JUMP_BACKWARD_IF_NONE
                    }
                }
                POP_JUMP_IF_FALSE => {
                    if forward {
                        POP_JUMP_FORWARD_IF_FALSE
                    } else {
                        POP_JUMP_BACKWARD_IF_FALSE
                    }
                }
                POP_JUMP_IF_TRUE => {
                    if forward {
                        POP_JUMP_FORWARD_IF_TRUE
                    } else {
                        POP_JUMP_BACKWARD_IF_TRUE
                    }
                }
                other => other,
            };
            self.blocks[b].instrs.last_mut().unwrap().op = new;
        }
    }

    /// `assemble_jump_offsets`: block offsets and jump arguments, iterated
    /// until EXTENDED_ARG sizes settle.
    fn assemble_jump_offsets(&mut self, order: &[BlockId]) {
        loop {
            let mut total = 0;
            for &b in order {
                self.blocks[b].offset = total;
                total += self.blocks[b].instrs.iter().map(instr_size).sum::<u32>();
            }
            let mut again = false;
            for &b in order {
                let mut pos = self.blocks[b].offset;
                for i in 0..self.blocks[b].instrs.len() {
                    let size = instr_size(&self.blocks[b].instrs[i]);
                    pos += size;
                    let ins = &self.blocks[b].instrs[i];
                    if is_jump_op(ins.op) {
                        let target = self.blocks[ins.target.unwrap()].offset;
                        let arg = if is_backward(ins.op) {
                            pos.saturating_sub(target)
                        } else {
                            target.saturating_sub(pos)
                        };
                        let ins = &mut self.blocks[b].instrs[i];
                        ins.arg = arg;
                        if instr_size(ins) != size {
                            again = true;
                        }
                    }
                }
            }
            if !again {
                break;
            }
        }
    }
}

fn is_backward(op: Op) -> bool {
    matches!(
        op,
        JUMP_BACKWARD
            | JUMP_BACKWARD_NO_INTERRUPT
            | POP_JUMP_BACKWARD_IF_FALSE
            | POP_JUMP_BACKWARD_IF_TRUE
            | POP_JUMP_BACKWARD_IF_NONE
            | POP_JUMP_BACKWARD_IF_NOT_NONE
    )
}

/// Writer of the 3.11 location table (Objects/locations.md).
struct LineTable {
    out: Vec<u8>,
    lineno: i32,
}

impl LineTable {
    fn first_byte(&mut self, code: u8, len: u32) {
        self.out.push(0x80 | (code << 3) | (len as u8 - 1));
    }
    fn varint(&mut self, mut v: u32) {
        while v >= 64 {
            self.out.push(0x40 | (v & 0x3f) as u8);
            v >>= 6;
        }
        self.out.push(v as u8);
    }
    fn svarint(&mut self, v: i32) {
        if v < 0 {
            self.varint(((-v) as u32) << 1 | 1);
        } else {
            self.varint((v as u32) << 1);
        }
    }
    fn entry(&mut self, loc: Loc, len: u32) {
        if loc.line < 0 {
            self.first_byte(15, len);
            return;
        }
        let line_delta = loc.line - self.lineno;
        let (col, end_col) = (loc.col, loc.end_col);
        if col < 0 || end_col < 0 {
            if loc.end_line == loc.line || loc.end_line == -1 {
                self.first_byte(13, len);
                self.svarint(line_delta);
                self.lineno = loc.line;
                return;
            }
        } else if loc.end_line == loc.line {
            if line_delta == 0 && col < 80 && end_col - col < 16 && end_col >= col {
                self.first_byte((col / 8) as u8, len);
                self.out.push((((col % 8) << 4) | (end_col - col)) as u8);
                return;
            }
            if (0..3).contains(&line_delta) && col < 128 && end_col < 128 {
                self.first_byte(10 + line_delta as u8, len);
                self.out.push(col as u8);
                self.out.push(end_col as u8);
                self.lineno = loc.line;
                return;
            }
        }
        self.first_byte(14, len);
        self.svarint(line_delta);
        self.varint((loc.end_line - loc.line) as u32);
        self.varint((col + 1) as u32);
        self.varint((end_col + 1) as u32);
        self.lineno = loc.line;
    }
    fn emit(&mut self, loc: Loc, mut size: u32) {
        while size > 8 {
            self.entry(loc, 8);
            size -= 8;
        }
        self.entry(loc, size);
    }
}

/// Writer of the exception table (Objects/exception_handling_notes.txt).
fn except_item(out: &mut Vec<u8>, value: u32, mut msb: u8) {
    const CONT: u8 = 64;
    if value >= 1 << 24 {
        out.push((value >> 24) as u8 | CONT | msb);
        msb = 0;
    }
    if value >= 1 << 18 {
        out.push(((value >> 18) & 0x3f) as u8 | CONT | msb);
        msb = 0;
    }
    if value >= 1 << 12 {
        out.push(((value >> 12) & 0x3f) as u8 | CONT | msb);
        msb = 0;
    }
    if value >= 1 << 6 {
        out.push(((value >> 6) & 0x3f) as u8 | CONT | msb);
        msb = 0;
    }
    out.push((value & 0x3f) as u8 | msb);
}

pub(crate) fn encode_exception_entry(
    out: &mut Vec<u8>,
    start: u32,
    end: u32,
    target: u32,
    depth: u32,
    lasti: bool,
) {
    except_item(out, start, 1 << 7);
    except_item(out, end - start, 0);
    except_item(out, target, 0);
    except_item(out, (depth << 1) | lasti as u32, 0);
}

/// `assemble`: run the CFG passes and produce the code object.
pub fn assemble(mut cfg: Cfg, mut consts: ConstTable, info: UnitInfo) -> CodeObject {
    let entry: BlockId = 0;
    cfg.normalize();
    cfg.extend_all();

    // Cell slots: a cell that is also an argument lives in the argument's slot.
    let nlocals = info.varnames.len();
    let mut fixed: Vec<u32> = (0..info.cellvars.len() + info.freevars.len())
        .map(|i| (i + nlocals) as u32)
        .collect();
    for (i, cell) in info.cellvars.iter().enumerate() {
        if let Some(j) = info.varnames.iter().position(|v| v == cell) {
            fixed[i] = j as u32;
        }
    }
    cfg.insert_prefix(entry, &info, &fixed);
    let dropped = cfg.fix_cell_offsets(entry, nlocals, &mut fixed);

    cfg.optimize(entry, &mut consts);
    cfg.duplicate_exits_without_lineno(entry);
    let keep = cfg.max_const_index(entry) + 1;
    consts.truncate(keep);
    cfg.propagate_line_numbers(entry);
    cfg.guarantee_lineno_for_exits(entry, info.firstlineno);
    let generator =
        info.flags & (flags::CO_GENERATOR | flags::CO_COROUTINE | flags::CO_ASYNC_GENERATOR) != 0;
    let maxdepth = cfg.stackdepth(entry, generator);
    cfg.label_exception_targets(entry);
    cfg.convert_exception_handlers_to_nops(entry);
    for b in cfg.order(entry) {
        cfg.clean_block(b);
    }
    cfg.normalize_jumps(entry);
    let order = cfg.order(entry);
    cfg.assemble_jump_offsets(&order);

    // Emit code, locations and the exception table.
    let mut code = Vec::new();
    let mut lt = LineTable {
        out: Vec::new(),
        lineno: info.firstlineno,
    };
    let mut et = Vec::new();
    let mut handler: Option<BlockId> = None;
    let mut start = 0u32;
    let mut ioffset = 0u32;
    for &b in &order {
        ioffset = cfg.blocks[b].offset;
        for ins in &cfg.blocks[b].instrs {
            let size = instr_size(ins);
            let arg = oparg(ins);
            if arg > 0xFF_FFFF {
                code.extend_from_slice(&[EXTENDED_ARG as u8, (arg >> 24) as u8]);
            }
            if arg > 0xFFFF {
                code.extend_from_slice(&[EXTENDED_ARG as u8, (arg >> 16) as u8]);
            }
            if arg > 0xFF {
                code.extend_from_slice(&[EXTENDED_ARG as u8, (arg >> 8) as u8]);
            }
            code.extend_from_slice(&[ins.op as u8, arg as u8]);
            for _ in 0..cache_entries(ins.op) {
                code.extend_from_slice(&[0, 0]);
            }
            lt.emit(ins.loc, size);
            if ins.except != handler {
                if let Some(h) = handler {
                    emit_handler(&cfg, &mut et, start, ioffset, h);
                }
                start = ioffset;
                handler = ins.except;
            }
            ioffset += size;
        }
    }
    if let Some(h) = handler {
        emit_handler(&cfg, &mut et, start, ioffset, h);
    }

    // co_localsplusnames / co_localspluskinds.
    let mut names = Vec::new();
    let mut kinds_v = Vec::new();
    for v in &info.varnames {
        names.push(v.clone());
        kinds_v.push(if info.cellvars.contains(v) {
            kinds::CO_FAST_LOCAL | kinds::CO_FAST_CELL
        } else {
            kinds::CO_FAST_LOCAL
        });
    }
    for c in &info.cellvars {
        if !info.varnames.contains(c) {
            names.push(c.clone());
            kinds_v.push(kinds::CO_FAST_CELL);
        }
    }
    for f in &info.freevars {
        names.push(f.clone());
        kinds_v.push(kinds::CO_FAST_FREE);
    }
    debug_assert_eq!(
        names.len(),
        nlocals + info.cellvars.len() - dropped + info.freevars.len()
    );

    CodeObject {
        argcount: info.argcount + info.posonlyargcount,
        posonlyargcount: info.posonlyargcount,
        kwonlyargcount: info.kwonlyargcount,
        stacksize: maxdepth.max(0) as u32,
        flags: info.flags,
        code,
        consts: consts.items,
        names: info.names,
        localsplusnames: names,
        localspluskinds: kinds_v,
        filename: info.filename,
        name: info.name,
        qualname: info.qualname,
        firstlineno: info.firstlineno as u32,
        linetable: lt.out,
        exceptiontable: et,
    }
}

fn emit_handler(cfg: &Cfg, et: &mut Vec<u8>, start: u32, end: u32, h: BlockId) {
    let hb = &cfg.blocks[h];
    let mut depth = hb.startdepth - 1;
    if hb.preserve_lasti {
        depth -= 1;
    }
    encode_exception_entry(
        et,
        start,
        end,
        hb.offset,
        depth.max(0) as u32,
        hb.preserve_lasti,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// Runs a Python snippet under CPython 3.11 and returns its stdout.
    fn python(script: &str) -> Option<String> {
        let out = Command::new("python3").args(["-c", script]).output().ok()?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8_lossy(&out.stdout).to_string())
    }

    const PROGRAM: &str = r#"
def f(x, items):
    total = 0
    try:
        for i in items:
            with open(i) as fh:
                total += len(fh.read()) * (x +
                    1)
    except (OSError, ValueError) as e:
        print("error", e)
    finally:
        total -= 1
    return [t for t in range(total) if t % 2]
"#;

    /// CPython's exception table entries for `f`, fed to our encoder, give
    /// CPython's bytes.
    #[test]
    fn exception_table_encoder_matches_cpython() {
        let script = format!(
            "import dis\nsrc = {PROGRAM:?}\nco = compile(src, 'a.py', 'exec').co_consts[0]\n\
             print(co.co_exceptiontable.hex())\n\
             for e in dis._parse_exception_table(co):\n    print(e.start // 2, e.end // 2, e.target // 2, e.depth, int(e.lasti))\n"
        );
        let Some(out) = python(&script) else { return };
        let mut lines = out.lines();
        let want = lines.next().unwrap().to_string();
        let mut got = Vec::new();
        for l in lines {
            let v: Vec<u32> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
            encode_exception_entry(&mut got, v[0], v[1], v[2], v[3], v[4] != 0);
        }
        let got: String = got.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, want);
    }

    /// CPython's per-instruction positions and sizes, fed to our location
    /// table writer, give CPython's `co_linetable`.
    #[test]
    fn location_table_encoder_matches_cpython() {
        let script = format!(
            "import dis, opcode\nsrc = {PROGRAM:?}\nco = compile(src, 'a.py', 'exec').co_consts[0]\n\
             print(co.co_firstlineno, co.co_linetable.hex())\n\
             pos = list(co.co_positions())\ncode = co.co_code\ni = 0\n\
             while i < len(code) // 2:\n    start = i\n\
             \n    while code[2 * i] == opcode.EXTENDED_ARG:\n        i += 1\n\
             \n    i += 1 + opcode._inline_cache_entries[code[2 * i]]\n\
             \n    p = pos[start]\n\
             \n    print(*[-1 if v is None else v for v in p], i - start)\n"
        );
        let Some(out) = python(&script) else { return };
        let mut lines = out.lines();
        let head: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        let first: i32 = head[0].parse().unwrap();
        let want = head.get(1).copied().unwrap_or("").to_string();
        let mut lt = LineTable {
            out: Vec::new(),
            lineno: first,
        };
        for l in lines {
            let v: Vec<i32> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
            let loc = Loc {
                line: v[0],
                end_line: v[1],
                col: v[2],
                end_col: v[3],
            };
            lt.emit(loc, v[4] as u32);
        }
        let got: String = lt.out.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, want);
    }
}
