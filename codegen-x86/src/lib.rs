//! x86-64 code generation: one native function per code object, built from
//! one assembler-style template per opcode (iced-x86), plus the data records
//! the runtime reads (`CodeInfo` per code object, the `Program` descriptor,
//! the marshalled constants, the global slots).
//!
//! Input is CPython 3.11 bytecode (from pyaot's compiler or from CPython's
//! own `.pyc`); the output is a [`link::ObjectModule`].

mod analysis;
mod asm;
mod consts;
mod function;
mod listing;
mod templates;
mod unsupported;

use consts::ConstTable;
use frontend::bytecode::{self, Instr};
use frontend::code::{flags, kinds, CodeObject, Constant};
use frontend::locations::{self, Location};
use frontend::opcode::Opcode::{self, *};
use frontend::rt;
use link::{Arch, ObjectModule, Reloc, RelocKind, Section, SectionKind, Symbol, SymbolKind};
use std::collections::{HashMap, HashSet};
use std::fmt;

pub struct Compiled {
    pub object: ObjectModule,
    pub listing: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub listing: bool,
}

/// Python the compiler cannot translate (yet), at a source position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    pub line: u32,
    /// 1-based, in characters.
    pub col: u32,
    pub what: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: unsupported: {}", self.line, self.col, self.what)
    }
}

impl std::error::Error for Unsupported {}

/// The opcodes that have a template, computed from the template table.
pub fn supported_opcodes() -> Vec<Opcode> {
    (0..=255u8)
        .filter_map(Opcode::from_u8)
        .filter(|op| templates::template_for(*op).is_some())
        .collect()
}

/// Data symbols of the compiled program (local to the object).
pub(crate) const CONSTS: &str = "pyaot_consts";
pub(crate) const GLOBALS: &str = "pyaot_globals";
const CONSTS_BLOB: &str = "pyaot_consts_blob";
const GLOBAL_NAMES: &str = "pyaot_global_names";
const SOURCE: &str = "pyaot_source";

/// A listing header: before assembler instruction `index`.
pub struct OpMark {
    pub index: usize,
    pub header: String,
}

/// What all functions of the program share while they are compiled.
pub struct Ctx {
    pub consts: ConstTable,
    /// Global name -> slot.
    pub globals: HashMap<String, u32>,
    /// Function symbol per code id.
    symbols: Vec<String>,
    /// (code id, const index) -> code id of a nested code object.
    children: HashMap<(usize, usize), usize>,
}

impl Ctx {
    pub fn info_symbol(&self, id: usize) -> String {
        format!("{}:info", self.symbols[id])
    }

    pub fn child_code(&self, parent: usize, index: usize) -> usize {
        self.children[&(parent, index)]
    }
}

const TEXT: usize = 0;
const RODATA: usize = 1;
const DATA: usize = 2;
const BSS: usize = 3;

