//! One native function per code object: the frame, the shadow value stack,
//! and one template per opcode.
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

use crate::analysis::{self, Analysis};
use crate::asm::Asm;
use crate::templates::{template_for, Arg, Generic, Returns, Template};
use crate::{Ctx, OpMark};
use frontend::bytecode::Instr;
use frontend::code::{CodeObject, Constant};
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
    fn small_int(self) -> Option<i64> {
        match self {
            Val::Imm(x) if x & 1 == 1 => Some(x),
            _ => None,
        }
    }
    /// Never a small int: the inline int paths would always fail.
    fn never_int(self) -> bool {
        matches!(
            self,
            Val::Sym(_) | Val::Const(_) | Val::Code(_) | Val::Imm(0)
        )
    }
}

fn fits_i32(x: i64) -> bool {
    i32::try_from(x).is_ok()
}

/// The tagged word of small int `n`, if `n` is one.
pub fn tag(n: &BigInt) -> Option<i64> {
    let n = i64::try_from(n).ok()?;
    let limit = 1i64 << (rt::SMALL_INT_BITS - 1);
    (-limit..limit)
        .contains(&n)
        .then_some((n << rt::INT_SHIFT) | rt::INT_TAG as i64)
}

type SlowPath<'p> = Box<dyn FnOnce(&mut FnEmitter<'p>) -> R<()> + 'p>;

