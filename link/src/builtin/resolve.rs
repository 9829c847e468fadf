//! Symbol resolution and section garbage collection: which archive members
//! the program needs, which definition each reference binds to, and which
//! sections are reachable from the entry point.

use std::collections::{HashMap, HashSet, VecDeque};

use object::read::archive::{ArchiveFile, ArchiveOffset};

use super::elf::{self, Object, SHF_GNU_RETAIN, SHF_TLS};
use super::elf::{SHN_ABS, SHN_COMMON, SHN_UNDEF, STB_WEAK};
use super::{Error, Machine};

/// A symbol of one input object: `(object, symbol index)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SymRef {
    pub object: usize,
    pub symbol: usize,
}

/// A section of one input object: `(object, section index)`.
pub type SectionRef = (usize, usize);

/// The global symbol table entry: the definition, or (while none is known)
/// the first reference.
#[derive(Clone, Copy, Debug)]
struct Global {
    at: SymRef,
    /// Some reference is not weak: an archive member may be loaded for it,
    /// and it must be defined if a live section uses it.
    strong_ref: bool,
}

/// What a relocation's symbol stands for once resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// `value` bytes into a section of an object.
    Section {
        object: usize,
        section: usize,
        value: u64,
    },
    /// An absolute value (`SHN_ABS`).
    Absolute(u64),
    /// A symbol the linker defines (`_sdata`, `_stack_top`, ...): index
    /// into the names the link provides; its address is known after layout.
    Provided(usize),
    /// A weak reference nothing defines: address 0.
    UndefinedWeak,
    /// A strong reference nothing defines.
    Undefined,
}

/// The result of resolution and garbage collection: what `image`
/// lays out.
pub struct Resolved<'a> {
    pub objects: Vec<Object<'a>>,
    globals: HashMap<&'a [u8], Global>,
    /// `live[object][section]`: reachable from the entry point.
    pub live: Vec<Vec<bool>>,
    /// `kept_by[object][section]`: the live section whose relocation first
    /// reached it (`None` for the roots), for the link map.
    pub kept_by: Vec<Vec<Option<SectionRef>>>,
    pub entry: Target,
    pub machine: Machine,
    /// The symbols the linker defines if no input does.
    pub provided: &'static [&'static str],
}

impl<'a> Resolved<'a> {
    /// What symbol `symbol` of `object` refers to.
    pub fn target(&self, object: usize, symbol: usize) -> Target {
        let mut at = SymRef { object, symbol };
        let referencing = &self.objects[object].symbols[symbol];
        if !referencing.is_local() {
            if let Some(global) = self.globals.get(referencing.name) {
                at = global.at;
            }
        }
        let sym = &self.objects[at.object].symbols[at.symbol];
        if sym.is_undefined() && !sym.is_local() {
            if let Some(i) = self.provided.iter().position(|&p| p.as_bytes() == sym.name) {
                return Target::Provided(i);
            }
        }
        match sym.shndx {
            SHN_UNDEF if referencing.is_weak() || sym.is_weak() => Target::UndefinedWeak,
            SHN_UNDEF => Target::Undefined,
            SHN_ABS => Target::Absolute(sym.value),
            section => Target::Section {
                object: at.object,
                section: section as usize,
                value: sym.value,
            },
        }
    }

    /// What relocation `rela` of `object` refers to (symbol 0: the value 0).
    pub fn reloc_target(&self, object: usize, rela: &elf::Rela) -> Target {
        if rela.symbol == 0 {
            Target::Absolute(0)
        } else {
            self.target(object, rela.symbol as usize)
        }
    }

    /// The definition a global name is bound to, if it is defined.
    pub fn definition(&self, name: &[u8]) -> Option<SymRef> {
        let global = self.globals.get(name)?;
        let sym = &self.objects[global.at.object].symbols[global.at.symbol];
        (!sym.is_undefined()).then_some(global.at)
    }

    /// `app.py:fib (section .text of program.o)`: the function or object
    /// whose bytes hold `offset` of a section, for messages.
    pub fn describe_place(&self, object: usize, section: usize, offset: u64) -> String {
        let obj = &self.objects[object];
        let section_name = String::from_utf8_lossy(obj.sections[section].name);
        let enclosing = obj.symbols.iter().find(|s| {
            s.shndx as usize == section
                && matches!(s.kind, elf::STT_FUNC | elf::STT_OBJECT)
                && s.value & !1 <= offset
                && offset < s.value.saturating_add(s.size.max(1))
        });
        match enclosing {
            Some(s) => format!(
                "`{}` (section {section_name} of {}, offset {offset:#x})",
                String::from_utf8_lossy(s.name),
                obj.name
            ),
            None => format!("section {section_name} of {}, offset {offset:#x}", obj.name),
        }
    }
}

/// An archive and the members already loaded from it.
struct Archive<'a> {
    name: &'a str,
    file: ArchiveFile<'a>,
    data: &'a [u8],
    /// Defined global symbol -> member (its header offset).
    index: HashMap<&'a [u8], u64>,
    /// For an archive without a symbol index, the members read to build
    /// one: header offset -> (name, contents).
    scanned: HashMap<u64, (String, &'a [u8])>,
    loaded: HashSet<u64>,
}