/// Compile the module's code object and every code object nested in it.
pub fn compile_program(
    module: &CodeObject,
    source: &str,
    opts: &Options,
) -> Result<Compiled, Unsupported> {
    // Every code object, the module first, each with a unique symbol.
    let mut codes: Vec<&CodeObject> = Vec::new();
    let mut children = HashMap::new();
    collect(module, &mut codes, &mut children);
    let mut symbols: Vec<String> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for co in &codes {
        let file = co.filename.rsplit('/').next().unwrap_or(&co.filename);
        let base = format!("{file}:{}", co.qualname);
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        symbols.push(if *n == 1 { base } else { format!("{base}#{n}") });
    }

    // Decode and check everything before emitting anything.
    let mut decoded: Vec<Vec<Instr>> = Vec::new();
    let mut locs: Vec<Vec<Location>> = Vec::new();
    for co in &codes {
        let l = locations::decode(co.firstlineno, &co.linetable, co.code.len() / 2);
        let at = |offset: u32, what: String| unsupported_at(co, &l, source, offset, what);
        let instrs = bytecode::decode(&co.code).map_err(|e| at(0, format!("bytecode: {e}")))?;
        check_code(co, &instrs).map_err(|(off, what)| at(off, what))?;
        decoded.push(instrs);
        locs.push(l);
    }
    let (globals, global_order) = check_names(&codes, &decoded)
        .map_err(|(i, off, what)| unsupported_at(codes[i], &locs[i], source, off, what))?;

    let mut ctx = Ctx {
        consts: ConstTable::default(),
        globals,
        symbols,
        children,
    };
    let mut text: Vec<u8> = Vec::new();
    let mut relocs: Vec<Reloc> = Vec::new();
    let mut syms: Vec<Symbol> = Vec::new();
    let mut listing = opts.listing.then(String::new);
    for (id, co) in codes.iter().enumerate() {
        let at = |offset: u32, what: String| unsupported_at(co, &locs[id], source, offset, what);
        let instrs = decoded[id].clone();
        let nlocals = co.localsplusnames.len();
        let an = analysis::analyse(&instrs, nlocals, co.argcount as usize, co.stacksize).map_err(
            |analysis::AnalysisError::BadDepth(i)| {
                at(
                    instrs.get(i).map_or(0, |x| x.offset),
                    "bytecode with an inconsistent stack depth".into(),
                )
            },
        )?;
        let emitter = function::FnEmitter::new(&mut ctx, co, id, instrs, an)
            .map_err(|e| at(e.offset, e.what))?;
        let (asm, marks) = emitter.emit().map_err(|e| at(e.offset, e.what))?;
        let out = asm
            .finish()
            .map_err(|e| at(0, format!("internal assembler error: {e}")))?;
        while !text.len().is_multiple_of(16) {
            text.push(0xcc); // int3
        }
        let start = text.len() as u64;
        text.extend_from_slice(&out.bytes);
        for r in &out.relocs {
            relocs.push(Reloc {
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
        syms.push(Symbol {
            name: ctx.symbols[id].clone(),
            section: TEXT,
            offset: start,
            size: out.bytes.len() as u64,
            kind: SymbolKind::Function,
            global: false,
        });
        if let Some(l) = listing.as_mut() {
            listing::function(
                l,
                &ctx.symbols[id],
                start,
                &out.bytes,
                &out.offsets,
                &marks,
                &out.relocs,
            );
        }
    }

    // ---- data records ----------------------------------------------------
    let mut data = DataBuilder::default();
    for (id, co) in codes.iter().enumerate() {
        let loc_sym = format!("{}:locations", ctx.symbols[id]);
        let records = location_records(&locs[id]);
        data.rodata_symbol(&loc_sym, 8);
        for r in &records {
            for x in r {
                data.rodata.extend_from_slice(&x.to_le_bytes());
            }
        }
        data.end_rodata_symbol();
        let name = ctx.consts.add_str(&co.name);
        let qualname = ctx.consts.add_str(&co.qualname);
        let varnames = ctx.consts.add(&Constant::Tuple(
            co.localsplusnames
                .iter()
                .map(|n| Constant::Str(n.clone()))
                .collect(),
        ));
        let info = ctx.info_symbol(id);
        data.data_symbol(&info);
        data.ptr(&ctx.symbols[id]); // entry
        data.word(co.argcount as u64);
        data.word(co.localsplusnames.len() as u64);
        data.word(co.flags as u64);
        data.word(co.firstlineno as u64);
        data.word(name as u64);
        data.word(qualname as u64);
        data.word(varnames as u64);
        data.ptr(&loc_sym);
        data.word(records.len() as u64);
        data.end_data_symbol();
    }
    let filename = ctx.consts.add_str(&module.filename);
    let mut global_names = vec![0u32; global_order.len()];
    for (slot, name) in global_order.iter().enumerate() {
        global_names[slot] = ctx.consts.add_str(name);
    }
    data.rodata_symbol(GLOBAL_NAMES, 8);
    for n in &global_names {
        data.rodata.extend_from_slice(&(*n as u64).to_le_bytes());
    }
    data.end_rodata_symbol();
    data.rodata_symbol(SOURCE, 1);
    data.rodata.extend_from_slice(source.as_bytes());
    data.end_rodata_symbol();
    let nconsts = ctx.consts.len() as u64;
    data.rodata_symbol(CONSTS_BLOB, 1);
    data.rodata.extend_from_slice(ctx.consts.blob());
    data.end_rodata_symbol();
    data.bss_symbol(CONSTS, 8 * nconsts);
    data.bss_symbol(GLOBALS, 8 * global_order.len() as u64);

    data.data_symbol(rt::PROGRAM);
    data.ptr(&ctx.info_symbol(0)); // module
    data.ptr(CONSTS_BLOB);
    data.word(ctx.consts.blob().len() as u64);
    data.word(nconsts);
    data.ptr(CONSTS);
    data.word(global_order.len() as u64);
    data.ptr(GLOBALS);
    data.ptr(GLOBAL_NAMES);
    data.word(filename as u64);
    data.ptr(SOURCE);
    data.word(source.len() as u64);
    data.end_data_symbol();

    syms.extend(data.symbols);
    for s in syms.iter_mut() {
        s.global = s.name == rt::PROGRAM;
    }
    relocs.extend(data.relocs);
    let text_len = text.len() as u64;
    let object = ObjectModule {
        arch: Arch::X86_64,
        sections: vec![
            Section {
                name: ".text".into(),
                kind: SectionKind::Text,
                align: 16,
                size: text_len,
                bytes: text,
            },
            Section {
                name: ".rodata".into(),
                kind: SectionKind::ReadOnlyData,
                align: 8,
                size: data.rodata.len() as u64,
                bytes: data.rodata,
            },
            Section {
                name: ".data".into(),
                kind: SectionKind::Data,
                align: 8,
                size: data.data.len() as u64,
                bytes: data.data,
            },
            Section {
                name: ".bss".into(),
                kind: SectionKind::Bss,
                align: 8,
                size: data.bss_size,
                bytes: Vec::new(),
            },
        ],
        symbols: syms,
        relocs,
    };
    Ok(Compiled { object, listing })
}

fn collect<'a>(
    co: &'a CodeObject,
    out: &mut Vec<&'a CodeObject>,
    children: &mut HashMap<(usize, usize), usize>,
) {
    let id = out.len();
    out.push(co);
    for (i, c) in co.consts.iter().enumerate() {
        if let Constant::Code(child) = c {
            children.insert((id, i), out.len());
            collect(child, out, children);
        }
    }
}

/// Whole-code-object features that have no template.
fn check_code(co: &CodeObject, instrs: &[Instr]) -> Result<(), (u32, String)> {
    let first = instrs.first().map_or(0, |i| i.offset);
    let refuse = |what: &str| Err((first, what.to_string()));
    if co.flags & (flags::CO_COROUTINE | flags::CO_ASYNC_GENERATOR) != 0 {
        return refuse("async functions");
    }
    if co.flags & (flags::CO_GENERATOR | flags::CO_ITERABLE_COROUTINE) != 0 {
        return refuse("generators");
    }
    if co.flags & flags::CO_VARARGS != 0 {
        return refuse("*args parameters");
    }
    if co.flags & flags::CO_VARKEYWORDS != 0 {
        return refuse("**kwargs parameters");
    }
    if co.kwonlyargcount != 0 {
        return refuse("keyword-only parameters");
    }
    if co
        .localspluskinds
        .iter()
        .any(|k| k & (kinds::CO_FAST_CELL | kinds::CO_FAST_FREE) != 0)
    {
        return refuse("closures");
    }
    if let Some(w) = instrs.iter().find(|i| i.opcode == BEFORE_WITH) {
        return Err((w.offset, "with statements".into()));
    }
    if !co.exceptiontable.is_empty() {
        // The first entry starts with its start offset, in code units.
        let mut start = 0u32;
        for &b in &co.exceptiontable {
            start = (start << 6) | (b & 63) as u32;
            if b & 64 == 0 {
                break;
            }
        }
        return Err((2 * start, "try statements".into()));
    }
    for ins in instrs {
        if templates::template_for(ins.opcode).is_none() {
            return Err((ins.offset, unsupported::describe(ins.opcode)));
        }
        if ins.opcode == MAKE_FUNCTION && ins.arg & 0x0a != 0 {
            let what = if ins.arg & 0x08 != 0 {
                "closures"
            } else {
                "keyword-only parameters"
            };
            return Err((ins.offset, what.into()));
        }
    }
    Ok(())
}

type GlobalSlots = (HashMap<String, u32>, Vec<String>);

/// Global slots for every global/name opcode, and the build-time refusals
/// of builtins, attributes and modules the runtime does not provide.
fn check_names(
    codes: &[&CodeObject],
    decoded: &[Vec<Instr>],
) -> Result<GlobalSlots, (usize, u32, String)> {
    let mut slots: HashMap<String, u32> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut assigned: HashSet<&str> = HashSet::new();
    for (co, instrs) in codes.iter().zip(decoded) {
        for ins in instrs {
            let namei = match ins.opcode {
                LOAD_GLOBAL => ins.arg >> 1,
                STORE_GLOBAL | STORE_NAME | DELETE_GLOBAL | DELETE_NAME | LOAD_NAME => ins.arg,
                _ => continue,
            };
            let Some(name) = co.names.get(namei as usize) else {
                continue;
            };
            if matches!(ins.opcode, STORE_GLOBAL | STORE_NAME) {
                assigned.insert(name);
            }
            if !slots.contains_key(name) {
                slots.insert(name.clone(), order.len() as u32);
                order.push(name.clone());
            }
        }
    }
    for (i, (co, instrs)) in codes.iter().zip(decoded).enumerate() {
        for ins in instrs {
            let name = |k: u32| co.names.get(k as usize).map_or("", |s| s.as_str());
            let refusal = match ins.opcode {
                LOAD_GLOBAL | LOAD_NAME => {
                    let n = name(if ins.opcode == LOAD_GLOBAL {
                        ins.arg >> 1
                    } else {
                        ins.arg
                    });
                    (!assigned.contains(n)
                        && unsupported::CPYTHON_BUILTINS.contains(&n)
                        && !rt::BUILTINS.contains(&n))
                    .then(|| format!("builtin '{n}'"))
                }
                LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD | IMPORT_FROM => {
                    let n = name(ins.arg);
                    (!rt::ATTRIBUTES.contains(&n)).then(|| format!("attribute '{n}'"))
                }
                DELETE_NAME | DELETE_GLOBAL => {
                    let n = name(ins.arg);
                    unsupported::CPYTHON_BUILTINS
                        .contains(&n)
                        .then(|| format!("del of the builtin name '{n}'"))
                }
                IMPORT_NAME => {
                    let n = name(ins.arg);
                    (!rt::MODULES.contains(&n)).then(|| format!("module '{n}'"))
                }
                _ => None,
            };
            if let Some(what) = refusal {
                return Err((i, ins.offset, what));
            }
        }
    }
    Ok((slots, order))
}

/// The source position of bytecode `offset` in `co`.
fn unsupported_at(
    co: &CodeObject,
    locs: &[Location],
    source: &str,
    offset: u32,
    what: String,
) -> Unsupported {
    let loc = locs.get(offset as usize / 2).copied().unwrap_or_default();
    let line = loc.line.filter(|&l| l > 0).unwrap_or(co.firstlineno.max(1));
    let col = match (loc.line, loc.col) {
        (Some(_), Some(byte_col)) => {
            let text = source.lines().nth(line as usize - 1).unwrap_or("");
            let prefix = text.get(..byte_col as usize).unwrap_or(text);
            prefix.chars().count() as u32 + 1
        }
        _ => 1,
    };
    Unsupported { line, col, what }
}

/// `[start_offset, line, end_line, col, end_col]` runs for `CodeInfo`.
fn location_records(locs: &[Location]) -> Vec<[u32; 5]> {
    let absent = |x: Option<u32>| x.unwrap_or(u32::MAX);
    let mut out: Vec<[u32; 5]> = Vec::new();
    for (unit, l) in locs.iter().enumerate() {
        let rec = [
            2 * unit as u32,
            absent(l.line),
            absent(l.end_line),
            absent(l.col),
            absent(l.end_col),
        ];
        if out.last().is_none_or(|last| last[1..] != rec[1..]) {
            out.push(rec);
        }
    }
    out
}

/// The read-only, data and bss sections being laid out.
#[derive(Default)]
struct DataBuilder {
    rodata: Vec<u8>,
    data: Vec<u8>,
    bss_size: u64,
    symbols: Vec<Symbol>,
    relocs: Vec<Reloc>,
    open: Option<(String, usize, u64)>,
}

impl DataBuilder {
    fn rodata_symbol(&mut self, name: &str, align: usize) {
        while !self.rodata.len().is_multiple_of(align.max(8)) {
            self.rodata.push(0);
        }
        self.open = Some((name.to_string(), RODATA, self.rodata.len() as u64));
    }

    fn end_rodata_symbol(&mut self) {
        self.close(self.rodata.len() as u64);
    }

    fn data_symbol(&mut self, name: &str) {
        self.open = Some((name.to_string(), DATA, self.data.len() as u64));
    }

    fn end_data_symbol(&mut self) {
        self.close(self.data.len() as u64);
    }

    fn close(&mut self, end: u64) {
        if let Some((name, section, start)) = self.open.take() {
            self.symbols.push(Symbol {
                name,
                section,
                offset: start,
                size: end - start,
                kind: SymbolKind::Data,
                global: false,
            });
        }
    }

    fn bss_symbol(&mut self, name: &str, size: u64) {
        let size = size.max(8);
        self.symbols.push(Symbol {
            name: name.to_string(),
            section: BSS,
            offset: self.bss_size,
            size,
            kind: SymbolKind::Data,
            global: false,
        });
        self.bss_size += size;
    }

    fn word(&mut self, w: u64) {
        self.data.extend_from_slice(&w.to_le_bytes());
    }

    /// An absolute pointer to `symbol`.
    fn ptr(&mut self, symbol: &str) {
        self.relocs.push(Reloc {
            section: DATA,
            offset: self.data.len() as u64,
            kind: RelocKind::X86Abs64,
            symbol: symbol.to_string(),
            addend: 0,
        });
        self.word(0);
    }
}
