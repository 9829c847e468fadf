//! One native function per code object: the frame, the shadow value stack,
//! the instruction loop, the error exits and the generic helper template.
//! The per-opcode templates are in `templates/`.
//!
//! Frame (rbp-based, `N` = 8 * (nlocals + stacksize) rounded up to 16):
//!
//! ```text
//!   rbp - 8*(i+1)        local i
//!   rbp - 8*S + 8*p      value-stack slot p (ascending, so the arguments of
//!                        a call or the items of a BUILD_LIST are an array)
//!   rsp = rbp - N
//! ```
//!
//! The shadow stack records, for each value-stack entry, where its value is
//! right now: in its own slot, an immediate, a runtime static, a constant,
//! a local, or one of the pool registers r8-r11. Entries are written to
//! their slots only where needed: at block boundaries, before calls that
//! take a pointer to them, and before a call clobbers the pool registers.
//! Scratch registers inside a template: rax, rcx, rdx, rsi, rdi.

use crate::asm::Asm;
use crate::templates::{template_for, Arg, Generic, Returns, Template};
use crate::OpMark;
use frontend::bytecode::Instr;
use frontend::code::CodeObject;
use frontend::lower::analysis::{self, Analysis};
use frontend::lower::{Tables, CONSTS};
use frontend::opcode::Opcode::{self, *};
use frontend::rt;
use iced_x86::code_asm::*;
use iced_x86::{Code, Instruction, Register};
use num_bigint::BigInt;
use std::collections::HashMap;

/// Why a code object could not be compiled: at bytecode `offset`.
#[derive(Debug)]
pub struct CgError {
    pub offset: u32,
    pub what: String,
}

pub type R<T> = Result<T, CgError>;

/// Registers the shadow stack may keep values in (caller-saved, not used
/// for helper arguments 1-4).
pub const POOL: [AsmRegister64; 4] = [r8, r9, r10, r11];

/// Where a value-stack entry's value is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    /// In its own frame slot (the position it has on the stack).
    Stack(u32),
    /// An immediate word: a tagged small int, or 0 (the NULL of PUSH_NULL).
    Imm(i64),
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
    pub(crate) fn small_int(self) -> Option<i64> {
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

pub(crate) fn fits_i32(x: i64) -> bool {
    i32::try_from(x).is_ok()
}

/// The tagged word of small int `n`, if `n` is one.
pub fn tag(n: &BigInt) -> Option<i64> {
    crate::TARGET.tag(n)
}

type SlowPath<'p> = Box<dyn FnOnce(&mut FnEmitter<'p>) -> R<()> + 'p>;

pub struct FnEmitter<'p> {
    pub(crate) asm: Asm,
    pub(crate) ctx: &'p mut Tables,
    pub(crate) code: &'p CodeObject,
    /// Program-wide id of this code object.
    pub(crate) id: usize,
    pub(crate) is_module: bool,
    pub(crate) instrs: Vec<Instr>,
    pub(crate) an: Analysis,
    pub(crate) stack: Vec<Val>,
    pub(crate) nlocals: u32,
    /// 8 * (nlocals + stacksize): slot p is at rbp - base + 8p.
    pub(crate) base: i32,
    pub(crate) frame_size: i32,
    /// Per instruction index, for jump targets.
    pub(crate) labels: HashMap<usize, CodeLabel>,
    pub(crate) error_exit: CodeLabel,
    pub(crate) error_stubs: Vec<(u32, CodeLabel)>,
    pub(crate) slow: Vec<(String, SlowPath<'p>)>,
    /// The instruction being compiled.
    pub(crate) cur: Instr,
    /// KW_NAMES seen, for the next CALL: constant table index.
    pub(crate) kwnames: Option<u32>,
    /// For the listing: (assembler instruction index, header).
    pub marks: Vec<OpMark>,
}

impl From<IcedError> for CgError {
    fn from(e: IcedError) -> CgError {
        CgError {
            offset: 0,
            what: format!("internal assembler error: {e}"),
        }
    }
}

impl<'p> FnEmitter<'p> {
    pub fn new(
        ctx: &'p mut Tables,
        code: &'p CodeObject,
        id: usize,
        instrs: Vec<Instr>,
        an: Analysis,
    ) -> R<FnEmitter<'p>> {
        let nlocals = code.localsplusnames.len() as u32;
        let base = 8 * (nlocals + code.stacksize) as i32;
        let mut asm = Asm::new()?;
        let error_exit = asm.a.create_label();
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
            base,
            frame_size: (base + 15) & !15,
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

    pub(crate) fn local(&self, i: u32) -> AsmMemoryOperand {
        qword_ptr(rbp - 8 * (i as i32 + 1))
    }

    pub(crate) fn slot(&self, p: u32) -> AsmMemoryOperand {
        qword_ptr(rbp - self.base + 8 * p as i32)
    }

