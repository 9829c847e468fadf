//! Reading ELF little-endian relocatable objects (`ET_REL`): ELF64 for
//! x86-64 (RELA relocations) and ELF32 for ARM (REL relocations, whose
//! addends are read from the fields they patch). The sections, symbols and
//! relocations a static linker needs, every offset and index checked
//! against the file so that a truncated or corrupt object is an error
//! message, never a panic.

use super::{arm, Error};

// ELF constants (System V ABI, "Object Files").
pub const ET_REL: u16 = 1;
pub const ET_EXEC: u16 = 2;
pub const EM_ARM: u16 = 40;
pub const EM_X86_64: u16 = 62;

pub const SHT_NULL: u32 = 0;
pub const SHT_PROGBITS: u32 = 1;
pub const SHT_SYMTAB: u32 = 2;
pub const SHT_STRTAB: u32 = 3;
pub const SHT_RELA: u32 = 4;
pub const SHT_NOBITS: u32 = 8;
pub const SHT_REL: u32 = 9;
pub const SHT_SYMTAB_SHNDX: u32 = 18;

pub const SHF_WRITE: u64 = 1 << 0;
pub const SHF_ALLOC: u64 = 1 << 1;
pub const SHF_EXECINSTR: u64 = 1 << 2;
pub const SHF_TLS: u64 = 1 << 10;
pub const SHF_GNU_RETAIN: u64 = 1 << 21;

pub const SHN_UNDEF: u32 = 0;
pub const SHN_LORESERVE: u32 = 0xff00;
pub const SHN_ABS: u32 = 0xfff1;
pub const SHN_COMMON: u32 = 0xfff2;
pub const SHN_XINDEX: u32 = 0xffff;

pub const STB_LOCAL: u8 = 0;
pub const STB_GLOBAL: u8 = 1;
pub const STB_WEAK: u8 = 2;

pub const STT_NOTYPE: u8 = 0;
pub const STT_OBJECT: u8 = 1;
pub const STT_FUNC: u8 = 2;

pub const PT_LOAD: u32 = 1;
pub const PT_GNU_STACK: u32 = 0x6474_e551;
pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;

pub const EHDR_SIZE: usize = 64;
pub const SHDR_SIZE: usize = 64;
pub const PHDR_SIZE: usize = 56;
pub const SYM_SIZE: usize = 24;
pub const RELA_SIZE: usize = 24;

/// The ELF32 sizes (ARM).
pub const EHDR32_SIZE: usize = 52;
pub const SHDR32_SIZE: usize = 40;
pub const PHDR32_SIZE: usize = 32;
pub const SYM32_SIZE: usize = 16;
pub const REL32_SIZE: usize = 8;
pub const RELA32_SIZE: usize = 12;

/// One relocatable object, borrowed from the bytes it was read from.
pub struct Object<'a> {
    /// How messages name it: `program.o`, `libpyaot_rt.a(memcpy.o)`.
    pub name: String,
    pub machine: u16,
    /// Indexed by ELF section index (index 0 is the null section).
    pub sections: Vec<Section<'a>>,
    /// Indexed by ELF symbol index (index 0 is the null symbol).
    pub symbols: Vec<Symbol<'a>>,
}

pub struct Section<'a> {
    pub name: &'a [u8],
    pub sh_type: u32,
    pub flags: u64,
    pub align: u64,
    pub size: u64,
    /// The contents (empty for `SHT_NOBITS`).
    pub data: &'a [u8],
    /// The relocations that patch this section (from its `SHT_RELA`).
    pub relocs: Vec<Rela>,
}

impl Section<'_> {
    /// Occupies memory in the running program.
    pub fn is_alloc(&self) -> bool {
        self.flags & SHF_ALLOC != 0
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Rela {
    pub offset: u64,
    pub symbol: u32,
    pub r_type: u32,
    pub addend: i64,
}

pub struct Symbol<'a> {
    pub name: &'a [u8],
    pub bind: u8,
    pub kind: u8,
    /// Section index, or one of `SHN_UNDEF`, `SHN_ABS`, `SHN_COMMON`
    /// (`SHN_XINDEX` already resolved).
    pub shndx: u32,
    pub value: u64,
    pub size: u64,
}

impl Symbol<'_> {
    pub fn is_local(&self) -> bool {
        self.bind == STB_LOCAL
    }

    pub fn is_undefined(&self) -> bool {
        self.shndx == SHN_UNDEF
    }

    pub fn is_weak(&self) -> bool {
        self.bind == STB_WEAK
    }
}

