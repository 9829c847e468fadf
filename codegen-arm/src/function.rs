//! One native Thumb-2 function per code object: the frame, the shadow value
//! stack, the instruction loop, the error exits and the generic helper
//! template. The per-opcode templates are in `templates/`.
//!
//! AAPCS: arguments in r0-r3, result in r0, r4-r11 callee-saved, sp 8-byte
//! aligned at every call. A compiled function is entered with r0 = the
//! function object, r1 = the argument array. Frame (r7 is the frame
//! register, `N` = 4 * (nlocals + stacksize) rounded up to 8):
//!
//! ```text
//!   push {r4, r5, r6, r7, r8, lr}; sub sp, sp, #N; mov r7, sp
//!   [r7, #4*i]               local i
//!   [r7, #4*(nlocals + p)]   value-stack slot p (ascending, so the
//!                            arguments of a call or the items of a
//!                            BUILD_LIST are an array)
//! ```
//!
//! The shadow stack records, for each value-stack entry, where its value
//! is: in its own slot, an immediate, a runtime static, a constant, a local
//! or one of the pool registers r4, r5, r6, r8. The pool is callee-saved,
//! so values stay in it across runtime calls (the GC scans callee-saved
//! registers, spilled by the runtime, conservatively). Entries are written
//! to their slots at block boundaries and before calls that take a pointer
//! to them. Scratch registers inside a template: r0-r3 and r12.

use crate::templates::{template_for, Template};
use crate::thumb::{
    self, ptr, Assembler, Cond, Label, Mem, Reg, R0, R1, R12, R2, R3, R4, R5, R6, R7, R8,
};
use crate::{OpMark, TARGET};
use frontend::bytecode::Instr;
use frontend::code::CodeObject;
use frontend::lower::analysis::{self, Analysis};
use frontend::lower::generic::{generic, Arg, Generic, Returns};
use frontend::lower::{Tables, CONSTS};
use frontend::opcode::Opcode::{self, *};
use frontend::rt;
use num_bigint::BigInt;
use std::collections::HashMap;

/// Why a code object could not be compiled: at bytecode `offset`.
#[derive(Debug)]
pub struct CgError {
    pub offset: u32,
    pub what: String,
}

pub type R<T> = Result<T, CgError>;

impl From<thumb::Error> for CgError {
    fn from(e: thumb::Error) -> CgError {
        CgError {
            offset: 0,
            what: format!("internal assembler error: {e}"),
        }
    }
}

/// Where a value-stack entry's value is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    /// In its own frame slot (the position it has on the stack).
    Stack(u32),
    /// An immediate word: a tagged small int, or 0 (the NULL of PUSH_NULL).
    Imm(i32),
    /// The address of a runtime static (`pyrt_None`, `pyrt_True`, ...).
    Sym(&'static str),
    /// Entry of the program's constant table.
    Const(u32),
    /// A local that is certainly bound.
    Local(u32),
    /// Pool register `POOL[k]`.
    Reg(usize),
    /// A code object constant (by program code id): only MAKE_FUNCTION
    /// consumes it.
    Code(usize),
}

impl Val {
    /// A small int known at compile time, as its tagged word.
    pub(crate) fn small_int(self) -> Option<i32> {
        match self {
            Val::Imm(x) if x & 1 == 1 => Some(x),
            _ => None,
        }
    }
    /// Never a small int: the inline int paths would always fail.
    pub(crate) fn never_int(self) -> bool {
        matches!(
            self,
            Val::Sym(_) | Val::Const(_) | Val::Code(_) | Val::Imm(0)
        )
    }
}

/// Registers the shadow stack may keep values in (callee-saved, saved by
/// the prologue).
pub const POOL: [Reg; 4] = [R4, R5, R6, R8];

/// What the prologue pushes and the epilogue pops (`lr` / `pc` last): an
/// even count, so sp stays 8-byte aligned.
const SAVED: [Reg; 5] = [R4, R5, R6, R7, R8];

/// The tagged word of small int `n`, if `n` is one on a 32-bit target.
pub fn tag(n: &BigInt) -> Option<i32> {
    TARGET.tag(n).and_then(|x| i32::try_from(x).ok())
}

type SlowPath<'p> = Box<dyn FnOnce(&mut FnEmitter<'p>) -> R<()> + 'p>;