    /// The label of the instruction at byte `offset`.
    pub(crate) fn label_at(&mut self, offset: u32) -> R<CodeLabel> {
        let Some(&index) = self.an.index_of.get(&offset) else {
            return self.unsupported("jump into the middle of an instruction");
        };
        let a = &mut self.asm.a;
        Ok(*self.labels.entry(index).or_insert_with(|| a.create_label()))
    }

    /// The stub that records the current instruction's offset and leaves
    /// through the error exit.
    pub(crate) fn error_label(&mut self) -> CodeLabel {
        let off = self.cur.offset;
        if let Some(&(_, l)) = self.error_stubs.iter().find(|(o, _)| *o == off) {
            return l;
        }
        let l = self.asm.a.create_label();
        self.error_stubs.push((off, l));
        l
    }

    pub(crate) fn mark(&mut self, header: String) {
        self.marks.push(OpMark {
            index: self.asm.len(),
            header,
        });
    }

    // ---- moving values -------------------------------------------------------

    /// `r = x`, in the shortest form.
    pub(crate) fn mov_imm(&mut self, r: AsmRegister64, x: i64) -> R<()> {
        let reg = Register::from(r);
        let reg32 = Register::EAX + (reg as u32 - Register::RAX as u32);
        let ins = if x == 0 {
            Instruction::with2(Code::Xor_r32_rm32, reg32, reg32)?
        } else if (0..=u32::MAX as i64).contains(&x) {
            Instruction::with2(Code::Mov_r32_imm32, reg32, x as u32)?
        } else if fits_i32(x) {
            Instruction::with2(Code::Mov_rm64_imm32, reg, x as i32)?
        } else {
            Instruction::with2(Code::Mov_r64_imm64, reg, x)?
        };
        self.asm.a.add_instruction(ins)?;
        Ok(())
    }

    /// Load value `v` into `r`.
    pub(crate) fn load(&mut self, v: Val, r: AsmRegister64) -> R<()> {
        match v {
            Val::Stack(p) => self.asm.a.mov(r, self.slot(p))?,
            Val::Imm(x) => self.mov_imm(r, x)?,
            Val::Sym(s) => self.asm.lea_sym(r, s, 0)?,
            Val::Const(i) => self.asm.load_sym(r, CONSTS, 8 * i as i64)?,
            Val::Local(i) => self.asm.a.mov(r, self.local(i))?,
            Val::Reg(k) if POOL[k] == r => {}
            Val::Reg(k) => self.asm.a.mov(r, POOL[k])?,
            Val::Code(_) => return self.unsupported("a function's code object used as a value"),
        }
        Ok(())
    }

    /// Store value `v` into memory `m` (rax is scratch).
    pub(crate) fn store(&mut self, m: AsmMemoryOperand, v: Val) -> R<()> {
        match v {
            Val::Imm(x) if fits_i32(x) => self.asm.a.mov(m, x as i32)?,
            Val::Reg(k) => self.asm.a.mov(m, POOL[k])?,
            _ => {
                self.load(v, rax)?;
                self.asm.a.mov(m, rax)?;
            }
        }
        Ok(())
    }

