//! The target-independent half of turning code objects into an object file:
//! everything both codegens need before and after instruction selection.
//!
//! - [`Program::prepare`]: every code object of the program (the module
//!   first), each with a unique symbol; bytecode decoded and checked for
//!   features pyaot cannot compile; global slots assigned; builtins,
//!   attributes and modules the runtime lacks refused at build time.
//! - [`analysis`]: stack depth, block starts and definitely-bound locals
//!   per instruction.
//! - [`Tables`]: what the templates share while they emit (the constant
//!   table, global slots, symbols).
//! - [`Program::finish`]: the data records the runtime reads (`CodeInfo`
//!   per code object, location records, the `Program` descriptor, the
//!   marshalled constants, the global slots), laid out for the target's
//!   word size, plus the codegen's text, as a [`link::ObjectModule`].

pub mod analysis;
pub mod consts;
pub mod generic;
pub mod templates;
pub mod unsupported;

use crate::bytecode::{self, Instr};
use crate::code::{flags, kinds, CodeObject, Constant};
use crate::locations::{self, Location};
use crate::opcode::Opcode::{self, *};
use crate::rt;
use consts::ConstTable;
use link::{Arch, ObjectModule, Reloc, RelocKind, Section, SectionKind, Symbol, SymbolKind};
use num_bigint::BigInt;
use std::collections::{HashMap, HashSet};
use std::fmt;

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

/// Data symbols of the compiled program (local to the object).
pub const CONSTS: &str = "pyaot_consts";
pub const GLOBALS: &str = "pyaot_globals";
const CONSTS_BLOB: &str = "pyaot_consts_blob";
const GLOBAL_NAMES: &str = "pyaot_global_names";
const GLOBAL_BUILTINS: &str = "pyaot_global_builtins";
const FEATURES: &str = "pyaot_features";
const SOURCE: &str = "pyaot_source";

/// Section indices of the object [`Program::finish`] builds.
pub const TEXT: usize = 0;
pub const RODATA: usize = 1;
pub const DATA: usize = 2;
pub const BSS: usize = 3;

/// What differs between targets in the data records.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub arch: Arch,
    /// Bytes in a machine word (a value, a pointer, a `usize`): 8 or 4.
    pub word: u32,
    /// The relocation of an absolute word-sized pointer in data.
    pub abs_reloc: RelocKind,
    /// Alignment of each function in `.text`.
    pub text_align: u64,
}

impl Target {
    /// Bits of a small int's payload: `word bits - INT_SHIFT`.
    pub fn small_int_bits(&self) -> u32 {
        8 * self.word - rt::INT_SHIFT
    }

    /// The tagged word of small int `n`, if `n` is one on this target.
    pub fn tag(&self, n: &BigInt) -> Option<i64> {
        let n = i64::try_from(n).ok()?;
        let limit = 1i64 << (self.small_int_bits() - 1);
        (-limit..limit)
            .contains(&n)
            .then_some((n << rt::INT_SHIFT) | rt::INT_TAG as i64)
    }
}

/// What all functions of the program share while they are compiled.
pub struct Tables {
    pub consts: ConstTable,
    /// Global name -> slot.
    pub globals: HashMap<String, u32>,
    /// Function symbol per code id.
    pub symbols: Vec<String>,
    /// (code id, const index) -> code id of a nested code object.
    children: HashMap<(usize, usize), usize>,
}

impl Tables {
    /// The symbol of code object `id`'s `CodeInfo` record.
    pub fn info_symbol(&self, id: usize) -> String {
        format!("{}:info", self.symbols[id])
    }

    /// The code id of the code object constant `index` of code `parent`.
    pub fn child_code(&self, parent: usize, index: usize) -> usize {
        self.children[&(parent, index)]
    }
}

/// A program checked and ready for instruction selection.
pub struct Program<'a> {
    /// Every code object, the module first (code id = index).
    pub codes: Vec<&'a CodeObject>,
    /// Decoded instructions per code id.
    pub decoded: Vec<Vec<Instr>>,
    /// Source location per code unit, per code id.
    pub locs: Vec<Vec<Location>>,
    pub tables: Tables,
    global_order: Vec<String>,
    source: &'a str,
}