pub struct FnEmitter<'p> {
    pub asm: Asm,
    ctx: &'p mut Ctx,
    code: &'p CodeObject,
    /// Program-wide id of this code object.
    id: usize,
    is_module: bool,
    instrs: Vec<Instr>,
    an: Analysis,
    stack: Vec<Val>,
    nlocals: u32,
    /// 8 * (nlocals + stacksize): slot p is at rbp - base + 8p.
    base: i32,
    frame_size: i32,
    /// Per instruction index, for jump targets.
    labels: HashMap<usize, CodeLabel>,
    error_exit: CodeLabel,
    error_stubs: Vec<(u32, CodeLabel)>,
    slow: Vec<(String, SlowPath<'p>)>,
    /// The instruction being compiled.
    cur: Instr,
    /// KW_NAMES seen, for the next CALL: constant table index.
    kwnames: Option<u32>,
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
        ctx: &'p mut Ctx,
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

    fn unsupported<T>(&self, what: impl Into<String>) -> R<T> {
        Err(CgError {
            offset: self.cur.offset,
            what: what.into(),
        })
    }

    // ---- frame addressing ---------------------------------------------------

    fn local(&self, i: u32) -> AsmMemoryOperand {
        qword_ptr(rbp - 8 * (i as i32 + 1))
    }

    fn slot(&self, p: u32) -> AsmMemoryOperand {
        qword_ptr(rbp - self.base + 8 * p as i32)
    }

    /// The label of the instruction at byte `offset`.
    fn label_at(&mut self, offset: u32) -> R<CodeLabel> {
        let Some(&index) = self.an.index_of.get(&offset) else {
            return self.unsupported("jump into the middle of an instruction");
        };
        let a = &mut self.asm.a;
        Ok(*self.labels.entry(index).or_insert_with(|| a.create_label()))
    }

    /// The stub that records the current instruction's offset and leaves
    /// through the error exit.
    fn error_label(&mut self) -> CodeLabel {
        let off = self.cur.offset;
        if let Some(&(_, l)) = self.error_stubs.iter().find(|(o, _)| *o == off) {
            return l;
        }
        let l = self.asm.a.create_label();
        self.error_stubs.push((off, l));
        l
    }

    fn mark(&mut self, header: String) {
        self.marks.push(OpMark {
            index: self.asm.len(),
            header,
        });
    }

    // ---- moving values -------------------------------------------------------

    /// `r = x`, in the shortest form.
    fn mov_imm(&mut self, r: AsmRegister64, x: i64) -> R<()> {
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
    fn load(&mut self, v: Val, r: AsmRegister64) -> R<()> {
        match v {
            Val::Stack(p) => self.asm.a.mov(r, self.slot(p))?,
            Val::Imm(x) => self.mov_imm(r, x)?,
            Val::Sym(s) => self.asm.lea_sym(r, s, 0)?,
            Val::Const(i) => self.asm.load_sym(r, crate::CONSTS, 8 * i as i64)?,
            Val::Local(i) => self.asm.a.mov(r, self.local(i))?,
            Val::Reg(k) if POOL[k] == r => {}
            Val::Reg(k) => self.asm.a.mov(r, POOL[k])?,
            Val::Code(_) => return self.unsupported("a function's code object used as a value"),
        }
        Ok(())
    }

    /// Store value `v` into memory `m` (rax is scratch).
    fn store(&mut self, m: AsmMemoryOperand, v: Val) -> R<()> {
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
    fn flush_entry(&mut self, p: usize) -> R<()> {
        let v = self.stack[p];
        if v != Val::Stack(p as u32) {
            let m = self.slot(p as u32);
            self.store(m, v)?;
            self.stack[p] = Val::Stack(p as u32);
        }
        Ok(())
    }

    /// Every entry to its slot: the state at block boundaries.
    fn flush(&mut self) -> R<()> {
        for p in 0..self.stack.len() {
            self.flush_entry(p)?;
        }
        Ok(())
    }

    /// Entries held in pool registers to their slots (before a call).
    fn spill_regs(&mut self) -> R<()> {
        for p in 0..self.stack.len() {
            if let Val::Reg(_) = self.stack[p] {
                self.flush_entry(p)?;
            }
        }
        Ok(())
    }

    /// Pool registers in use by the stack, for slow paths to preserve.
    fn live_regs(&self) -> Vec<AsmRegister64> {
        self.stack
            .iter()
            .filter_map(|v| match v {
                Val::Reg(k) => Some(POOL[*k]),
                _ => None,
            })
            .collect()
    }

    /// A free pool register (spilling the deepest register entry if none).
    fn alloc(&mut self) -> R<usize> {
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
    fn push_rax(&mut self) -> R<()> {
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

    fn push(&mut self, v: Val) {
        self.stack.push(v);
    }

    /// `push` the registers a slow path must preserve, keeping rsp 16-aligned.
    fn save(&mut self, regs: &[AsmRegister64]) -> R<()> {
        for &r in regs {
            self.asm.a.push(r)?;
        }
        if regs.len() % 2 == 1 {
            self.asm.a.sub(rsp, 8)?;
        }
        Ok(())
    }

    fn restore(&mut self, regs: &[AsmRegister64]) -> R<()> {
        if regs.len() % 2 == 1 {
            self.asm.a.add(rsp, 8)?;
        }
        for &r in regs.iter().rev() {
            self.asm.a.pop(r)?;
        }
        Ok(())
    }

    /// `test %rax, %rax; jz error`: a helper that returns NULL on error.
    fn check_value(&mut self) -> R<()> {
        let err = self.error_label();
        self.asm.a.test(rax, rax)?;
        self.asm.a.jz(err)?;
        Ok(())
    }

    /// `test %rax, %rax; js error`: a helper that returns -1 on error.
    fn check_status(&mut self) -> R<()> {
        let err = self.error_label();
        self.asm.a.test(rax, rax)?;
        self.asm.a.js(err)?;
        Ok(())
    }

    /// Queue out-of-line code (emitted after the function body).
    fn slow_path(&mut self, f: impl FnOnce(&mut FnEmitter<'p>) -> R<()> + 'p) {
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
                crate::listing::describe(self.code, &ins)
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
        self.epilogues()?;
        Ok((self.asm, self.marks))
    }

    /// ```text
    /// push %rbp; mov %rsp, %rbp; sub $N, %rsp
    /// incq pyrt_recursion_depth(%rip); ...; ja .recursion   (functions)
    /// copy the arguments, zero the other locals
    /// ```
    fn prologue(&mut self) -> R<()> {
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
    fn epilogues(&mut self) -> R<()> {
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
    fn template(&mut self, ins: Instr, next: Option<Instr>) -> R<bool> {
        let Some(t) = template_for(ins.opcode) else {
            return self.unsupported(crate::unsupported::describe(ins.opcode));
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
    fn via_helper(&mut self, op: Opcode, arg: u32) -> R<()> {
        match crate::templates::generic(op) {
            Some(g) => self.generic(&g, arg),
            None => self.unsupported(format!("internal: no helper row for {}", op.name())),
        }
    }

    fn peek(&self, k: usize) -> R<Val> {
        match k
            .checked_add(1)
            .and_then(|n| self.stack.len().checked_sub(n))
        {
            Some(p) => Ok(self.stack[p]),
            None => self.unsupported("value stack underflow"),
        }
    }

    /// Constant table index of `co_names[i]` as a str.
    fn name(&mut self, i: u32) -> R<u32> {
        match self.code.names.get(i as usize) {
            Some(n) => Ok(self.ctx.consts.add_str(n)),
            None => self.unsupported("name index out of range"),
        }
    }

    fn global_slot(&mut self, i: u32) -> R<u32> {
        let name = match self.code.names.get(i as usize) {
            Some(n) => n,
            None => return self.unsupported("name index out of range"),
        };
        Ok(self.ctx.globals[name.as_str()])
    }

    // ---- loads and stores ----------------------------------------------------

    /// LOAD_FAST i: push local i (testing it is bound unless certain).
    pub fn load_fast(&mut self, i: u32) -> R<()> {
        let index = self.an.index_of[&self.cur.offset];
        if !self.an.bound[index]
            .get(i as usize)
            .copied()
            .unwrap_or(false)
        {
            let mut unbound = self.asm.a.create_label();
            self.asm.a.cmp(self.local(i), 0)?; // cmpq $0, -8(i+1)(%rbp)
            self.asm.a.je(unbound)?;
            let err = self.error_label();
            self.slow_path(move |e| {
                e.asm.bind(&mut unbound)?;
                let info = e.ctx.info_symbol(e.id);
                e.asm.lea_sym(rdi, &info, 0)?;
                e.asm.a.mov(esi, i)?;
                e.asm.call_sym(rt::UNBOUND_LOCAL.symbol)?;
                e.asm.a.jmp(err)?;
                Ok(())
            });
        }
        self.push(Val::Local(i));
        Ok(())
    }

    /// STORE_FAST i: pop into local i.
    pub fn store_fast(&mut self, i: u32) -> R<()> {
        let v = self.pop()?;
        // Entries that still read local i must keep its old value.
        for p in 0..self.stack.len() {
            if self.stack[p] == Val::Local(i) {
                self.flush_entry(p)?;
            }
        }
        if v != Val::Local(i) {
            let m = self.local(i);
            self.store(m, v)?;
        }
        Ok(())
    }

    /// DELETE_FAST i: test it is bound, then unbind it.
    pub fn delete_fast(&mut self, i: u32) -> R<()> {
        self.load_fast(i)?;
        self.pop()?;
        for p in 0..self.stack.len() {
            if self.stack[p] == Val::Local(i) {
                self.flush_entry(p)?;
            }
        }
        self.asm.a.mov(self.local(i), 0)?;
        Ok(())
    }

    /// LOAD_CONST i: small ints, None, True and False become immediates.
    pub fn load_const(&mut self, i: u32) -> R<()> {
        let v = match self.code.consts.get(i as usize) {
            None => return self.unsupported("constant index out of range"),
            Some(Constant::None) => Val::Sym(rt::NONE),
            Some(Constant::Bool(true)) => Val::Sym(rt::TRUE),
            Some(Constant::Bool(false)) => Val::Sym(rt::FALSE),
            Some(Constant::Int(n)) if tag(n).is_some() => Val::Imm(tag(n).unwrap_or(1)),
            Some(Constant::Code(_)) => Val::Code(self.ctx.child_code(self.id, i as usize)),
            Some(c) => Val::Const(self.ctx.consts.add(c)),
        };
        self.push(v);
        Ok(())
    }

    /// LOAD_GLOBAL / LOAD_NAME: `mov globals+8*slot(%rip), %rax; test; jz slow`.
    pub fn load_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.asm.load_sym(rax, crate::GLOBALS, 8 * slot as i64)?;
        self.asm.a.test(rax, rax)?;
        self.asm.a.jz(slow)?;
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.asm.a.mov(edi, slot)?;
            e.asm.call_sym(rt::LOAD_GLOBAL_SLOW.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }

    /// STORE_GLOBAL / STORE_NAME: `mov %r, globals+8*slot(%rip)`.
    pub fn store_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let v = self.pop()?;
        let r = match v {
            Val::Reg(k) => POOL[k],
            _ => {
                self.load(v, rax)?;
                rax
            }
        };
        self.asm.store_sym(crate::GLOBALS, 8 * slot as i64, r)?;
        Ok(())
    }

    /// DELETE_GLOBAL / DELETE_NAME: unbind the slot; deleting an unbound
    /// name raises NameError (through the slow global lookup, which finds
    /// no builtin: deleting a builtin's name is refused at build time).
    pub fn delete_global(&mut self, namei: u32) -> R<()> {
        let slot = self.global_slot(namei)?;
        let mut unbound = self.asm.a.create_label();
        self.asm.load_sym(rax, crate::GLOBALS, 8 * slot as i64)?;
        self.asm.a.test(rax, rax)?;
        self.asm.a.jz(unbound)?;
        self.asm.a.xor(eax, eax)?;
        self.asm.store_sym(crate::GLOBALS, 8 * slot as i64, rax)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut unbound)?;
            e.asm.a.mov(edi, slot)?;
            e.asm.call_sym(rt::LOAD_GLOBAL_SLOW.symbol)?;
            e.asm.a.jmp(err)?;
            Ok(())
        });
        Ok(())
    }

    pub fn copy(&mut self, i: u32) -> R<()> {
        let v = self.peek((i as usize).wrapping_sub(1))?;
        match v {
            Val::Stack(_) | Val::Reg(_) => {
                self.load(v, rax)?;
                self.push_rax()?;
            }
            _ => self.push(v),
        }
        Ok(())
    }

    pub fn swap(&mut self, i: u32) -> R<()> {
        let (Some(top), Some(other)) = (
            self.stack.len().checked_sub(1),
            (i as usize)
                .checked_sub(1)
                .and_then(|k| self.stack.len().checked_sub(k + 1)),
        ) else {
            return self.unsupported("value stack underflow");
        };
        let (x, y) = (self.stack[top], self.stack[other]);
        if matches!(x, Val::Stack(_)) || matches!(y, Val::Stack(_)) {
            self.flush_entry(top)?;
            self.flush_entry(other)?;
            let (m, n) = (self.slot(top as u32), self.slot(other as u32));
            self.asm.a.mov(rax, m)?;
            self.asm.a.mov(rcx, n)?;
            self.asm.a.mov(m, rcx)?;
            self.asm.a.mov(n, rax)?;
        } else {
            self.stack.swap(top, other);
        }
        Ok(())
    }

    // ---- control flow --------------------------------------------------------

    /// JUMP_FORWARD / JUMP_BACKWARD: `jmp target`.
    pub fn jump(&mut self) -> R<()> {
        let target = self.target()?;
        self.flush()?;
        self.asm.a.jmp(target)?;
        Ok(())
    }

    fn target(&mut self) -> R<CodeLabel> {
        match self.cur.jump_target() {
            Some(t) => self.label_at(t),
            None => self.unsupported("jump outside the code object"),
        }
    }

    /// RETURN_VALUE: `mov v, %rax; decq depth; leave; ret`.
    pub fn return_value(&mut self) -> R<()> {
        let v = self.pop()?;
        self.load(v, rax)?;
        if !self.is_module {
            self.asm.dec_sym(rt::RECURSION_DEPTH)?;
        }
        self.asm.a.leave()?;
        self.asm.a.ret()?;
        Ok(())
    }

    /// POP_JUMP_IF_TRUE/FALSE (`jump_if`): compare with the True and False
    /// objects inline, `pyrt_is_true` for anything else.
    pub fn pop_jump_if(&mut self, jump_if: bool) -> R<()> {
        let target = self.target()?;
        let v = self.pop()?;
        self.flush()?;
        match v {
            Val::Sym(s) if s == rt::TRUE || s == rt::FALSE => {
                if (s == rt::TRUE) == jump_if {
                    self.asm.a.jmp(target)?;
                }
                return Ok(());
            }
            Val::Sym(_) => {
                // None is false.
                if !jump_if {
                    self.asm.a.jmp(target)?;
                }
                return Ok(());
            }
            _ => {}
        }
        self.truth_branch(v, jump_if, target)
    }

    /// Branch to `target` if `bool(v) == jump_if`, else fall through.
    fn truth_branch(&mut self, v: Val, jump_if: bool, target: CodeLabel) -> R<()> {
        let (taken, other) = if jump_if {
            (rt::TRUE, rt::FALSE)
        } else {
            (rt::FALSE, rt::TRUE)
        };
        let mut slow = self.asm.a.create_label();
        let mut next = self.asm.a.create_label();
        self.load(v, rax)?;
        self.asm.lea_sym(rcx, taken, 0)?;
        self.asm.a.cmp(rax, rcx)?;
        self.asm.a.je(target)?;
        self.asm.lea_sym(rcx, other, 0)?;
        self.asm.a.cmp(rax, rcx)?;
        self.asm.a.jne(slow)?;
        self.asm.bind(&mut next)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            // A small int is true unless it is 0 (tagged: 1).
            let mut not_int = e.asm.a.create_label();
            e.asm.bind(&mut slow)?;
            e.asm.a.test(al, 1)?;
            e.asm.a.jz(not_int)?;
            e.asm.a.cmp(rax, 1)?;
            if jump_if {
                e.asm.a.jne(target)?;
            } else {
                e.asm.a.je(target)?;
            }
            e.asm.a.jmp(next)?;
            e.asm.bind(&mut not_int)?;
            e.asm.a.mov(rdi, rax)?;
            e.asm.call_sym(rt::IS_TRUE.symbol)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.js(err)?;
            if jump_if {
                e.asm.a.jnz(target)?;
            } else {
                e.asm.a.jz(target)?;
            }
            e.asm.a.jmp(next)?;
            Ok(())
        });
        Ok(())
    }

    /// POP_JUMP_IF_NONE / _NOT_NONE: a pointer compare with None.
    pub fn pop_jump_if_none(&mut self, jump_if_none: bool) -> R<()> {
        let target = self.target()?;
        let v = self.pop()?;
        self.flush()?;
        self.load(v, rax)?;
        self.asm.lea_sym(rcx, rt::NONE, 0)?;
        self.asm.a.cmp(rax, rcx)?;
        if jump_if_none {
            self.asm.a.je(target)?;
        } else {
            self.asm.a.jne(target)?;
        }
        Ok(())
    }

    /// JUMP_IF_TRUE_OR_POP / JUMP_IF_FALSE_OR_POP: jump keeping the value,
    /// or pop it and fall through.
    pub fn jump_if_or_pop(&mut self, jump_if: bool) -> R<()> {
        let target = self.target()?;
        self.flush()?;
        let v = self.pop()?;
        self.truth_branch(v, jump_if, target)
    }

    // ---- calls ---------------------------------------------------------------

    /// CALL n. Stack: `[NULL or method, callable or self, arg1..argn]`.
    /// Fast path: a function whose code takes exactly this many arguments
    /// is entered directly with a pointer to the arguments in this frame.
    pub fn call(&mut self, n: u32) -> R<()> {
        let d = self.stack.len() as u32;
        let Some(m) = d.checked_sub(n + 2) else {
            return self.unsupported("value stack underflow");
        };
        // Below the call only what the call clobbers (pool registers) moves
        // to memory; a NULL pushed by PUSH_NULL stays known.
        let known_null = self.stack[m as usize] == Val::Imm(0);
        self.spill_regs()?;
        let first = if known_null { m + 1 } else { m };
        for p in first..d {
            self.flush_entry(p as usize)?;
        }
        let kwnames = self.kwnames.take();
        let mut common = self.asm.a.create_label();
        if known_null {
            self.asm.a.mov(rdi, self.slot(m + 1))?; // callable
            self.asm.a.lea(rsi, self.slot(m + 2))?; // args
            self.asm.a.mov(edx, n)?;
        } else {
            let mut plain = self.asm.a.create_label();
            self.asm.a.mov(rdi, self.slot(m))?; // method, or NULL
            self.asm.a.test(rdi, rdi)?;
            self.asm.a.jz(plain)?;
            self.asm.a.lea(rsi, self.slot(m + 1))?; // self, args
            self.asm.a.mov(edx, n + 1)?;
            self.asm.a.jmp(common)?;
            self.asm.bind(&mut plain)?;
            self.asm.a.mov(rdi, self.slot(m + 1))?;
            self.asm.a.lea(rsi, self.slot(m + 2))?;
            self.asm.a.mov(edx, n)?;
        }
        self.asm.bind(&mut common)?;
        let mut slow = self.asm.a.create_label();
        let mut done = self.asm.a.create_label();
        if kwnames.is_none() {
            self.asm.a.test(dil, 1)?; // a small int is no function
            self.asm.a.jnz(slow)?;
            self.asm.lea_sym(rax, rt::TYPE_FUNCTION, 0)?;
            self.asm
                .a
                .cmp(qword_ptr(rdi + 8 * rt::layout::OBJ_TYPE as i32), rax)?;
            self.asm.a.jne(slow)?;
            self.asm
                .a
                .mov(rax, qword_ptr(rdi + 8 * rt::layout::FUNCTION_CODE as i32))?; // CodeInfo
            self.asm.a.cmp(qword_ptr(rax + 8), rdx)?; // ->argcount
            self.asm.a.jne(slow)?;
            self.asm.a.call(qword_ptr(rax))?; // ->entry(func, args)
            self.asm.a.jmp(done)?;
        }
        self.asm.bind(&mut slow)?;
        match kwnames {
            Some(k) => self.asm.load_sym(rcx, crate::CONSTS, 8 * k as i64)?,
            None => self.asm.a.xor(ecx, ecx)?,
        }
        self.asm.call_sym(rt::CALL.symbol)?;
        self.asm.bind(&mut done)?;
        self.check_value()?;
        self.stack.truncate(m as usize);
        self.push_rax()
    }

    pub fn kw_names(&mut self, i: u32) -> R<()> {
        match self.code.consts.get(i as usize) {
            Some(c) => {
                self.kwnames = Some(self.ctx.consts.add(c));
                Ok(())
            }
            None => self.unsupported("constant index out of range"),
        }
    }

    /// MAKE_FUNCTION flags: `pyrt_make_function(&CodeInfo, defaults)`.
    pub fn make_function(&mut self, flags: u32) -> R<()> {
        if flags & 0x08 != 0 {
            return self.unsupported("closures");
        }
        if flags & 0x02 != 0 {
            return self.unsupported("keyword-only parameters");
        }
        let code = self.pop()?;
        let Val::Code(id) = code else {
            return self.unsupported("MAKE_FUNCTION without a code constant");
        };
        if flags & 0x04 != 0 {
            self.pop()?; // annotations: evaluated, not kept
        }
        let defaults = if flags & 0x01 != 0 {
            Some(self.pop()?)
        } else {
            None
        };
        self.spill_regs()?;
        let info = self.ctx.info_symbol(id);
        match defaults {
            Some(v) => self.load(v, rsi)?,
            None => self.asm.a.xor(esi, esi)?,
        }
        self.asm.lea_sym(rdi, &info, 0)?;
        self.asm.call_sym(rt::MAKE_FUNCTION.symbol)?;
        self.check_value()?;
        self.push_rax()
    }

    /// BUILD_LIST / BUILD_TUPLE n: the items are an array in this frame.
    pub fn build(&mut self, helper: rt::Helper, n: u32) -> R<()> {
        self.flush()?;
        let d = self.stack.len() as u32;
        let Some(first) = d.checked_sub(n) else {
            return self.unsupported("value stack underflow");
        };
        self.asm.a.lea(rdi, self.slot(first))?;
        self.asm.a.mov(esi, n)?;
        self.asm.call_sym(helper.symbol)?;
        self.check_value()?;
        self.stack.truncate(first as usize);
        self.push_rax()
    }

    /// LOAD_METHOD namei: `pyrt_load_method(obj, name, &slots)` writes the
    /// two entries `[method, self]` or `[NULL, attribute]`.
    pub fn load_method(&mut self, namei: u32) -> R<()> {
        let obj = self.pop()?;
        self.spill_regs()?;
        let d = self.stack.len() as u32;
        let name = self.name(namei)?;
        self.load(obj, rdi)?;
        self.load(Val::Const(name), rsi)?;
        self.asm.a.lea(rdx, self.slot(d))?;
        self.asm.call_sym(rt::LOAD_METHOD.symbol)?;
        self.check_status()?;
        self.push(Val::Stack(d));
        self.push(Val::Stack(d + 1));
        Ok(())
    }

    /// UNPACK_SEQUENCE n: `pyrt_unpack_sequence(seq, n, &slots)`.
    pub fn unpack_sequence(&mut self, n: u32) -> R<()> {
        let seq = self.pop()?;
        self.spill_regs()?;
        let d = self.stack.len() as u32;
        self.load(seq, rdi)?;
        self.asm.a.mov(esi, n)?;
        self.asm.a.lea(rdx, self.slot(d))?;
        self.asm.call_sym(rt::UNPACK_SEQUENCE.symbol)?;
        self.check_status()?;
        for p in d..d + n {
            self.push(Val::Stack(p));
        }
        Ok(())
    }

    /// FOR_ITER: `pyrt_for_iter(it, &slot)`; 1 = push the item, 0 = pop the
    /// iterator and jump past the loop.
    pub fn for_iter(&mut self) -> R<()> {
        let target = self.target()?;
        self.flush()?;
        let d = self.stack.len() as u32;
        if d == 0 {
            return self.unsupported("value stack underflow");
        }
        self.asm.a.mov(rdi, self.slot(d - 1))?;
        self.asm.a.lea(rsi, self.slot(d))?;
        self.asm.call_sym(rt::FOR_ITER.symbol)?;
        self.check_status()?;
        self.asm.a.jz(target)?; // exhausted
        self.push(Val::Stack(d));
        Ok(())
    }

    // ---- operators -----------------------------------------------------------

    /// IS_OP invert: a pointer compare, `True`/`False` by `cmov`.
    pub fn is_op(&mut self, invert: u32) -> R<()> {
        let b = self.pop()?;
        let a = self.pop()?;
        self.load(a, rax)?;
        self.load(b, rcx)?;
        self.asm.a.cmp(rax, rcx)?;
        let (yes, no) = if invert == 0 {
            (rt::TRUE, rt::FALSE)
        } else {
            (rt::FALSE, rt::TRUE)
        };
        self.asm.lea_sym(rax, yes, 0)?;
        self.asm.lea_sym(rcx, no, 0)?;
        self.asm.a.cmovne(rax, rcx)?;
        self.push_rax()
    }

    /// Load `a` into rax and jump to `slow` unless it is a small int.
    fn int_operand(&mut self, v: Val, r: AsmRegister64, slow: CodeLabel) -> R<()> {
        self.load(v, r)?;
        if v.small_int().is_none() {
            let low = match r {
                r if r == rax => al,
                r if r == rcx => cl,
                _ => return self.unsupported("internal: int operand register"),
            };
            self.asm.a.test(low, 1)?;
            self.asm.a.jz(slow)?;
        }
        Ok(())
    }

    /// COMPARE_OP cmp, fused with the POP_JUMP_IF_* that follows: for two
    /// small ints `cmp` + `jcc`, otherwise `pyrt_compare_bool`.
    pub fn compare_and_branch(&mut self, cmp: u32, jump: Instr) -> R<()> {
        let jump_if = matches!(
            jump.opcode,
            POP_JUMP_FORWARD_IF_TRUE | POP_JUMP_BACKWARD_IF_TRUE
        );
        let b = self.pop()?;
        let a = self.pop()?;
        self.flush()?;
        let target = match jump.jump_target() {
            Some(t) => self.label_at(t)?,
            None => return self.unsupported("jump outside the code object"),
        };
        let mut slow = self.asm.a.create_label();
        let mut next = self.asm.a.create_label();
        if a.never_int() || b.never_int() {
            self.asm.a.jmp(slow)?;
        } else {
            self.int_operand(a, rax, slow)?;
            match b.small_int().filter(|x| fits_i32(*x)) {
                Some(x) => self.asm.a.cmp(rax, x as i32)?,
                None => {
                    self.int_operand(b, rcx, slow)?;
                    self.asm.a.cmp(rax, rcx)?;
                }
            }
            // Tagging keeps the order: compare the words themselves.
            let cond = if jump_if { cmp } else { negate(cmp) };
            jcc(&mut self.asm.a, cond, target)?;
        }
        self.asm.bind(&mut next)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.load(a, rdi)?;
            e.load(b, rsi)?;
            e.asm.a.mov(edx, cmp)?;
            e.asm.call_sym(rt::COMPARE_BOOL.symbol)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.js(err)?;
            if jump_if {
                e.asm.a.jnz(target)?;
            } else {
                e.asm.a.jz(target)?;
            }
            e.asm.a.jmp(next)?;
            Ok(())
        });
        Ok(())
    }

    /// COMPARE_OP cmp producing a bool: small ints inline (`cmp` + `cmov`).
    pub fn compare_op(&mut self, cmp: u32) -> R<()> {
        let (b, a) = (self.peek(0)?, self.peek(1)?);
        if a.never_int() || b.never_int() || cmp > 5 {
            return self.via_helper(COMPARE_OP, cmp);
        }
        self.pop()?;
        self.pop()?;
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.int_operand(a, rax, slow)?;
        self.int_operand(b, rcx, slow)?;
        self.asm.a.cmp(rax, rcx)?;
        self.asm.lea_sym(rax, rt::TRUE, 0)?;
        self.asm.lea_sym(rcx, rt::FALSE, 0)?;
        cmov_not(&mut self.asm.a, cmp)?;
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(a, rdi)?;
            e.load(b, rsi)?;
            e.asm.a.mov(edx, cmp)?;
            e.asm.call_sym(rt::COMPARE_OP.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }

    /// BINARY_OP nb: small ints inline for + - * // % & | ^ << >>, with
    /// `pyrt_binary_op` on overflow or for other types.
    pub fn binary_op(&mut self, nb: u32) -> R<()> {
        let op = if nb >= NB_INPLACE {
            nb - NB_INPLACE
        } else {
            nb
        };
        let inline = matches!(
            op,
            NB_ADD
                | NB_SUBTRACT
                | NB_MULTIPLY
                | NB_AND
                | NB_OR
                | NB_XOR
                | NB_FLOOR_DIVIDE
                | NB_REMAINDER
                | NB_RSHIFT
                | NB_LSHIFT
        );
        let (b, a) = (self.peek(0)?, self.peek(1)?);
        if !inline || a.never_int() || b.never_int() {
            return self.via_helper(BINARY_OP, nb);
        }
        self.pop()?;
        self.pop()?;
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.int_operand(a, rax, slow)?;
        let imm = b.small_int().filter(|x| fits_i32(*x) && fits_i32(*x - 1));
        let a_ = &mut self.asm.a;
        match (op, imm) {
            (NB_ADD, Some(bt)) => {
                a_.add(rax, (bt - 1) as i32)?; // a + 2b
                a_.jo(slow)?;
            }
            (NB_SUBTRACT, Some(bt)) => {
                a_.sub(rax, (bt - 1) as i32)?; // a - 2b
                a_.jo(slow)?;
            }
            (NB_MULTIPLY, Some(bt)) => {
                a_.sar(rax, 1)?; // untag a
                a_.imul_3(rax, rax, (bt - 1) as i32)?; // a * 2b
                a_.jo(slow)?;
                a_.or(rax, 1)?;
            }
            (NB_AND, Some(bt)) => a_.and(rax, bt as i32)?,
            (NB_OR, Some(bt)) => a_.or(rax, bt as i32)?,
            (NB_XOR, Some(bt)) => a_.xor(rax, (bt - 1) as i32)?,
            (NB_RSHIFT, Some(bt)) if bt >= 1 => {
                a_.sar(rax, (bt >> 1).min(63) as u32)?;
                a_.or(rax, 1)?;
            }
            _ => {
                self.int_operand(b, rcx, slow)?;
                self.int_op_reg(op, slow)?;
            }
        }
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(a, rdi)?;
            e.load(b, rsi)?;
            e.asm.a.mov(edx, nb)?;
            e.asm.call_sym(rt::BINARY_OP.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }

    /// UNARY_NEGATIVE: small ints inline (`2 - word`), the helper otherwise.
    pub fn unary_negative(&mut self) -> R<()> {
        let v = self.peek(0)?;
        if v.never_int() {
            return self.via_helper(UNARY_NEGATIVE, 0);
        }
        self.pop()?;
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.int_operand(v, rax, slow)?;
        self.asm.a.mov(ecx, 2)?;
        self.asm.a.sub(rcx, rax)?; // -(2a+1) + 2 = 2(-a) + 1
        self.asm.a.jo(slow)?; // -(-2**62)
        self.asm.a.mov(rax, rcx)?;
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(v, rdi)?;
            e.asm.call_sym(rt::UNARY_NEGATIVE.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }

    /// Small-int `rax = rax <op> rcx` on tagged words; `slow` when the
    /// result does not fit or the operation raises.
    fn int_op_reg(&mut self, op: u32, slow: CodeLabel) -> R<()> {
        let a = &mut self.asm.a;
        match op {
            NB_ADD => {
                a.sub(rcx, 1)?; // 2b
                a.add(rax, rcx)?;
                a.jo(slow)?;
            }
            NB_SUBTRACT => {
                a.sub(rax, rcx)?; // 2(a-b)
                a.jo(slow)?;
                a.or(rax, 1)?;
            }
            NB_MULTIPLY => {
                a.sar(rax, 1)?;
                a.sub(rcx, 1)?;
                a.imul_2(rax, rcx)?; // a * 2b
                a.jo(slow)?;
                a.or(rax, 1)?;
            }
            NB_AND => a.and(rax, rcx)?,
            NB_OR => a.or(rax, rcx)?,
            NB_XOR => {
                a.xor(rax, rcx)?;
                a.or(rax, 1)?;
            }
            NB_FLOOR_DIVIDE | NB_REMAINDER => {
                // Python rounds the quotient toward -inf: adjust idiv's.
                let mut done = a.create_label();
                a.sar(rax, 1)?;
                a.sar(rcx, 1)?;
                a.test(rcx, rcx)?;
                a.jz(slow)?; // ZeroDivisionError
                a.cqo()?;
                a.idiv(rcx)?;
                a.test(rdx, rdx)?;
                a.jz(done)?;
                a.mov(rsi, rdx)?;
                a.xor(rsi, rcx)?;
                a.jns(done)?; // remainder has the divisor's sign
                a.sub(rax, 1)?;
                a.add(rdx, rcx)?;
                self.asm.bind(&mut done)?;
                let a = &mut self.asm.a;
                if op == NB_FLOOR_DIVIDE {
                    a.add(rax, rax)?; // -2**62 // -1 does not fit
                    a.jo(slow)?;
                    a.or(rax, 1)?;
                } else {
                    a.lea(rax, qword_ptr(rdx + rdx + 1))?;
                }
            }
            NB_RSHIFT => {
                a.sar(rcx, 1)?;
                a.js(slow)?; // negative shift count: ValueError
                a.mov(edx, 63)?;
                a.cmp(rcx, rdx)?;
                a.cmova(rcx, rdx)?;
                a.sar(rax, cl)?;
                a.or(rax, 1)?;
            }
            NB_LSHIFT => {
                a.sar(rcx, 1)?;
                a.cmp(rcx, 63)?;
                a.ja(slow)?; // negative or huge count
                a.sub(rax, 1)?; // 2a
                a.mov(rdx, rax)?;
                a.shl(rax, cl)?;
                a.mov(rsi, rax)?;
                a.sar(rsi, cl)?;
                a.cmp(rsi, rdx)?; // bits lost?
                a.jne(slow)?;
                a.or(rax, 1)?;
            }
            _ => return self.unsupported("internal: no inline int operation"),
        }
        Ok(())
    }

    /// BINARY_SUBSCR: `list[i]` and `bytes[i]` for a small int in range
    /// inline, `pyrt_binary_subscr` otherwise.
    pub fn binary_subscr(&mut self) -> R<()> {
        let (i, c) = (self.peek(0)?, self.peek(1)?);
        if i.never_int() || c.small_int().is_some() {
            return self.via_helper(BINARY_SUBSCR, 0);
        }
        self.pop()?;
        self.pop()?;
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        let mut not_list = self.asm.a.create_label();
        self.load(c, rax)?;
        self.asm.a.test(al, 1)?;
        self.asm.a.jnz(slow)?;
        self.load(i, rdx)?;
        if i.small_int().is_none() {
            self.asm.a.test(dl, 1)?;
            self.asm.a.jz(slow)?;
        }
        self.asm.a.sar(rdx, 1)?; // index
        self.asm.a.mov(rsi, qword_ptr(rax))?; // type
        self.asm.lea_sym(rdi, rt::TYPE_LIST, 0)?;
        self.asm.a.cmp(rsi, rdi)?;
        self.asm.a.jne(not_list)?;
        self.index_in_range(rt::layout::LIST_LEN, slow)?;
        self.asm
            .a
            .mov(rax, qword_ptr(rax + 8 * rt::layout::LIST_ITEMS as i32))?;
        self.asm.a.mov(rax, qword_ptr(rax + rdx * 8))?;
        self.asm.bind(&mut back)?;
        self.push_rax()?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut not_list)?;
            e.asm.lea_sym(rdi, rt::TYPE_BYTES, 0)?;
            e.asm.a.cmp(rsi, rdi)?;
            e.asm.a.jne(slow)?;
            e.index_in_range(rt::layout::BYTES_LEN, slow)?;
            e.asm
                .a
                .movzx(eax, byte_ptr(rax + rdx + 8 * rt::layout::BYTES_DATA as i32))?;
            e.asm.a.lea(rax, qword_ptr(rax + rax + 1))?; // tag
            e.asm.a.jmp(back)?;
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(c, rdi)?;
            e.load(i, rsi)?;
            e.asm.call_sym(rt::BINARY_SUBSCR.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.jz(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }

    /// rdx = index into the sequence at rax (negative counts from the end);
    /// `slow` unless `0 <= rdx < len`.
    fn index_in_range(&mut self, len_word: usize, slow: CodeLabel) -> R<()> {
        let mut positive = self.asm.a.create_label();
        let len = qword_ptr(rax + 8 * len_word as i32);
        self.asm.a.test(rdx, rdx)?;
        self.asm.a.jns(positive)?;
        self.asm.a.add(rdx, len)?;
        self.asm.bind(&mut positive)?;
        self.asm.a.cmp(rdx, len)?;
        self.asm.a.jae(slow)?;
        Ok(())
    }

    /// STORE_SUBSCR (`c[i] = v`): lists with a small int index inline.
    pub fn store_subscr(&mut self) -> R<()> {
        let (i, c, v) = (self.peek(0)?, self.peek(1)?, self.peek(2)?);
        if i.never_int() || c.small_int().is_some() {
            return self.via_helper(STORE_SUBSCR, 0);
        }
        for _ in 0..3 {
            self.pop()?;
        }
        let live = self.live_regs();
        let mut slow = self.asm.a.create_label();
        let mut back = self.asm.a.create_label();
        self.load(c, rax)?;
        self.asm.a.test(al, 1)?;
        self.asm.a.jnz(slow)?;
        self.asm.lea_sym(rdi, rt::TYPE_LIST, 0)?;
        self.asm.a.cmp(qword_ptr(rax), rdi)?;
        self.asm.a.jne(slow)?;
        self.load(i, rdx)?;
        if i.small_int().is_none() {
            self.asm.a.test(dl, 1)?;
            self.asm.a.jz(slow)?;
        }
        self.asm.a.sar(rdx, 1)?;
        self.index_in_range(rt::layout::LIST_LEN, slow)?;
        self.load(v, rcx)?;
        self.asm
            .a
            .mov(rax, qword_ptr(rax + 8 * rt::layout::LIST_ITEMS as i32))?;
        self.asm.a.mov(qword_ptr(rax + rdx * 8), rcx)?;
        self.asm.bind(&mut back)?;
        let err = self.error_label();
        self.slow_path(move |e| {
            e.asm.bind(&mut slow)?;
            e.save(&live)?;
            e.load(c, rdi)?;
            e.load(i, rsi)?;
            e.load(v, rdx)?;
            e.asm.call_sym(rt::STORE_SUBSCR.symbol)?;
            e.restore(&live)?;
            e.asm.a.test(rax, rax)?;
            e.asm.a.js(err)?;
            e.asm.a.jmp(back)?;
            Ok(())
        });
        Ok(())
    }
}

// BINARY_OP opargs (Include/opcode.h, 3.11).
pub const NB_ADD: u32 = 0;
pub const NB_AND: u32 = 1;
pub const NB_FLOOR_DIVIDE: u32 = 2;
pub const NB_LSHIFT: u32 = 3;
pub const NB_MULTIPLY: u32 = 5;
pub const NB_REMAINDER: u32 = 6;
pub const NB_OR: u32 = 7;
pub const NB_RSHIFT: u32 = 9;
pub const NB_SUBTRACT: u32 = 10;
pub const NB_XOR: u32 = 12;
pub const NB_INPLACE: u32 = 13;

/// `dis.cmp_op`: < <= == != > >=
fn negate(cmp: u32) -> u32 {
    match cmp {
        0 => 5,
        1 => 4,
        2 => 3,
        3 => 2,
        4 => 1,
        _ => 0,
    }
}

/// `j<cmp> target` after a signed `cmp`.
fn jcc(a: &mut CodeAssembler, cmp: u32, target: CodeLabel) -> Result<(), IcedError> {
    match cmp {
        0 => a.jl(target),
        1 => a.jle(target),
        2 => a.je(target),
        3 => a.jne(target),
        4 => a.jg(target),
        _ => a.jge(target),
    }
}

/// rax = True; rcx = False: `cmov<not cmp> %rcx, %rax`.
fn cmov_not(a: &mut CodeAssembler, cmp: u32) -> Result<(), IcedError> {
    match cmp {
        0 => a.cmovge(rax, rcx),
        1 => a.cmovg(rax, rcx),
        2 => a.cmovne(rax, rcx),
        3 => a.cmove(rax, rcx),
        4 => a.cmovle(rax, rcx),
        _ => a.cmovl(rax, rcx),
    }
}
