//! x86-64 code generation: one native function per code object, built from
//! one assembler-style template per opcode (iced-x86), plus the data records
//! the runtime reads (`CodeInfo` per code object, the `Program` descriptor,
//! the marshalled constants, the global slots).
//!
//! Input is CPython 3.11 bytecode (from pyaot's compiler or from CPython's
//! own `.pyc`); the output is a [`link::ObjectModule`].

mod asm;
mod function;
mod listing;
mod templates;

use frontend::code::CodeObject;
use frontend::lower::{Program, Target, Text, TEXT};
use frontend::opcode::Opcode;
use link::{Arch, Reloc, RelocKind, Symbol, SymbolKind};

pub use frontend::lower::Unsupported;

pub struct Compiled {
    pub object: link::ObjectModule,
    pub listing: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub listing: bool,
}

/// The opcodes that have a template, computed from the template table.
pub fn supported_opcodes() -> Vec<Opcode> {
    (0..=255u8)
        .filter_map(Opcode::from_u8)
        .filter(|op| templates::template_for(*op).is_some())
        .collect()
}

/// x86-64: 8-byte words, absolute pointers as `R_X86_64_64`.
pub const TARGET: Target = Target {
    arch: Arch::X86_64,
    word: 8,
    abs_reloc: RelocKind::X86Abs64,
    text_align: 16,
};

/// A listing header: before assembler instruction `index`.
pub struct OpMark {
    pub index: usize,
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
        let out = asm
            .finish()
            .map_err(|e| program.unsupported_at(id, 0, format!("internal assembler error: {e}")))?;
        while !text.bytes.len().is_multiple_of(16) {
            text.bytes.push(0xcc); // int3
        }
        let start = text.bytes.len() as u64;
        text.bytes.extend_from_slice(&out.bytes);
        for r in &out.relocs {
            text.relocs.push(Reloc {
                section: TEXT,
                offset: start + r.field,
                kind: if r.is_call {
                    RelocKind::X86Plt32
                } else {
                    RelocKind::X86Pc32
                },
                symbol: r.symbol.clone(),
                addend: r.addend,
            });
        }
        let symbol = program.tables.symbols[id].clone();
        if let Some(l) = listing.as_mut() {
            listing::function(
                l,
                &symbol,
                start,
                &out.bytes,
                &out.offsets,
                &marks,
                &out.relocs,
            );
        }
        text.symbols.push(Symbol {
            name: symbol,
            section: TEXT,
            offset: start,
            size: out.bytes.len() as u64,
            kind: SymbolKind::Function,
            global: false,
        });
    }
    let object = program.finish(&TARGET, text);
    Ok(Compiled { object, listing })
}