/// The machine code of all functions, as one `.text` section.
#[derive(Default)]
pub struct Text {
    pub bytes: Vec<u8>,
    /// Relocations in `.text` (section [`TEXT`]).
    pub relocs: Vec<Reloc>,
    /// One function symbol per code object.
    pub symbols: Vec<Symbol>,
}

impl<'a> Program<'a> {
    /// Collect, decode and check every code object of `module`. `has_template`
    /// says which opcodes the target compiles.
    pub fn prepare(
        module: &'a CodeObject,
        source: &'a str,
        has_template: impl Fn(Opcode) -> bool,
    ) -> Result<Program<'a>, Unsupported> {
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
            check_code(co, &instrs, &has_template).map_err(|(off, what)| at(off, what))?;
            decoded.push(instrs);
            locs.push(l);
        }
        let (globals, global_order) = check_names(&codes, &decoded)
            .map_err(|(i, off, what)| unsupported_at(codes[i], &locs[i], source, off, what))?;
        Ok(Program {
            codes,
            decoded,
            locs,
            tables: Tables {
                consts: ConstTable::default(),
                globals,
                symbols,
                children,
            },
            global_order,
            source,
        })
    }

    /// "unsupported: `what`" at bytecode `offset` of code `id`.
    pub fn unsupported_at(&self, id: usize, offset: u32, what: String) -> Unsupported {
        unsupported_at(self.codes[id], &self.locs[id], self.source, offset, what)
    }

    /// The dataflow facts of code `id`.
    pub fn analyse(&self, id: usize) -> Result<analysis::Analysis, Unsupported> {
        let co = self.codes[id];
        let instrs = &self.decoded[id];
        analysis::analyse(
            instrs,
            co.localsplusnames.len(),
            co.argcount as usize,
            co.stacksize,
        )
        .map_err(|analysis::AnalysisError::BadDepth(i)| {
            self.unsupported_at(
                id,
                instrs.get(i).map_or(0, |x| x.offset),
                "bytecode with an inconsistent stack depth".into(),
            )
        })
    }

    /// The object file: `text` plus the data records, laid out for `target`.
    pub fn finish(mut self, target: &Target, text: Text) -> ObjectModule {
        let word = target.word as usize;
        let module = self.codes[0];
        let t = &mut self.tables;
        let mut data = DataBuilder::new(target);
        for (id, co) in self.codes.iter().enumerate() {
            let loc_sym = format!("{}:locations", t.symbols[id]);
            let records = location_records(&self.locs[id]);
            data.rodata_symbol(&loc_sym, 4);
            for r in &records {
                for x in r {
                    data.rodata.extend_from_slice(&x.to_le_bytes());
                }
            }
            data.end_rodata_symbol();
            let name = t.consts.add_str(&co.name);
            let qualname = t.consts.add_str(&co.qualname);
            let varnames = t.consts.add(&Constant::Tuple(
                co.localsplusnames
                    .iter()
                    .map(|n| Constant::Str(n.clone()))
                    .collect(),
            ));
            let info = t.info_symbol(id);
            data.data_symbol(&info);
            data.ptr(&t.symbols[id]); // entry
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
        let filename = t.consts.add_str(&module.filename);
        let global_names: Vec<u32> = self
            .global_order
            .iter()
            .map(|name| t.consts.add_str(name))
            .collect();
        data.rodata_symbol(GLOBAL_NAMES, word);
        for &n in &global_names {
            data.rodata_word(n as u64);
        }
        data.end_rodata_symbol();
        // Builtins by symbol: the runtime links only the ones named here.
        data.data_symbol(GLOBAL_BUILTINS);
        for name in &self.global_order {
            match rt::BUILTIN_OBJECTS.iter().find(|(n, _)| n == name) {
                Some((_, symbol)) => data.ptr(symbol),
                None => data.word(0),
            }
        }
        data.end_data_symbol();
        // Runtime features by symbol: code only some operators need.
        data.data_symbol(FEATURES);
        for (opargs, symbol) in rt::OPERATOR_FEATURES {
            let used = self
                .decoded
                .iter()
                .flatten()
                .any(|ins| ins.opcode == BINARY_OP && opargs.contains(&ins.arg));
            if used {
                data.ptr(symbol);
            }
        }
        let constant_features: [(ConstantKind, &str); 3] = [
            (|c| matches!(c, Constant::Float(_)), rt::FLOAT_CONSTANTS),
            (|c| matches!(c, Constant::Bytes(_)), rt::BYTES_CONSTANTS),
            (
                |c| matches!(c, Constant::Int(n) if n.bits() > 60),
                rt::LONG_CONSTANTS,
            ),
        ];
        for (is, symbol) in constant_features {
            if self
                .codes
                .iter()
                .any(|co| co.consts.iter().any(|c| holds(c, is)))
            {
                data.ptr(symbol);
            }
        }
        data.word(0);
        data.end_data_symbol();
        data.rodata_symbol(SOURCE, 1);
        data.rodata.extend_from_slice(self.source.as_bytes());
        data.end_rodata_symbol();
        let nconsts = t.consts.len() as u64;
        data.rodata_symbol(CONSTS_BLOB, 1);
        data.rodata.extend_from_slice(t.consts.blob());
        data.end_rodata_symbol();
        data.bss_symbol(CONSTS, word as u64 * nconsts);
        data.bss_symbol(GLOBALS, word as u64 * self.global_order.len() as u64);

        data.data_symbol(rt::PROGRAM);
        data.ptr(&t.info_symbol(0)); // module
        data.ptr(CONSTS_BLOB);
        data.word(t.consts.blob().len() as u64);
        data.word(nconsts);
        data.ptr(CONSTS);
        data.word(self.global_order.len() as u64);
        data.ptr(GLOBALS);
        data.ptr(GLOBAL_NAMES);
        data.ptr(GLOBAL_BUILTINS);
        data.word(filename as u64);
        data.ptr(SOURCE);
        data.word(self.source.len() as u64);
        data.ptr(FEATURES);
        data.end_data_symbol();

        let mut symbols = text.symbols;
        symbols.extend(data.symbols);
        for s in symbols.iter_mut() {
            s.global = s.name == rt::PROGRAM;
        }
        let mut relocs = text.relocs;
        relocs.extend(data.relocs);
        let align = (word as u64).max(8);
        ObjectModule {
            arch: target.arch,
            sections: vec![
                Section {
                    name: ".text".into(),
                    kind: SectionKind::Text,
                    align: target.text_align,
                    size: text.bytes.len() as u64,
                    bytes: text.bytes,
                },
                Section {
                    name: ".rodata".into(),
                    kind: SectionKind::ReadOnlyData,
                    align,
                    size: data.rodata.len() as u64,
                    bytes: data.rodata,
                },
                Section {
                    name: ".data".into(),
                    kind: SectionKind::Data,
                    align,
                    size: data.data.len() as u64,
                    bytes: data.data,
                },
                Section {
                    name: ".bss".into(),
                    kind: SectionKind::Bss,
                    align,
                    size: data.bss_size,
                    bytes: Vec::new(),
                },
            ],
            symbols,
            relocs,
        }
    }
}