impl<'a> Archive<'a> {
    fn open(name: &'a str, data: &'a [u8]) -> Result<Archive<'a>, Error> {
        let bad = |what: String| Error::BadInput {
            file: name.to_string(),
            what,
        };
        let file =
            ArchiveFile::parse(data).map_err(|e| bad(format!("not a valid archive: {e}")))?;
        if file.is_thin() {
            return Err(bad("thin archives are not supported".to_string()));
        }
        let mut index = HashMap::new();
        let mut scanned = HashMap::new();
        match file
            .symbols()
            .map_err(|e| bad(format!("corrupt symbol index: {e}")))?
        {
            Some(symbols) => {
                for symbol in symbols {
                    let symbol = symbol.map_err(|e| bad(format!("corrupt symbol index: {e}")))?;
                    // The first member that defines a name wins, as in `ld`.
                    index.entry(symbol.name()).or_insert(symbol.offset().0);
                }
            }
            None => {
                // No index (`ar rcS`): read every member's symbol table.
                for (position, member) in file.members().enumerate() {
                    let member = member.map_err(|e| bad(format!("corrupt member: {e}")))?;
                    let bytes = member
                        .data(data)
                        .map_err(|e| bad(format!("corrupt member: {e}")))?;
                    if !bytes.starts_with(b"\x7fELF") {
                        continue;
                    }
                    let member_name = format!("{name}({})", String::from_utf8_lossy(member.name()));
                    let object = elf::parse(&member_name, bytes)?;
                    let key = position as u64;
                    for defined in elf::defined_globals(&object) {
                        index.entry(defined).or_insert(key);
                    }
                    scanned.insert(key, (member_name, bytes));
                }
            }
        }
        Ok(Archive {
            name,
            file,
            data,
            index,
            scanned,
            loaded: HashSet::new(),
        })
    }

    /// Reads the member `key` (from `index`) as an object, unless already
    /// loaded.
    fn load(&mut self, key: u64) -> Result<Option<Object<'a>>, Error> {
        if !self.loaded.insert(key) {
            return Ok(None);
        }
        if let Some((member_name, bytes)) = self.scanned.get(&key) {
            return elf::parse(member_name, bytes).map(Some);
        }
        let member = self
            .file
            .member(ArchiveOffset(key))
            .map_err(|e| Error::BadInput {
                file: self.name.to_string(),
                what: format!("corrupt member at offset {key}: {e}"),
            })?;
        let member_name = format!("{}({})", self.name, String::from_utf8_lossy(member.name()));
        let bytes = member.data(self.data).map_err(|e| Error::BadInput {
            file: member_name.clone(),
            what: format!("corrupt member: {e}"),
        })?;
        elf::parse(&member_name, bytes).map(Some)
    }
}

/// Reads the inputs, loads the archive members they need, binds every
/// reference and marks the sections reachable from `entry`.
pub fn resolve<'a>(
    objects: &'a [(String, &'a [u8])],
    archives: &'a [(String, &'a [u8])],
    entry: &str,
    machine: Machine,
    provided: &'static [&'static str],
) -> Result<Resolved<'a>, Error> {
    let mut state = State {
        machine,
        objects: Vec::new(),
        globals: HashMap::new(),
        pending: VecDeque::new(),
    };
    for (name, bytes) in objects {
        state.add(elf::parse(name, bytes)?)?;
    }
    let mut archives: Vec<Archive<'a>> = archives
        .iter()
        .map(|(name, bytes)| Archive::open(name, bytes))
        .collect::<Result<_, _>>()?;

    // The entry symbol is needed whether or not an object mentions it.
    if !state.globals.contains_key(entry.as_bytes()) {
        state.pending.push_back(entry.as_bytes().to_vec());
    }
    while let Some(name) = state.pending.pop_front() {
        if let Some(global) = state.globals.get(name.as_slice()) {
            let sym = &state.objects[global.at.object].symbols[global.at.symbol];
            if !sym.is_undefined() || !global.strong_ref {
                continue;
            }
        }
        for archive in &mut archives {
            let Some(&offset) = archive.index.get(name.as_slice()) else {
                continue;
            };
            if let Some(member) = archive.load(offset)? {
                state.add(member)?;
            }
            break;
        }
    }

    let mut resolved = Resolved {
        objects: state.objects,
        globals: state.globals,
        live: Vec::new(),
        kept_by: Vec::new(),
        entry: Target::Undefined,
        machine,
        provided,
    };
    resolved.entry = match resolved.definition(entry.as_bytes()) {
        Some(at) => resolved.target(at.object, at.symbol),
        None => Target::Undefined,
    };
    if !matches!(resolved.entry, Target::Section { .. }) {
        return Err(Error::NoEntry {
            symbol: entry.to_string(),
        });
    }
    mark_live(&mut resolved)?;
    Ok(resolved)
}

struct State<'a> {
    machine: Machine,
    objects: Vec<Object<'a>>,
    globals: HashMap<&'a [u8], Global>,
    /// Names that may still need an archive member.
    pending: VecDeque<Vec<u8>>,
}

