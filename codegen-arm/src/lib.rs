//! Thumb-2 code generation for ARM Cortex-M (ARMv7-M): one native function
//! per code object, built from one assembler-style template per opcode, the
//! same templates and fast paths as codegen-x86 written for Thumb-2 and the
//! AAPCS. The target-independent half (checks, analysis, constant table,
//! data records) is `frontend::lower`; values are 32-bit words, small ints
//! 31-bit.
//!
//! - [`thumb`]: the Thumb-2 assembler the templates are written with.
//! - [`compile_program`]: code objects to a [`link::ObjectModule`] (ELF32,
//!   REL relocations: `R_ARM_THM_CALL` for `bl`, `R_ARM_THM_MOVW_ABS_NC` /
//!   `R_ARM_THM_MOVT_ABS` pairs for data addresses, `R_ARM_ABS32` in the
//!   data records).

mod function;
mod listing;
pub mod smallint;
mod templates;
pub mod thumb;

use frontend::code::CodeObject;
use frontend::lower::{Program, Target, Text, TEXT};
use frontend::opcode::Opcode;
use link::{Arch, RelocKind, Symbol, SymbolKind};

pub use frontend::lower::Unsupported;

pub struct Compiled {
    pub object: link::ObjectModule,
    pub listing: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub listing: bool,
}

/// Cortex-M: 4-byte words, absolute pointers as `R_ARM_ABS32`.
pub const TARGET: Target = Target {
    arch: Arch::Arm,
    word: 4,
    abs_reloc: RelocKind::ArmAbs32,
    text_align: 4,
};

/// The opcodes that have a template, computed from the template table.
pub fn supported_opcodes() -> Vec<Opcode> {
    (0..=255u8)
        .filter_map(Opcode::from_u8)
        .filter(|op| templates::template_for(*op).is_some())
        .collect()
}

/// A listing header: before the instruction at byte `offset` of the
/// function.
pub struct OpMark {
    pub offset: u32,
    pub header: String,
}

/// Compile the module's code object and every code object nested in it.
pub fn compile_program(
    module: &CodeObject,
    source: &str,
    opts: &Options,
) -> Result<Compiled, Unsupported> {
    let mut program = Program::prepare(module, source, |op| templates::template_for(op).is_some())?;
    let mut text = Text::default();
    let mut listing = opts.listing.then(String::new);
    for id in 0..program.codes.len() {
        let co = program.codes[id];
        let an = program.analyse(id)?;
        let instrs = program.decoded[id].clone();
        let (asm, marks) = function::FnEmitter::new(&mut program.tables, co, id, instrs, an)
            .and_then(|e| e.emit())
            .map_err(|e| program.unsupported_at(id, e.offset, e.what))?;
        let code = asm
            .finish()
            .map_err(|e| program.unsupported_at(id, 0, format!("internal assembler error: {e}")))?;
        while !text.bytes.len().is_multiple_of(TARGET.text_align as usize) {
            text.bytes.extend_from_slice(&[0x00, 0xbf]); // nop
        }
        let start = text.bytes.len() as u32;
        text.bytes.extend_from_slice(&code.bytes);
        let symbol = program.tables.symbols[id].clone();
        if let Some(l) = listing.as_mut() {
            listing::function(l, &symbol, start, &code, &marks);
        }
        for r in code.relocs {
            let mut r = r.into_link(TEXT);
            r.offset += start as u64;
            text.relocs.push(r);
        }
        text.symbols.push(Symbol {
            name: symbol,
            section: TEXT,
            offset: start as u64,
            size: code.bytes.len() as u64,
            kind: SymbolKind::Function,
            global: false,
        });
    }
    let object = program.finish(&TARGET, text);
    Ok(Compiled { object, listing })
}