/// Picks the constants of one kind (floats, bytes, big ints): unmarshalling
/// them needs a runtime feature.
type ConstantKind = fn(&Constant) -> bool;

/// Whether `c` is, or (in a tuple or frozenset) holds, a constant `is` picks.
fn holds(c: &Constant, is: ConstantKind) -> bool {
    match c {
        Constant::Tuple(items) | Constant::FrozenSet(items) => {
            items.iter().any(|item| holds(item, is))
        }
        c => is(c),
    }
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
fn check_code(
    co: &CodeObject,
    instrs: &[Instr],
    has_template: &impl Fn(Opcode) -> bool,
) -> Result<(), (u32, String)> {
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
        if !has_template(ins.opcode) {
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
                        && !rt::MODULE_GLOBALS.contains(&n)
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

/// `BINARY_OP 0 (+)`, `LOAD_FAST 0 (n)`, ... as `dis` shows them: the
/// headers of `--emit asm` listings.
pub fn describe(code: &CodeObject, ins: &Instr) -> String {
    const CMP_OP: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];
    const NB_OP: [&str; 13] = [
        "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
    ];
    let op = ins.opcode;
    if !op.has_arg() {
        return op.name().to_string();
    }
    let a = ins.arg as usize;
    let name = |i: usize| code.names.get(i).cloned().unwrap_or_default();
    let note = match op {
        LOAD_FAST | STORE_FAST | DELETE_FAST => code.localsplusnames.get(a).cloned(),
        LOAD_GLOBAL => Some(if a & 1 == 1 {
            format!("NULL + {}", name(a >> 1))
        } else {
            name(a >> 1)
        }),
        LOAD_CONST => code.consts.get(a).map(short_repr),
        COMPARE_OP => CMP_OP.get(a).map(|s| s.to_string()),
        BINARY_OP => NB_OP
            .get(a % 13)
            .map(|s| format!("{s}{}", if a >= 13 { "=" } else { "" })),
        _ if op.has_name() => Some(name(a)),
        _ if op.has_jrel() => ins.jump_target().map(|t| format!("to {t}")),
        _ => None,
    };
    match note {
        Some(n) => format!("{} {} ({})", op.name(), a, n),
        None => format!("{} {}", op.name(), a),
    }
}

fn short_repr(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::Ellipsis => "Ellipsis".into(),
        Constant::Bool(b) => if *b { "True" } else { "False" }.into(),
        Constant::Int(n) => n.to_string(),
        Constant::Float(f) => format!("{f:?}"),
        Constant::Complex { re, im } => format!("({re:?}+{im:?}j)"),
        Constant::Str(s) => {
            let s: String = s.chars().take(30).collect();
            format!("{s:?}")
        }
        Constant::Bytes(b) => format!("<{} bytes>", b.len()),
        Constant::Tuple(items) => format!("<tuple of {}>", items.len()),
        Constant::FrozenSet(items) => format!("<frozenset of {}>", items.len()),
        Constant::Code(co) => format!("<code object {}>", co.name),
    }
}

/// The read-only, data and bss sections being laid out.
struct DataBuilder {
    word: usize,
    abs_reloc: RelocKind,
    rodata: Vec<u8>,
    data: Vec<u8>,
    bss_size: u64,
    symbols: Vec<Symbol>,
    relocs: Vec<Reloc>,
    open: Option<(String, usize, u64)>,
}

impl DataBuilder {
    fn new(target: &Target) -> DataBuilder {
        DataBuilder {
            word: target.word as usize,
            abs_reloc: target.abs_reloc,
            rodata: Vec::new(),
            data: Vec::new(),
            bss_size: 0,
            symbols: Vec::new(),
            relocs: Vec::new(),
            open: None,
        }
    }

    /// Start a read-only symbol, aligned to at least a word.
    fn rodata_symbol(&mut self, name: &str, align: usize) {
        let align = align.max(self.word);
        while !self.rodata.len().is_multiple_of(align) {
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

    fn le_word(word: usize, w: u64) -> Vec<u8> {
        w.to_le_bytes()[..word].to_vec()
    }

    fn word(&mut self, w: u64) {
        let bytes = Self::le_word(self.word, w);
        self.data.extend_from_slice(&bytes);
    }

    fn rodata_word(&mut self, w: u64) {
        let bytes = Self::le_word(self.word, w);
        self.rodata.extend_from_slice(&bytes);
    }

    /// An absolute pointer to `symbol`.
    fn ptr(&mut self, symbol: &str) {
        self.relocs.push(Reloc {
            section: DATA,
            offset: self.data.len() as u64,
            kind: self.abs_reloc,
            symbol: symbol.to_string(),
            addend: 0,
        });
        self.word(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_int_range_follows_the_word() {
        let x86 = Target {
            arch: Arch::X86_64,
            word: 8,
            abs_reloc: RelocKind::X86Abs64,
            text_align: 16,
        };
        let arm = Target { word: 4, ..x86 };
        let big = BigInt::from(1i64 << 30);
        assert_eq!(x86.tag(&big), Some((1i64 << 31) | 1));
        assert_eq!(arm.tag(&big), None);
        assert_eq!(
            arm.tag(&BigInt::from(-(1i64 << 30))),
            Some(-(1i64 << 31) | 1)
        );
        assert_eq!(x86.tag(&BigInt::from(1i64 << 62)), None);
    }
}