    /// Write stack entry `p` to its own slot.
    pub(crate) fn flush_entry(&mut self, p: usize) -> R<()> {
        let v = self.stack[p];
        if v != Val::Stack(p as u32) {
            let m = self.slot(p as u32);
            self.store(m, v)?;
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

    /// Entries held in pool registers to their slots (before a call).
    pub(crate) fn spill_regs(&mut self) -> R<()> {
        for p in 0..self.stack.len() {
            if let Val::Reg(_) = self.stack[p] {
                self.flush_entry(p)?;
            }
        }
        Ok(())
    }

    /// Pool registers in use by the stack, for slow paths to preserve.
    pub(crate) fn live_regs(&self) -> Vec<AsmRegister64> {
        self.stack
            .iter()
            .filter_map(|v| match v {
                Val::Reg(k) => Some(POOL[*k]),
                _ => None,
            })
            .collect()
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
        let p = self
            .stack
            .iter()
            .position(|v| matches!(v, Val::Reg(_)))
            .expect("all pool registers are in use by the stack");
        let Val::Reg(k) = self.stack[p] else {
            unreachable!()
        };
        self.flush_entry(p)?;
        Ok(k)
    }

    /// Push the value in rax (a fresh result) as a pool register entry.
    pub(crate) fn push_rax(&mut self) -> R<()> {
        let k = self.alloc()?;
        self.asm.a.mov(POOL[k], rax)?;
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

    /// `push` the registers a slow path must preserve, keeping rsp 16-aligned.
    pub(crate) fn save(&mut self, regs: &[AsmRegister64]) -> R<()> {
        for &r in regs {
            self.asm.a.push(r)?;
        }
        if regs.len() % 2 == 1 {
            self.asm.a.sub(rsp, 8)?;
        }
        Ok(())
    }

    pub(crate) fn restore(&mut self, regs: &[AsmRegister64]) -> R<()> {
        if regs.len() % 2 == 1 {
            self.asm.a.add(rsp, 8)?;
        }
        for &r in regs.iter().rev() {
            self.asm.a.pop(r)?;
        }
        Ok(())
    }

    /// `test %rax, %rax; jz error`: a helper that returns NULL on error.
    pub(crate) fn check_value(&mut self) -> R<()> {
        let err = self.error_label();
        self.asm.a.test(rax, rax)?;
        self.asm.a.jz(err)?;
        Ok(())
    }

    /// `test %rax, %rax; js error`: a helper that returns -1 on error.
    pub(crate) fn check_status(&mut self) -> R<()> {
        let err = self.error_label();
        self.asm.a.test(rax, rax)?;
        self.asm.a.js(err)?;
        Ok(())
    }

    /// Queue out-of-line code (emitted after the function body).
    pub(crate) fn slow_path(&mut self, f: impl FnOnce(&mut FnEmitter<'p>) -> R<()> + 'p) {
        let name = format!("{} {} (slow path)", self.cur.offset, self.cur.opcode.name());
        self.slow.push((name, Box::new(f)));
    }

    // ---- the function --------------------------------------------------------

    pub fn emit(mut self) -> R<(Asm, Vec<OpMark>)> {
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
                let mut l = self.label_at(ins.offset)?;
                self.asm.bind(&mut l)?;
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
    /// push %rbp; mov %rsp, %rbp; sub $N, %rsp
    /// incq pyrt_recursion_depth(%rip); ...; ja .recursion   (functions)
    /// copy the arguments, zero the other locals
    /// ```
    pub(crate) fn prologue(&mut self) -> R<()> {
        self.mark("(prologue)".into());
        let a = &mut self.asm.a;
        a.push(rbp)?;
        a.mov(rbp, rsp)?;
        if self.frame_size > 0 {
            a.sub(rsp, self.frame_size)?;
        }
        if !self.is_module {
            let mut too_deep = self.asm.a.create_label();
            self.asm.inc_sym(rt::RECURSION_DEPTH)?;
            self.asm.load_sym(rax, rt::RECURSION_DEPTH, 0)?;
            self.asm.cmp_sym(rax, rt::RECURSION_LIMIT)?;
            self.asm.a.ja(too_deep)?;
            self.slow.push((
                "(recursion limit exceeded)".into(),
                Box::new(move |e: &mut FnEmitter<'p>| {
                    e.asm.bind(&mut too_deep)?;
                    e.asm.call_sym(rt::RECURSION_ERROR.symbol)?;
                    e.asm.dec_sym(rt::RECURSION_DEPTH)?;
                    e.asm.a.xor(eax, eax)?;
                    e.asm.a.leave()?;
                    e.asm.a.ret()?;
                    Ok(())
                }),
            ));
        }
        let argcount = self.code.argcount;
        for i in 0..self.nlocals {
            if i < argcount {
                self.asm.a.mov(rax, qword_ptr(rsi + 8 * i as i32))?; // args[i]
                self.asm.a.mov(self.local(i), rax)?;
            } else {
                self.asm.a.mov(self.local(i), 0)?; // unbound
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
        for (off, mut l) in stubs {
            self.mark(format!("{off} (error)"));
            self.asm.bind(&mut l)?;
            self.asm.a.mov(esi, off)?;
            self.asm.a.jmp(self.error_exit)?;
        }
        // .error: pyrt_traceback_here(&info, %esi); return NULL
        self.mark("(error exit)".into());
        let mut exit = self.error_exit;
        self.asm.bind(&mut exit)?;
        let info = self.ctx.info_symbol(self.id);
        self.asm.lea_sym(rdi, &info, 0)?;
        self.asm.call_sym(rt::TRACEBACK_HERE.symbol)?;
        if !self.is_module {
            self.asm.dec_sym(rt::RECURSION_DEPTH)?;
        }
        self.asm.a.xor(eax, eax)?;
        self.asm.a.leave()?;
        self.asm.a.ret()?;
        Ok(())
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
        self.spill_regs()?;
        const ARGS: [AsmRegister64; 4] = [rdi, rsi, rdx, rcx];
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
                Arg::Oparg => self.mov_imm(r, arg as i64)?,
                Arg::Name => {
                    let name = self.name(arg)?;
                    self.load(Val::Const(name), r)?
                }
            }
        }
        self.asm.call_sym(g.helper.symbol)?;
        match g.returns {
            Returns::Value => {
                self.check_value()?;
                self.push_rax()?;
            }
            Returns::Status => self.check_status()?,
        }
        Ok(())
    }

    /// The slow form of an opcode that has an inline fast path: its
    /// `frontend::meta` row.
    pub(crate) fn via_helper(&mut self, op: Opcode, arg: u32) -> R<()> {
        match crate::templates::generic(op) {
            Some(g) => self.generic(&g, arg),
            None => self.unsupported(format!("internal: no helper row for {}", op.name())),
        }
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