impl<'a> State<'a> {
    /// Adds an object's global symbols to the table.
    fn add(&mut self, object: Object<'a>) -> Result<(), Error> {
        if object.machine != self.machine.elf_machine() {
            return Err(Error::BadInput {
                file: object.name.clone(),
                what: format!(
                    "an object for machine {} (this link is for {}, machine {})",
                    object.machine,
                    self.machine.name(),
                    self.machine.elf_machine()
                ),
            });
        }
        let index = self.objects.len();
        for (i, sym) in object.symbols.iter().enumerate().skip(1) {
            if sym.is_local() {
                continue;
            }
            if sym.shndx == SHN_COMMON {
                return Err(Error::Unsupported {
                    what: format!(
                        "{}: common symbol `{}` (compile with -fno-common)",
                        object.name,
                        String::from_utf8_lossy(sym.name)
                    ),
                });
            }
            let here = SymRef {
                object: index,
                symbol: i,
            };
            let strong_ref = sym.is_undefined() && sym.bind != STB_WEAK;
            match self.globals.get_mut(sym.name) {
                None => {
                    self.globals.insert(
                        sym.name,
                        Global {
                            at: here,
                            strong_ref,
                        },
                    );
                    if strong_ref {
                        self.pending.push_back(sym.name.to_vec());
                    }
                }
                Some(global) => {
                    let current = if global.at.object == index {
                        &object.symbols[global.at.symbol]
                    } else {
                        &self.objects[global.at.object].symbols[global.at.symbol]
                    };
                    if sym.is_undefined() {
                        if strong_ref && !global.strong_ref {
                            global.strong_ref = true;
                            self.pending.push_back(sym.name.to_vec());
                        }
                    } else if current.is_undefined() || (current.is_weak() && !sym.is_weak()) {
                        global.at = here;
                    } else if !current.is_weak() && !sym.is_weak() {
                        let first = if global.at.object == index {
                            object.name.clone()
                        } else {
                            self.objects[global.at.object].name.clone()
                        };
                        return Err(Error::Duplicate {
                            symbol: String::from_utf8_lossy(sym.name).into_owned(),
                            first,
                            second: object.name.clone(),
                        });
                    }
                }
            }
        }
        self.objects.push(object);
        Ok(())
    }
}

/// Marks every section reachable from the entry point through relocations
/// (and those that ask to be kept, `SHF_GNU_RETAIN`); checks on the way
/// that each live relocation has a known type and a defined symbol.
fn mark_live(resolved: &mut Resolved<'_>) -> Result<(), Error> {
    let mut live: Vec<Vec<bool>> = resolved
        .objects
        .iter()
        .map(|o| vec![false; o.sections.len()])
        .collect();
    let mut kept_by: Vec<Vec<Option<SectionRef>>> =
        live.iter().map(|l| vec![None; l.len()]).collect();
    // (object, section, the section that reached it)
    let mut work: Vec<(usize, usize, Option<SectionRef>)> = Vec::new();
    if let Target::Section {
        object, section, ..
    } = resolved.entry
    {
        work.push((object, section, None));
    }
    for (o, object) in resolved.objects.iter().enumerate() {
        for (s, section) in object.sections.iter().enumerate() {
            if section.is_alloc() && section.flags & SHF_GNU_RETAIN != 0 {
                work.push((o, s, None));
            }
        }
    }

    while let Some((o, s, from)) = work.pop() {
        if std::mem::replace(&mut live[o][s], true) {
            continue;
        }
        kept_by[o][s] = from;
        let object = &resolved.objects[o];
        let section = &object.sections[s];
        let section_name = || String::from_utf8_lossy(section.name).into_owned();
        if !section.is_alloc() {
            return Err(Error::Unsupported {
                what: format!(
                    "a loaded section refers to section {} of {}, which is not loaded",
                    section_name(),
                    object.name
                ),
            });
        }
        if section.flags & SHF_TLS != 0 {
            return Err(Error::Unsupported {
                what: format!(
                    "{}: thread-local storage (section {}) is not supported",
                    object.name,
                    section_name()
                ),
            });
        }
        for rela in &section.relocs {
            if !resolved.machine.knows_relocation(rela.r_type) {
                return Err(Error::UnknownRelocation {
                    r_type: resolved.machine.relocation_name(rela.r_type),
                    section: section_name(),
                    file: object.name.clone(),
                });
            }
            match resolved.reloc_target(o, rela) {
                Target::Section {
                    object, section, ..
                } => {
                    if !live[object][section] {
                        work.push((object, section, Some((o, s))));
                    }
                }
                Target::Undefined => {
                    let name = resolved.objects[o].symbols[rela.symbol as usize].name;
                    return Err(Error::Undefined {
                        symbol: String::from_utf8_lossy(name).into_owned(),
                        referenced_by: resolved.describe_place(o, s, rela.offset),
                    });
                }
                Target::Absolute(_) | Target::Provided(_) | Target::UndefinedWeak => {}
            }
        }
    }
    resolved.live = live;
    resolved.kept_by = kept_by;
    Ok(())
}
