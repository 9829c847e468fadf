//! A thin layer over iced-x86's `CodeAssembler`: instructions that name a
//! symbol (runtime helpers, runtime statics, the program's own data) are
//! assembled against a dummy address and remembered, so that after block
//! encoding each becomes a relocation in the object file.

use iced_x86::code_asm::*;
use iced_x86::{BlockEncoderOptions, Code, Instruction, MemoryOperand, Register};

/// A symbol reference inside one assembled function.
#[derive(Clone, Debug)]
pub struct SymRef {
    /// Byte offset of the 4-byte field to patch, from the function start.
    pub field: u64,
    pub symbol: String,
    pub addend: i64,
    /// `call`/`jmp` target (PLT32) rather than RIP-relative data (PC32).
    pub is_call: bool,
}

/// One function, assembled.
pub struct Assembled {
    pub bytes: Vec<u8>,
    pub relocs: Vec<SymRef>,
    /// Final byte offset of each added instruction.
    pub offsets: Vec<u32>,
}

pub struct Asm {
    pub a: CodeAssembler,
    pending: Vec<(usize, String, i64, bool)>,
    /// The assembler's instruction count when the last label was set, to
    /// keep two labels off one instruction.
    label_at: Option<usize>,
}

fn rip(offset_in_dummy: i64) -> MemoryOperand {
    MemoryOperand::with_base_displ(Register::RIP, offset_in_dummy)
}

impl Asm {
    pub fn new() -> Result<Asm, IcedError> {
        Ok(Asm {
            a: CodeAssembler::new(64)?,
            pending: Vec::new(),
            label_at: None,
        })
    }

    /// Number of instructions added so far (the index of the next one).
    pub fn len(&self) -> usize {
        self.a.instructions().len()
    }

    /// Bind `label` here. iced allows one label per instruction, so a second
    /// label at the same place gets a `nop` to stand on.
    pub fn bind(&mut self, label: &mut CodeLabel) -> Result<(), IcedError> {
        if self.label_at == Some(self.len()) {
            self.a.nop()?;
        }
        self.label_at = Some(self.len());
        self.a.set_label(label)
    }

    fn add_sym(
        &mut self,
        ins: Instruction,
        sym: &str,
        off: i64,
        is_call: bool,
    ) -> Result<(), IcedError> {
        self.pending
            .push((self.len(), sym.to_string(), off, is_call));
        self.a.add_instruction(ins)
    }

    /// `leaq sym+off(%rip), %r`
    pub fn lea_sym(&mut self, r: AsmRegister64, sym: &str, off: i64) -> Result<(), IcedError> {
        let ins = Instruction::with2(Code::Lea_r64_m, Register::from(r), rip(0))?;
        self.add_sym(ins, sym, off, false)
    }

    /// `movq sym+off(%rip), %r`
    pub fn load_sym(&mut self, r: AsmRegister64, sym: &str, off: i64) -> Result<(), IcedError> {
        let ins = Instruction::with2(Code::Mov_r64_rm64, Register::from(r), rip(0))?;
        self.add_sym(ins, sym, off, false)
    }

    /// `movq %r, sym+off(%rip)`
    pub fn store_sym(&mut self, sym: &str, off: i64, r: AsmRegister64) -> Result<(), IcedError> {
        let ins = Instruction::with2(Code::Mov_rm64_r64, rip(0), Register::from(r))?;
        self.add_sym(ins, sym, off, false)
    }

    /// `cmpq sym(%rip), %r`
    pub fn cmp_sym(&mut self, r: AsmRegister64, sym: &str) -> Result<(), IcedError> {
        let ins = Instruction::with2(Code::Cmp_r64_rm64, Register::from(r), rip(0))?;
        self.add_sym(ins, sym, 0, false)
    }

    /// `incq sym(%rip)`
    pub fn inc_sym(&mut self, sym: &str) -> Result<(), IcedError> {
        let ins = Instruction::with1(Code::Inc_rm64, rip(0))?;
        self.add_sym(ins, sym, 0, false)
    }

    /// `decq sym(%rip)`
    pub fn dec_sym(&mut self, sym: &str) -> Result<(), IcedError> {
        let ins = Instruction::with1(Code::Dec_rm64, rip(0))?;
        self.add_sym(ins, sym, 0, false)
    }

    /// `call sym`
    pub fn call_sym(&mut self, sym: &str) -> Result<(), IcedError> {
        let ins = Instruction::with_branch(Code::Call_rel32_64, 0)?;
        self.add_sym(ins, sym, 0, true)
    }

    /// Block-encode at address 0 and turn the symbol references into
    /// relocations (their fields zeroed, the displacement in the addend).
    pub fn finish(mut self) -> Result<Assembled, String> {
        let options = BlockEncoderOptions::RETURN_NEW_INSTRUCTION_OFFSETS
            | BlockEncoderOptions::RETURN_CONSTANT_OFFSETS;
        let result = self
            .a
            .assemble_options(0, options)
            .map_err(|e| e.to_string())?;
        let mut bytes = result.inner.code_buffer;
        let offsets = result.inner.new_instruction_offsets;
        let consts = result.inner.constant_offsets;
        let mut relocs = Vec::new();
        for (index, symbol, off, is_call) in self.pending {
            let start = match offsets.get(index) {
                Some(&o) if o != u32::MAX => o as u64,
                _ => return Err("a symbol operand was rewritten by the block encoder".into()),
            };
            let (field, addend) = if is_call {
                (start + 1, off - 4)
            } else {
                let c = &consts[index];
                if c.displacement_size() != 4 {
                    return Err("RIP-relative operand without disp32".into());
                }
                // Immediates after the displacement move the end of the
                // instruction, which is what RIP is relative to.
                let trailing = (c.immediate_size() + c.immediate_size2()) as i64;
                (start + c.displacement_offset() as u64, off - 4 - trailing)
            };
            bytes[field as usize..field as usize + 4].fill(0);
            relocs.push(SymRef {
                field,
                symbol,
                addend,
                is_call,
            });
        }
        Ok(Assembled {
            bytes,
            relocs,
            offsets,
        })
    }
}