pub struct FnEmitter<'p> {
    pub(crate) asm: Assembler,
    pub(crate) ctx: &'p mut Tables,
    pub(crate) code: &'p CodeObject,
    /// Program-wide id of this code object.
    pub(crate) id: usize,
    pub(crate) is_module: bool,
    pub(crate) instrs: Vec<Instr>,
    pub(crate) an: Analysis,
    pub(crate) stack: Vec<Val>,
    pub(crate) nlocals: u32,
    /// Bytes below the saved {r7, lr}: locals and value stack.
    pub(crate) frame_size: u32,
    /// Per instruction index, for jump targets.
    pub(crate) labels: HashMap<usize, Label>,
    pub(crate) error_exit: Label,
    pub(crate) error_stubs: Vec<(u32, Label)>,
    pub(crate) slow: Vec<(String, SlowPath<'p>)>,
    /// The instruction being compiled.
    pub(crate) cur: Instr,
    /// KW_NAMES seen, for the next CALL: constant table index.
    pub(crate) kwnames: Option<u32>,
    /// For the listing: (byte offset, header).
    pub marks: Vec<OpMark>,
}

/// The largest frame `ldr`/`str` reach with a 12-bit offset from r7.
const MAX_FRAME: u32 = 4092;

impl<'p> FnEmitter<'p> {
    pub fn new(
        ctx: &'p mut Tables,
        code: &'p CodeObject,
        id: usize,
        instrs: Vec<Instr>,
        an: Analysis,
    ) -> R<FnEmitter<'p>> {
        let nlocals = code.localsplusnames.len() as u32;
        let words = nlocals as u64 + code.stacksize as u64;
        if 4 * words > MAX_FRAME as u64 {
            return Err(CgError {
                offset: 0,
                what: format!(
                    "a function with {words} locals and stack entries (at most {} on Cortex-M)",
                    MAX_FRAME / 4
                ),
            });
        }
        let frame_size = (4 * words as u32 + 7) & !7;
        let mut asm = Assembler::new();
        let error_exit = asm.new_label();
        Ok(FnEmitter {
            asm,
            ctx,
            code,
            id,
            is_module: id == 0,
            instrs,
            an,
            stack: Vec::new(),
            nlocals,
            frame_size,
            labels: HashMap::new(),
            error_exit,
            error_stubs: Vec::new(),
            slow: Vec::new(),
            cur: Instr {
                start: 0,
                offset: 0,
                opcode: NOP,
                arg: 0,
            },
            kwnames: None,
            marks: Vec::new(),
        })
    }

    pub(crate) fn unsupported<T>(&self, what: impl Into<String>) -> R<T> {
        Err(CgError {
            offset: self.cur.offset,
            what: what.into(),
        })
    }

    // ---- frame addressing ---------------------------------------------------

    /// Byte offset of local i from r7.
    pub(crate) fn local_off(&self, i: u32) -> i32 {
        4 * i as i32
    }

    /// Byte offset of value-stack slot p from r7.
    pub(crate) fn slot_off(&self, p: u32) -> i32 {
        4 * (self.nlocals + p) as i32
    }

    pub(crate) fn local(&self, i: u32) -> Mem {
        ptr(R7, self.local_off(i))
    }

    pub(crate) fn slot(&self, p: u32) -> Mem {
        ptr(R7, self.slot_off(p))
    }

    /// The label of the instruction at byte `offset`.
    pub(crate) fn label_at(&mut self, offset: u32) -> R<Label> {
        let Some(&index) = self.an.index_of.get(&offset) else {
            return self.unsupported("jump into the middle of an instruction");
        };
        let a = &mut self.asm;
        Ok(*self.labels.entry(index).or_insert_with(|| a.new_label()))
    }

    /// The stub that records the current instruction's offset and leaves
    /// through the error exit.
    pub(crate) fn error_label(&mut self) -> Label {
        let off = self.cur.offset;
        if let Some(&(_, l)) = self.error_stubs.iter().find(|(o, _)| *o == off) {
            return l;
        }
        let l = self.asm.new_label();
        self.error_stubs.push((off, l));
        l
    }

    pub(crate) fn mark(&mut self, header: String) {
        self.marks.push(OpMark {
            offset: self.asm.offset(),
            header,
        });
    }

    // ---- symbols -------------------------------------------------------------

    /// `movw r, #:lower16:sym; movt r, #:upper16:sym`
    pub(crate) fn sym_addr(&mut self, r: Reg, sym: &str) -> R<()> {
        self.asm.mov32_sym(r, sym)?;
        Ok(())
    }

    /// The operand `[sym + off]`, with `r` as the address register.
    fn sym_word(&mut self, r: Reg, sym: &str, off: u32) -> R<Mem> {
        self.sym_addr(r, sym)?;
        if off > 4095 {
            self.asm.add(r, r, off & !0xfff)?; // a modified immediate below 2**20
        }
        Ok(ptr(r, (off & 0xfff) as i32))
    }

    /// `ldr r, [sym + off]`
    pub(crate) fn load_sym(&mut self, r: Reg, sym: &str, off: u32) -> R<()> {
        let m = self.sym_word(r, sym, off)?;
        self.asm.ldr(r, m)?;
        Ok(())
    }

    /// `str r, [sym + off]` with `base` as the address register.
    pub(crate) fn store_sym(&mut self, r: Reg, base: Reg, sym: &str, off: u32) -> R<()> {
        let m = self.sym_word(base, sym, off)?;
        self.asm.str(r, m)?;
        Ok(())
    }

    /// `r = x`: `movs` (16 bits) for a low register and a byte, else the
    /// shortest `mov`/`mvn`/`movw`+`movt`. Templates never keep flags live
    /// across a register load, so `movs` may set them.
    pub(crate) fn imm(&mut self, r: Reg, x: u32) -> R<()> {
        if r.is_low() && x <= 255 {
            self.asm.movs(r, x)?;
        } else {
            self.asm.mov32(r, x)?;
        }
        Ok(())
    }

    /// `bl sym`
    pub(crate) fn call(&mut self, h: rt::Helper) -> R<()> {
        self.asm.bl(h.symbol)?;
        Ok(())
    }

    /// The depth counter `pyrt_recursion_depth += delta` (r2, r3 scratch).
    pub(crate) fn add_depth(&mut self, delta: i32) -> R<()> {
        self.sym_addr(R3, rt::RECURSION_DEPTH)?;
        self.asm.ldr(R2, ptr(R3, 0))?;
        if delta >= 0 {
            self.asm.add(R2, R2, delta)?;
        } else {
            self.asm.sub(R2, R2, -delta)?;
        }
        self.asm.str(R2, ptr(R3, 0))?;
        Ok(())
    }

    /// `add sp, sp, #N; pop {r4, r5, r6, r7, r8, pc}`
    pub(crate) fn leave(&mut self) -> R<()> {
        if self.frame_size > 0 {
            self.asm.add(thumb::SP, thumb::SP, self.frame_size)?;
        }
        let mut regs = SAVED.to_vec();
        regs.push(thumb::PC);
        self.asm.pop(&regs)?;
        Ok(())
    }

    // ---- moving values -------------------------------------------------------

    /// Load value `v` into `r`.
    pub(crate) fn load(&mut self, v: Val, r: Reg) -> R<()> {
        match v {
            Val::Stack(p) => self.asm.ldr(r, self.slot(p))?,
            Val::Imm(x) => self.imm(r, x as u32)?,
            Val::Sym(s) => self.sym_addr(r, s)?,
            Val::Const(i) => self.load_sym(r, CONSTS, 4 * i)?,
            Val::Local(i) => self.asm.ldr(r, self.local(i))?,
            Val::Reg(k) if POOL[k] == r => {}
            Val::Reg(k) => self.asm.mov(r, POOL[k])?,
            Val::Code(_) => return self.unsupported("a function's code object used as a value"),
        }
        Ok(())
    }

    /// Write stack entry `p` to its own slot (r12 is scratch).
    pub(crate) fn flush_entry(&mut self, p: usize) -> R<()> {
        let v = self.stack[p];
        if v != Val::Stack(p as u32) {
            let r = match v {
                Val::Reg(k) => POOL[k],
                _ => {
                    self.load(v, R12)?;
                    R12
                }
            };
            self.asm.str(r, self.slot(p as u32))?;
            self.stack[p] = Val::Stack(p as u32);
        }
        Ok(())
    }

    /// Every entry to its slot: the state at block boundaries.
    pub(crate) fn flush(&mut self) -> R<()> {
        for p in 0..self.stack.len() {
            self.flush_entry(p)?;
        }
        Ok(())
    }

    /// A free pool register (spilling the deepest register entry if none).
    pub(crate) fn alloc(&mut self) -> R<usize> {
        let mut used = [false; POOL.len()];
        for v in &self.stack {
            if let Val::Reg(k) = v {
                used[*k] = true;
            }
        }
        if let Some(k) = used.iter().position(|u| !u) {
            return Ok(k);
        }
        let Some(p) = self.stack.iter().position(|v| matches!(v, Val::Reg(_))) else {
            return self.unsupported("internal: no pool register to spill");
        };
        let Val::Reg(k) = self.stack[p] else {
            return self.unsupported("internal: no pool register to spill");
        };
        self.flush_entry(p)?;
        Ok(k)
    }

    /// Push the value in `r` (a fresh result) as a pool register entry.
    pub(crate) fn push_reg(&mut self, r: Reg) -> R<()> {
        let k = self.alloc()?;
        self.asm.mov(POOL[k], r)?;
        self.stack.push(Val::Reg(k));
        Ok(())
    }

    pub fn push_null(&mut self) -> R<()> {
        self.push(Val::Imm(0));
        Ok(())
    }

    pub fn pop(&mut self) -> R<Val> {
        match self.stack.pop() {
            Some(v) => Ok(v),
            None => self.unsupported("value stack underflow"),
        }
    }

    pub(crate) fn push(&mut self, v: Val) {
        self.stack.push(v);
    }

    pub(crate) fn peek(&self, k: usize) -> R<Val> {
        match k
            .checked_add(1)
            .and_then(|n| self.stack.len().checked_sub(n))
        {
            Some(p) => Ok(self.stack[p]),
            None => self.unsupported("value stack underflow"),
        }
    }

    /// `cmp r0, #0; beq.w error`: a helper that returns NULL on error.
    pub(crate) fn check_value(&mut self) -> R<()> {
        let err = self.error_label();
        self.asm.cmp(R0, 0)?;
        self.asm.b_cond(Cond::Eq, err)?;
        Ok(())
    }

    /// `cmp r0, #0; blt.w error`: a helper that returns -1 on error.
    pub(crate) fn check_status(&mut self) -> R<()> {
        let err = self.error_label();
        self.asm.cmp(R0, 0)?;
        self.asm.b_cond(Cond::Lt, err)?;
        Ok(())
    }

    /// Queue out-of-line code (emitted after the function body).
    pub(crate) fn slow_path(&mut self, f: impl FnOnce(&mut FnEmitter<'p>) -> R<()> + 'p) {
        let name = format!("{} {} (slow path)", self.cur.offset, self.cur.opcode.name());
        self.slow.push((name, Box::new(f)));
    }

    // ---- the function --------------------------------------------------------

    pub fn emit(mut self) -> R<(Assembler, Vec<OpMark>)> {
        self.prologue()?;
        let mut falls_in = true;
        let mut skip_next = false;
        for i in 0..self.instrs.len() {
            let ins = self.instrs[i];
            self.cur = ins;
            let header = format!(
                "{:>4} {}",
                ins.offset,
                frontend::lower::describe(self.code, &ins)
            );
            let Some(depth) = self.an.depth[i] else {
                falls_in = false;
                continue;
            };
            if skip_next {
                // Fused into the previous template.
                skip_next = false;
                self.mark(header);
                falls_in = analysis::stack_effect(&ins, false).is_some();
                continue;
            }
            if self.an.is_target[i] || !falls_in {
                if falls_in {
                    self.flush()?;
                }
                self.stack = (0..depth).map(Val::Stack).collect();
            }
            if self.stack.len() as u32 != depth {
                return Err(CgError {
                    offset: ins.offset,
                    what: "internal: shadow stack and stack depth disagree".into(),
                });
            }
            self.mark(header);
            if self.an.is_target[i] {
                let l = self.label_at(ins.offset)?;
                self.asm.bind(l)?;
            }
            let next = self.instrs.get(i + 1).copied();
            let next_is_target = self.an.is_target.get(i + 1).copied().unwrap_or(true);
            skip_next = self
                .template(ins, next.filter(|_| !next_is_target))
                .map_err(|e| CgError {
                    offset: if e.offset == 0 { ins.offset } else { e.offset },
                    ..e
                })?;
            falls_in = analysis::stack_effect(&ins, false).is_some();
        }
        if falls_in {
            return self.unsupported("bytecode that runs past its last instruction");
        }
        self.epilogues()?;
        Ok((self.asm, self.marks))
    }

    /// ```text
    /// push {r4, r5, r6, r7, r8, lr}; sub sp, sp, #N; mov r7, sp
    /// pyrt_recursion_depth += 1; cmp with the limit; bhi .recursion  (functions)
    /// copy the arguments, zero the other locals
    /// ```
    pub(crate) fn prologue(&mut self) -> R<()> {
        self.mark("(prologue)".into());
        let mut regs = SAVED.to_vec();
        regs.push(thumb::LR);
        self.asm.push(&regs)?;
        if self.frame_size > 0 {
            self.asm.sub(thumb::SP, thumb::SP, self.frame_size)?;
        }
        self.asm.mov(R7, thumb::SP)?;
        if !self.is_module {
            let too_deep = self.asm.new_label();
            self.add_depth(1)?; // r2 = the new depth
            self.load_sym(R3, rt::RECURSION_LIMIT, 0)?;
            self.asm.cmp(R2, R3)?;
            self.asm.b_cond(Cond::Hi, too_deep)?;
            self.slow.push((
                "(recursion limit exceeded)".into(),
                Box::new(move |e: &mut FnEmitter<'p>| {
                    e.asm.bind(too_deep)?;
                    e.call(rt::RECURSION_ERROR)?;
                    e.add_depth(-1)?;
                    e.asm.movs(R0, 0)?;
                    e.leave()
                }),
            ));
        }
        let argcount = self.code.argcount;
        if argcount < self.nlocals {
            self.asm.movs(R3, 0)?;
        }
        for i in 0..self.nlocals {
            if i < argcount {
                self.asm.ldr(R2, ptr(R1, 4 * i as i32))?; // args[i]
                self.asm.str(R2, self.local(i))?;
            } else {
                self.asm.str(R3, self.local(i))?; // unbound
            }
        }
        Ok(())
    }

    /// Slow paths, error stubs and the error exit.
    pub(crate) fn epilogues(&mut self) -> R<()> {
        while !self.slow.is_empty() {
            let paths = std::mem::take(&mut self.slow);
            for (name, f) in paths {
                self.mark(name);
                f(self)?;
            }
        }
        let stubs = std::mem::take(&mut self.error_stubs);
        for (off, l) in stubs {
            self.mark(format!("{off} (error)"));
            self.asm.bind(l)?;
            self.imm(R1, off)?;
            self.asm.b(self.error_exit)?;
        }
        // .error: pyrt_traceback_here(&info, r1); return NULL
        self.mark("(error exit)".into());
        self.asm.bind(self.error_exit)?;
        let info = self.ctx.info_symbol(self.id);
        self.sym_addr(R0, &info)?;
        self.call(rt::TRACEBACK_HERE)?;
        if !self.is_module {
            self.add_depth(-1)?;
        }
        self.asm.movs(R0, 0)?;
        self.leave()
    }

    /// Dispatch one instruction; returns true if it consumed `next` too.
    pub(crate) fn template(&mut self, ins: Instr, next: Option<Instr>) -> R<bool> {
        let Some(t) = template_for(ins.opcode) else {
            return self.unsupported(frontend::lower::unsupported::describe(ins.opcode));
        };
        match t {
            Template::Own(f) => f(self, ins.arg, next),
            Template::Helper(g) => {
                self.generic(&g, ins.arg)?;
                Ok(false)
            }
        }
    }

    // ---- the generic template -----------------------------------------------

    /// Pop the operands, call the runtime helper, test for an error, push
    /// the result.
    pub fn generic(&mut self, g: &Generic, arg: u32) -> R<()> {
        let mut popped = Vec::new();
        for _ in 0..g.pops {
            popped.push(self.pop()?);
        }
        const ARGS: [Reg; 4] = [R0, R1, R2, R3];
        if g.args.len() > ARGS.len() {
            return self.unsupported("internal: a helper with more than 4 arguments");
        }
        for (&a, r) in g.args.iter().zip(ARGS) {
            match a {
                Arg::Pop(k) => self.load(popped[k], r)?,
                Arg::Peek(k) => {
                    let v = self.peek(k)?;
                    self.load(v, r)?
                }
                Arg::PeekOparg => {
                    let v = self.peek((arg as usize).wrapping_sub(1))?;
                    self.load(v, r)?
                }
                Arg::Oparg => self.imm(r, arg)?,
                Arg::Name => {
                    let name = self.name(arg)?;
                    self.load(Val::Const(name), r)?
                }
            }
        }
        self.call(g.helper)?;
        match g.returns {
            Returns::Value => {
                self.check_value()?;
                self.push_reg(R0)?;
            }
            Returns::Status => self.check_status()?,
        }
        Ok(())
    }

    /// The slow form of an opcode that has an inline fast path: its
    /// generic row.
    pub(crate) fn via_helper(&mut self, op: Opcode, arg: u32) -> R<()> {
        match generic(op) {
            Some(g) => self.generic(&g, arg),
            None => self.unsupported(format!("internal: no helper row for {}", op.name())),
        }
    }

    /// Constant table index of `co_names[i]` as a str.
    pub(crate) fn name(&mut self, i: u32) -> R<u32> {
        match self.code.names.get(i as usize) {
            Some(n) => Ok(self.ctx.consts.add_str(n)),
            None => self.unsupported("name index out of range"),
        }
    }

    pub(crate) fn global_slot(&mut self, i: u32) -> R<u32> {
        let name = match self.code.names.get(i as usize) {
            Some(n) => n,
            None => return self.unsupported("name index out of range"),
        };
        Ok(self.ctx.globals[name.as_str()])
    }
}