/// Little-endian reads that fail with a description instead of panicking.
struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn bytes(&self, offset: u64, len: u64) -> Option<&'a [u8]> {
        let start = usize::try_from(offset).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        self.data.get(start..end)
    }

    fn u8(&self, offset: u64) -> Option<u8> {
        self.bytes(offset, 1).map(|b| b[0])
    }

    fn u16(&self, offset: u64) -> Option<u16> {
        self.bytes(offset, 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&self, offset: u64) -> Option<u32> {
        self.bytes(offset, 4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    fn u64(&self, offset: u64) -> Option<u64> {
        self.bytes(offset, 8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

/// A raw section header.
struct Shdr {
    name: u32,
    sh_type: u32,
    flags: u64,
    offset: u64,
    size: u64,
    link: u32,
    info: u32,
    align: u64,
    entsize: u64,
}

/// The field layout of one ELF class.
#[derive(Clone, Copy)]
struct Class {
    wide: bool,
}

impl Class {
    fn shdr_size(self) -> usize {
        if self.wide {
            SHDR_SIZE
        } else {
            SHDR32_SIZE
        }
    }

    fn sym_size(self) -> usize {
        if self.wide {
            SYM_SIZE
        } else {
            SYM32_SIZE
        }
    }

    /// A word of the class (an address, offset or size) at `offset`.
    fn word(self, r: &Reader<'_>, offset: u64) -> Option<u64> {
        if self.wide {
            r.u64(offset)
        } else {
            r.u32(offset).map(u64::from)
        }
    }
}

/// Parses `data` as an ELF little-endian relocatable object called `name`:
/// ELF64 (x86-64) or ELF32 (ARM).
pub fn parse<'a>(name: &str, data: &'a [u8]) -> Result<Object<'a>, Error> {
    let bad = |what: String| Error::BadInput {
        file: name.to_string(),
        what,
    };
    let truncated = || bad("the file is truncated".to_string());
    let r = Reader { data };

    if data.len() < 4 || &data[..4] != b"\x7fELF" {
        return Err(bad("not an ELF file".to_string()));
    }
    if data.len() < EHDR_SIZE {
        return Err(truncated());
    }
    if !matches!(data[4], 1 | 2) || data[5] != 1 {
        return Err(bad(
            "not a little-endian ELF file (pyaot links x86-64 and ARM objects)".to_string(),
        ));
    }
    let class = Class { wide: data[4] == 2 };
    let e_type = r.u16(16).ok_or_else(truncated)?;
    if e_type != ET_REL {
        return Err(bad(format!(
            "not a relocatable object (ELF type {e_type}, expected {ET_REL})"
        )));
    }
    let machine = r.u16(18).ok_or_else(truncated)?;
    // e_shoff, then (after e_flags, e_ehsize, e_phentsize, e_phnum) the
    // section header fields.
    let (shoff_at, shentsize_at) = if class.wide { (40, 58) } else { (32, 46) };
    let shoff = class.word(&r, shoff_at).ok_or_else(truncated)?;
    let shentsize = r.u16(shentsize_at).ok_or_else(truncated)?;
    let mut shnum = u32::from(r.u16(shentsize_at + 2).ok_or_else(truncated)?);
    let mut shstrndx = u32::from(r.u16(shentsize_at + 4).ok_or_else(truncated)?);
    let shdr_size = class.shdr_size();
    if shoff == 0 {
        return Err(bad("the object has no section header table".to_string()));
    }
    if usize::from(shentsize) != shdr_size {
        return Err(bad(format!(
            "section headers of {shentsize} bytes, expected {shdr_size}"
        )));
    }
    // Extended numbering: the real counts live in section header 0.
    if shnum == 0 || shstrndx == SHN_XINDEX {
        let (size_at, link_at) = if class.wide { (32, 40) } else { (20, 24) };
        let size0 = class.word(&r, shoff + size_at).ok_or_else(truncated)?;
        let link0 = r.u32(shoff + link_at).ok_or_else(truncated)?;
        if shnum == 0 {
            shnum = u32::try_from(size0)
                .map_err(|_| bad(format!("an impossible section count {size0}")))?;
        }
        if shstrndx == SHN_XINDEX {
            shstrndx = link0;
        }
    }

    let table_len = u64::from(shnum) * shdr_size as u64;
    if r.bytes(shoff, table_len).is_none() {
        return Err(truncated());
    }
    let headers: Vec<Shdr> = (0..u64::from(shnum))
        .map(|i| {
            let at = shoff + i * shdr_size as u64;
            // In bounds: the whole table was checked above.
            let word = |offset| class.word(&r, at + offset).unwrap_or(0);
            let half = |offset| r.u32(at + offset).unwrap_or(0);
            if class.wide {
                Shdr {
                    name: half(0),
                    sh_type: half(4),
                    flags: word(8),
                    offset: word(24),
                    size: word(32),
                    link: half(40),
                    info: half(44),
                    align: word(48),
                    entsize: word(56),
                }
            } else {
                Shdr {
                    name: half(0),
                    sh_type: half(4),
                    flags: word(8),
                    offset: word(16),
                    size: word(20),
                    link: half(24),
                    info: half(28),
                    align: word(32),
                    entsize: word(36),
                }
            }
        })
        .collect();

    let contents = |index: usize| -> Result<&'a [u8], Error> {
        let h = &headers[index];
        if h.sh_type == SHT_NOBITS || h.sh_type == SHT_NULL {
            return Ok(&[]);
        }
        r.bytes(h.offset, h.size).ok_or_else(|| {
            bad(format!(
                "section {index} (offset {:#x}, size {:#x}) lies outside the file",
                h.offset, h.size
            ))
        })
    };
    let string_at = |table: &'a [u8], offset: u32, what: &str| -> Result<&'a [u8], Error> {
        let tail = table
            .get(offset as usize..)
            .ok_or_else(|| bad(format!("the name of {what} lies outside its string table")))?;
        let end = tail
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| bad(format!("the name of {what} is not NUL-terminated")))?;
        Ok(&tail[..end])
    };

    let shstrtab: &[u8] = if shstrndx == SHN_UNDEF {
        &[]
    } else if (shstrndx as usize) < headers.len() {
        contents(shstrndx as usize)?
    } else {
        return Err(bad(format!(
            "the section name table index {shstrndx} is out of range"
        )));
    };

    let mut sections = Vec::with_capacity(headers.len());
    for (index, h) in headers.iter().enumerate() {
        let name = if index == 0 {
            &[][..]
        } else {
            string_at(shstrtab, h.name, &format!("section {index}"))?
        };
        if h.sh_type != SHT_NOBITS && h.sh_type != SHT_NULL {
            contents(index)?;
        }
        if h.align > 1 && !h.align.is_power_of_two() {
            return Err(bad(format!(
                "section {} has alignment {}, not a power of two",
                String::from_utf8_lossy(name),
                h.align
            )));
        }
        sections.push(Section {
            name,
            sh_type: h.sh_type,
            flags: h.flags,
            align: h.align.max(1),
            size: h.size,
            data: contents(index)?,
            relocs: Vec::new(),
        });
    }
    let names: Vec<&[u8]> = sections.iter().map(|s: &Section<'a>| s.name).collect();
    let section_name = |index: usize| String::from_utf8_lossy(names[index]).into_owned();

    // The symbol table (a relocatable object has at most one).
    let mut symbols = Vec::new();
    if let Some(symtab) = headers.iter().position(|h| h.sh_type == SHT_SYMTAB) {
        let h = &headers[symtab];
        let sym_size = class.sym_size();
        if h.entsize != sym_size as u64 {
            return Err(bad(format!(
                "symbol table entries of {} bytes, expected {sym_size}",
                h.entsize
            )));
        }
        let table = contents(symtab)?;
        let strtab_index = h.link as usize;
        if strtab_index == 0
            || strtab_index >= headers.len()
            || headers[strtab_index].sh_type != SHT_STRTAB
        {
            return Err(bad(format!(
                "the symbol table links to section {strtab_index}, which is not a string table"
            )));
        }
        let strtab = contents(strtab_index)?;
        let shndx_table = match headers
            .iter()
            .position(|h| h.sh_type == SHT_SYMTAB_SHNDX && h.link as usize == symtab)
        {
            Some(index) => Some(contents(index)?),
            None => None,
        };
        let t = Reader { data: table };
        let count = table.len() / sym_size;
        symbols.reserve(count);
        // Elf64_Sym: name, info, other, shndx, value, size;
        // Elf32_Sym: name, value, size, info, other, shndx.
        let (value_at, size_at, info_at, shndx_at) = if class.wide {
            (8, 16, 4, 6)
        } else {
            (4, 8, 12, 14)
        };
        for i in 0..count {
            let at = (i * sym_size) as u64;
            let st_name = t.u32(at).ok_or_else(truncated)?;
            let info = t.u8(at + info_at).ok_or_else(truncated)?;
            let mut shndx = u32::from(t.u16(at + shndx_at).ok_or_else(truncated)?);
            let value = class.word(&t, at + value_at).ok_or_else(truncated)?;
            let size = class.word(&t, at + size_at).ok_or_else(truncated)?;
            let name = string_at(strtab, st_name, &format!("symbol {i}"))?;
            if shndx == SHN_XINDEX {
                shndx = shndx_table
                    .and_then(|x| Reader { data: x }.u32(i as u64 * 4))
                    .ok_or_else(|| {
                        bad(format!(
                            "symbol {} has an extended section index but no index table",
                            String::from_utf8_lossy(name)
                        ))
                    })?;
            } else if (SHN_LORESERVE..=0xffff).contains(&shndx)
                && shndx != SHN_ABS
                && shndx != SHN_COMMON
            {
                return Err(bad(format!(
                    "symbol {} has the reserved section index {shndx:#x}",
                    String::from_utf8_lossy(name)
                )));
            }
            if shndx != SHN_UNDEF
                && shndx != SHN_ABS
                && shndx != SHN_COMMON
                && shndx as usize >= sections.len()
            {
                return Err(bad(format!(
                    "symbol {} is in section {shndx}, which does not exist",
                    String::from_utf8_lossy(name)
                )));
            }
            symbols.push(Symbol {
                name,
                bind: info >> 4,
                kind: info & 0xf,
                shndx,
                value,
                size,
            });
        }
    }

    // Relocations, attached to the sections they patch: RELA (x86-64) or
    // REL (ARM, the addend in the field).
    for (index, h) in headers.iter().enumerate() {
        let explicit = match h.sh_type {
            SHT_RELA => true,
            SHT_REL if machine == EM_ARM => false,
            SHT_REL => {
                return Err(bad(format!(
                    "section {} holds REL relocations; x86-64 objects use RELA",
                    section_name(index)
                )))
            }
            _ => continue,
        };
        let target = h.info as usize;
        if target == 0 || target >= sections.len() {
            return Err(bad(format!(
                "relocation section {} applies to section {target}, which does not exist",
                section_name(index)
            )));
        }
        let entry_size = match (class.wide, explicit) {
            (true, true) => RELA_SIZE,
            (true, false) => 16,
            (false, true) => RELA32_SIZE,
            (false, false) => REL32_SIZE,
        };
        if h.entsize != entry_size as u64 {
            return Err(bad(format!(
                "relocation section {} has entries of {} bytes, expected {entry_size}",
                section_name(index),
                h.entsize
            )));
        }
        let table = Reader {
            data: contents(index)?,
        };
        let count = table.data.len() / entry_size;
        let mut relocs = Vec::with_capacity(count);
        for i in 0..count {
            let at = (i * entry_size) as u64;
            let word_size = if class.wide { 8 } else { 4 };
            let offset = class.word(&table, at).ok_or_else(truncated)?;
            let info = class.word(&table, at + word_size).ok_or_else(truncated)?;
            let (symbol, r_type) = if class.wide {
                ((info >> 32) as u32, info as u32)
            } else {
                ((info >> 8) as u32, info as u32 & 0xff)
            };
            if symbol as usize >= symbols.len().max(1) {
                return Err(bad(format!(
                    "a relocation of section {} names symbol {symbol}, which does not exist",
                    section_name(target)
                )));
            }
            let addend = if explicit {
                let raw = class
                    .word(&table, at + 2 * word_size)
                    .ok_or_else(truncated)?;
                if class.wide {
                    raw as i64
                } else {
                    i64::from(raw as u32 as i32)
                }
            } else {
                // A type the linker does not know keeps 0; it is refused
                // when its section turns out to be live.
                match arm::classify(r_type) {
                    Some(kind) => arm::implicit_addend(kind, sections[target].data, offset)
                        .ok_or_else(|| {
                            bad(format!(
                                "a relocation at offset {offset:#x} lies outside section {}",
                                section_name(target)
                            ))
                        })?,
                    None => 0,
                }
            };
            relocs.push(Rela {
                offset,
                symbol,
                r_type,
                addend,
            });
        }
        if sections[target].relocs.is_empty() {
            sections[target].relocs = relocs;
        } else {
            sections[target].relocs.extend(relocs);
        }
    }

    Ok(Object {
        name: name.to_string(),
        machine,
        sections,
        symbols,
    })
}

/// The symbols an object defines for others (global or weak, in a section
/// or absolute), for an archive without a symbol index.
pub fn defined_globals<'o, 'a>(object: &'o Object<'a>) -> impl Iterator<Item = &'a [u8]> + 'o {
    object
        .symbols
        .iter()
        .filter(|s| !s.is_local() && !s.is_undefined() && s.shndx != SHN_COMMON)
        .map(|s| s.name)
}
