//! Laying out the live sections into segments, relocating them and writing
//! the executable: ELF header, program headers, the loadable bytes, then a
//! symbol table and section headers for tools.

use std::collections::HashMap;

use super::elf::{Section, EHDR_SIZE, EM_X86_64, ET_EXEC, PHDR_SIZE, SHDR_SIZE, SYM_SIZE};
use super::elf::{PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE};
use super::elf::{SHN_ABS, SHT_NOBITS, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB};
use super::elf::{STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FUNC, STT_NOTYPE, STT_OBJECT};
use super::resolve::{Resolved, Target};
use super::x86_64::{self, ApplyError, Definition};
use super::Error;

/// Where a non-PIE x86-64 executable starts, as with `ld`.
const BASE_ADDRESS: u64 = 0x40_0000;
/// The page size segments are aligned to.
const PAGE: u64 = 0x1000;
/// Relaxed GOT loads become 32-bit immediates: the image must stay below 2 GiB.
const ADDRESS_LIMIT: u64 = 0x8000_0000;
/// The largest section alignment accepted (1 MiB; compilers ask for at most
/// a page or two).
const MAX_ALIGN: u64 = 0x10_0000;

/// The output sections, in address order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Out {
    Rodata,
    /// Constants that hold addresses: read-only once linked statically.
    RelRo,
    Got,
    Text,
    Data,
    Bss,
}

impl Out {
    const ALL: [Out; 6] = [
        Out::Rodata,
        Out::RelRo,
        Out::Got,
        Out::Text,
        Out::Data,
        Out::Bss,
    ];

    fn name(self) -> &'static str {
        match self {
            Out::Rodata => ".rodata",
            Out::RelRo => ".data.rel.ro",
            Out::Got => ".got",
            Out::Text => ".text",
            Out::Data => ".data",
            Out::Bss => ".bss",
        }
    }

    fn segment(self) -> Segment {
        match self {
            Out::Rodata | Out::RelRo | Out::Got => Segment::ReadOnly,
            Out::Text => Segment::Code,
            Out::Data | Out::Bss => Segment::Writable,
        }
    }

    fn flags(self) -> u64 {
        match self.segment() {
            Segment::ReadOnly => SHF_ALLOC,
            Segment::Code => SHF_ALLOC | SHF_EXECINSTR,
            Segment::Writable => SHF_ALLOC | SHF_WRITE,
        }
    }

    /// Which output section an input section joins.
    fn of(section: &Section<'_>) -> Out {
        if section.sh_type == SHT_NOBITS {
            Out::Bss
        } else if section.flags & SHF_EXECINSTR != 0 {
            Out::Text
        } else if section.flags & SHF_WRITE != 0 {
            if section.name.starts_with(b".data.rel.ro") {
                Out::RelRo
            } else {
                Out::Data
            }
        } else {
            Out::Rodata
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Segment {
    ReadOnly,
    Code,
    Writable,
}

impl Segment {
    fn flags(self) -> u32 {
        match self {
            Segment::ReadOnly => PF_R,
            Segment::Code => PF_R | PF_X,
            Segment::Writable => PF_R | PF_W,
        }
    }
}

/// An output section once laid out.
#[derive(Clone, Debug, Default)]
struct OutSection {
    /// Some input section (or GOT slot) lands here, if only an empty one.
    used: bool,
    align: u64,
    size: u64,
    address: u64,
    file_offset: u64,
    /// The contents (none for `.bss`).
    bytes: Vec<u8>,
}

/// Where an input section landed: its output section and offset there.
#[derive(Clone, Copy, Debug)]
struct Placement {
    out: Out,
    offset: u64,
}

struct Image<'r, 'a> {
    resolved: &'r Resolved<'a>,
    placement: Vec<Vec<Option<Placement>>>,
    outs: HashMap<Out, OutSection>,
    /// GOT slots, in order, and the index of each target's slot.
    got: Vec<Target>,
    got_index: HashMap<Target, usize>,
}

/// Lays out, relocates and writes the executable; with `map`, also
/// describes where each kept section went and why it was kept.
pub fn build(resolved: &Resolved<'_>, map: bool) -> Result<(Vec<u8>, Option<String>), Error> {
    let mut image = Image {
        resolved,
        placement: resolved
            .objects
            .iter()
            .map(|o| vec![None; o.sections.len()])
            .collect(),
        outs: Out::ALL
            .iter()
            .map(|&out| {
                (
                    out,
                    OutSection {
                        align: 1,
                        ..OutSection::default()
                    },
                )
            })
            .collect(),
        got: Vec::new(),
        got_index: HashMap::new(),
    };
    image.place_sections()?;
    image.plan_got();
    let segments = image.assign_addresses()?;
    image.fill_sections();
    image.relocate()?;
    let text = map.then(|| image.map());
    Ok((image.write(&segments), text))
}

/// A loadable segment: which output sections, and where.
struct SegmentLayout {
    kind: Segment,
    file_offset: u64,
    address: u64,
    file_size: u64,
    memory_size: u64,
    align: u64,
}

/// `value` rounded up to a multiple of `align`; saturates, so that absurd
/// sizes in a corrupt input reach the size limit instead of wrapping.
fn align_up(value: u64, align: u64) -> u64 {
    value
        .checked_next_multiple_of(align.max(1))
        .unwrap_or(u64::MAX)
}

impl Image<'_, '_> {
    fn out(&mut self, out: Out) -> &mut OutSection {
        self.outs
            .get_mut(&out)
            .expect("every output section exists")
    }

    /// Gives each live section its offset in its output section, inputs in
    /// command-line and load order.
    fn place_sections(&mut self) -> Result<(), Error> {
        let resolved = self.resolved;
        for (o, object) in resolved.objects.iter().enumerate() {
            for (s, section) in object.sections.iter().enumerate() {
                if !resolved.live[o][s] {
                    continue;
                }
                let out = Out::of(section);
                let target = self.out(out);
                let offset = align_up(target.size, section.align);
                target.size = offset.saturating_add(section.size);
                target.align = target.align.max(section.align);
                target.used = true;
                if target.size > ADDRESS_LIMIT || section.align > MAX_ALIGN {
                    return Err(Error::Unsupported {
                        what: format!(
                            "{}: section {} (size {:#x}, alignment {:#x}) does not fit in a \
                             2 GiB executable with 1 MiB alignment at most",
                            object.name,
                            String::from_utf8_lossy(section.name),
                            section.size,
                            section.align
                        ),
                    });
                }
                self.placement[o][s] = Some(Placement { out, offset });
            }
        }
        Ok(())
    }

    /// One GOT slot for each symbol a GOT load refers to that cannot be
    /// relaxed into a direct reference.
    fn plan_got(&mut self) {
        let resolved = self.resolved;
        for (o, object) in resolved.objects.iter().enumerate() {
            for (s, section) in object.sections.iter().enumerate() {
                if !resolved.live[o][s] {
                    continue;
                }
                for rela in &section.relocs {
                    let Some(kind) = x86_64::classify(rela.r_type) else {
                        continue;
                    };
                    if !kind.needs_got() {
                        continue;
                    }
                    let target = resolved.reloc_target(o, rela);
                    if x86_64::relax(
                        kind,
                        section.data,
                        rela.offset,
                        rela.addend,
                        definition(target),
                    )
                    .is_some()
                    {
                        continue;
                    }
                    if !self.got_index.contains_key(&target) {
                        self.got_index.insert(target, self.got.len());
                        self.got.push(target);
                    }
                }
            }
        }
        let size = self.got.len() as u64 * 8;
        let got = self.out(Out::Got);
        got.size = size;
        got.align = 8;
        got.used = size > 0;
    }

    /// The loadable segments that are not empty, in address order.
    fn segments_used(&self) -> Vec<Segment> {
        let mut used = vec![Segment::ReadOnly]; // holds the ELF headers
        for kind in [Segment::Code, Segment::Writable] {
            if Out::ALL
                .iter()
                .any(|&o| o.segment() == kind && self.outs[&o].used)
            {
                used.push(kind);
            }
        }
        used
    }

    /// File offsets and addresses: the file is contiguous (no page
    /// padding), each segment starts on a new page in memory at an address
    /// congruent to its file offset.
    fn assign_addresses(&mut self) -> Result<Vec<SegmentLayout>, Error> {
        let used = self.segments_used();
        let headers = (EHDR_SIZE + PHDR_SIZE * (used.len() + 1)) as u64;
        let mut file_offset = headers;
        let mut address_end = BASE_ADDRESS + headers;
        let mut layouts = Vec::new();
        for kind in used {
            let members: Vec<Out> = Out::ALL
                .iter()
                .copied()
                .filter(|&o| o.segment() == kind && self.outs[&o].used)
                .collect();
            let align = members
                .iter()
                .map(|o| self.outs[o].align)
                .fold(PAGE, u64::max);
            let (start_offset, start_address) = if kind == Segment::ReadOnly {
                (0, BASE_ADDRESS)
            } else {
                let first_align = members.first().map_or(1, |o| self.outs[o].align);
                let offset = align_up(file_offset, first_align);
                (offset, align_up(address_end, align) + offset % align)
            };
            let delta = start_address - start_offset;
            let mut end_offset = if kind == Segment::ReadOnly {
                headers
            } else {
                start_offset
            };
            let mut end_address = start_address + (end_offset - start_offset);
            for out in members {
                let section = self.out(out);
                if out == Out::Bss {
                    section.address = align_up(end_address, section.align);
                    section.file_offset = end_offset;
                    end_address = section.address + section.size;
                } else {
                    section.file_offset = align_up(end_offset, section.align);
                    section.address = section.file_offset + delta;
                    end_offset = section.file_offset + section.size;
                    end_address = section.address + section.size;
                }
            }
            layouts.push(SegmentLayout {
                kind,
                file_offset: start_offset,
                address: start_address,
                file_size: end_offset - start_offset,
                memory_size: end_address - start_address,
                align,
            });
            file_offset = end_offset;
            address_end = end_address;
        }
        if address_end > ADDRESS_LIMIT {
            return Err(Error::Unsupported {
                what: format!(
                    "the program needs {} MiB of memory image; the limit is 2 GiB",
                    (address_end - BASE_ADDRESS) >> 20
                ),
            });
        }
        Ok(layouts)
    }

    /// The address of an input section (live, hence placed).
    fn section_address(&self, object: usize, section: usize) -> Option<u64> {
        let placement = self.placement[object][section]?;
        Some(self.outs[&placement.out].address + placement.offset)
    }

    fn address_of(&self, target: Target) -> u64 {
        match target {
            Target::Section {
                object,
                section,
                value,
            } => self
                .section_address(object, section)
                .map_or(0, |base| base.wrapping_add(value)),
            Target::Absolute(value) => value,
            // x86-64 links provide no symbols.
            Target::Provided(_) | Target::UndefinedWeak | Target::Undefined => 0,
        }
    }

    /// Copies the live sections' bytes into their output sections and
    /// fills the GOT.
    fn fill_sections(&mut self) {
        for out in Out::ALL {
            if out != Out::Bss {
                let size = self.outs[&out].size as usize;
                self.out(out).bytes = vec![0; size];
            }
        }
        let resolved = self.resolved;
        for (o, object) in resolved.objects.iter().enumerate() {
            for (s, section) in object.sections.iter().enumerate() {
                let Some(placement) = self.placement[o][s] else {
                    continue;
                };
                if placement.out == Out::Bss {
                    continue;
                }
                let at = placement.offset as usize;
                let bytes = &mut self.out(placement.out).bytes;
                bytes[at..at + section.data.len()].copy_from_slice(section.data);
            }
        }
        let slots: Vec<u8> = self
            .got
            .iter()
            .flat_map(|&target| self.address_of(target).to_le_bytes())
            .collect();
        self.out(Out::Got).bytes = slots;
    }

    /// Applies every relocation of every live section.
    fn relocate(&mut self) -> Result<(), Error> {
        let resolved = self.resolved;
        for (o, object) in resolved.objects.iter().enumerate() {
            for (s, section) in object.sections.iter().enumerate() {
                let Some(placement) = self.placement[o][s] else {
                    continue;
                };
                if section.relocs.is_empty() {
                    continue;
                }
                let base = self.outs[&placement.out].address + placement.offset;
                let section_name = || String::from_utf8_lossy(section.name).into_owned();
                if placement.out == Out::Bss {
                    return Err(Error::BadInput {
                        file: object.name.clone(),
                        what: format!("section {} has no contents but relocations", section_name()),
                    });
                }
                // Work on a copy of the input section's bytes, then store it.
                let start = placement.offset as usize;
                let mut bytes =
                    self.outs[&placement.out].bytes[start..start + section.data.len()].to_vec();
                for rela in &section.relocs {
                    let Some(kind) = x86_64::classify(rela.r_type) else {
                        return Err(Error::UnknownRelocation {
                            r_type: x86_64::type_name(rela.r_type),
                            section: section_name(),
                            file: object.name.clone(),
                        });
                    };
                    let target = resolved.reloc_target(o, rela);
                    let relaxed = x86_64::relax(
                        kind,
                        section.data,
                        rela.offset,
                        rela.addend,
                        definition(target),
                    );
                    let got = self
                        .got_index
                        .get(&target)
                        .map(|&i| self.outs[&Out::Got].address + 8 * i as u64);
                    let place = base.wrapping_add(rela.offset);
                    let result = x86_64::apply(
                        kind,
                        &mut bytes,
                        rela.offset,
                        self.address_of(target),
                        rela.addend,
                        place,
                        got,
                        relaxed,
                    );
                    match result {
                        Ok(()) => {}
                        Err(ApplyError::Overflow { value }) => {
                            return Err(Error::Overflow {
                                r_type: x86_64::type_name(rela.r_type),
                                symbol: String::from_utf8_lossy(
                                    object.symbols[rela.symbol as usize].name,
                                )
                                .into_owned(),
                                place: resolved.describe_place(o, s, rela.offset),
                                value,
                            })
                        }
                        Err(ApplyError::OutOfBounds) => {
                            return Err(Error::BadInput {
                                file: object.name.clone(),
                                what: format!(
                                    "a relocation at offset {:#x} lies outside section {} \
                                     (size {:#x})",
                                    rela.offset,
                                    section_name(),
                                    section.size
                                ),
                            })
                        }
                    }
                }
                self.out(placement.out).bytes[start..start + bytes.len()].copy_from_slice(&bytes);
            }
        }
        Ok(())
    }

    /// The link map: each output section, then each kept input section at
    /// its address with its size, its first symbol and the section that
    /// first referred to it (follow those to see why something is linked).
    fn map(&self) -> String {
        use std::fmt::Write;
        let resolved = self.resolved;
        let describe = |o: usize, s: usize| -> String {
            let object = &resolved.objects[o];
            let section = &object.sections[s];
            let symbol = object
                .symbols
                .iter()
                .filter(|sym| sym.shndx as usize == s && !sym.name.is_empty())
                .filter(|sym| matches!(sym.kind, STT_FUNC | STT_OBJECT))
                .min_by_key(|sym| sym.value)
                .map(|sym| String::from_utf8_lossy(sym.name).into_owned());
            let name = String::from_utf8_lossy(section.name);
            match symbol {
                // `.text.foo` holding `foo`: `foo (.text)`.
                Some(symbol) => match name.strip_suffix(symbol.as_str()) {
                    Some(kind) if kind.ends_with('.') => {
                        format!(
                            "{symbol} ({}) in {}",
                            kind.trim_end_matches('.'),
                            object.name
                        )
                    }
                    _ => format!("{name} ({symbol}) in {}", object.name),
                },
                None => format!("{name} in {}", object.name),
            }
        };
        let mut placed: Vec<(u64, usize, usize)> = Vec::new();
        for (o, sections) in self.placement.iter().enumerate() {
            for (s, placement) in sections.iter().enumerate() {
                if let Some(p) = placement {
                    placed.push((self.outs[&p.out].address + p.offset, o, s));
                }
            }
        }
        placed.sort_unstable();
        let mut text = String::new();
        for out in Out::ALL {
            let section = &self.outs[&out];
            if section.used {
                let _ = writeln!(
                    text,
                    "{:<14} {:#010x} {:>8} bytes",
                    out.name(),
                    section.address,
                    section.size
                );
            }
        }
        let _ = writeln!(text, "{} GOT slots", self.got.len());
        let _ = writeln!(
            text,
            "\nlargest retained sizes (bytes linked in only because of this section):"
        );
        for (retained, o, s) in self.retained_sizes().into_iter().take(40) {
            let size = resolved.objects[o].sections[s].size;
            let _ = writeln!(text, "{retained:>8} {size:>8} {}", describe(o, s));
        }
        text.push('\n');
        for (address, o, s) in placed {
            let size = resolved.objects[o].sections[s].size;
            let why = match resolved.kept_by[o][s] {
                Some((from_o, from_s)) => describe(from_o, from_s),
                None => "a root (the entry point, or SHF_GNU_RETAIN)".to_string(),
            };
            let _ = writeln!(
                text,
                "{address:#010x} {size:>8} {}\n{:>20}kept for {why}",
                describe(o, s),
                ""
            );
        }
        text
    }

    /// For each live section, the bytes that would leave the executable with
    /// it: its size plus all it dominates in the reference graph from the
    /// entry point. Largest first.
    fn retained_sizes(&self) -> Vec<(u64, usize, usize)> {
        let resolved = self.resolved;
        // Node 0 is a virtual root above the entry point and retained sections.
        let mut nodes: Vec<(usize, usize)> = vec![(usize::MAX, usize::MAX)];
        let mut id: HashMap<(usize, usize), usize> = HashMap::new();
        for (o, sections) in self.placement.iter().enumerate() {
            for (s, placement) in sections.iter().enumerate() {
                if placement.is_some() {
                    id.insert((o, s), nodes.len());
                    nodes.push((o, s));
                }
            }
        }
        let mut successors: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (n, &(o, s)) in nodes.iter().enumerate().skip(1) {
            if resolved.kept_by[o][s].is_none() {
                successors[0].push(n);
            }
            for rela in &resolved.objects[o].sections[s].relocs {
                if let Target::Section {
                    object, section, ..
                } = resolved.reloc_target(o, rela)
                {
                    if let Some(&m) = id.get(&(object, section)) {
                        successors[n].push(m);
                    }
                }
            }
        }
        let idom = dominators(&successors);
        // Children before their dominators: reverse of the reverse postorder.
        let mut retained: Vec<u64> = nodes
            .iter()
            .map(|&(o, s)| {
                if o == usize::MAX {
                    0
                } else {
                    resolved.objects[o].sections[s].size
                }
            })
            .collect();
        for &(n, _) in idom.order.iter().rev() {
            if n != 0 {
                let parent = idom.parent[n];
                retained[parent] += retained[n];
            }
        }
        let mut list: Vec<(u64, usize, usize)> = idom
            .order
            .iter()
            .filter(|&&(n, _)| n != 0)
            .map(|&(n, _)| (retained[n], nodes[n].0, nodes[n].1))
            .collect();
        list.sort_by_key(|entry| std::cmp::Reverse(entry.0));
        list
    }

    /// The executable's bytes.
    fn write(&self, segments: &[SegmentLayout]) -> Vec<u8> {
        let present: Vec<Out> = Out::ALL
            .iter()
            .copied()
            .filter(|o| self.outs[o].used)
            .collect();
        // Section header indexes: 0 is null, then the output sections, then
        // .symtab, .strtab, .shstrtab.
        let shndx: HashMap<Out, u16> = present
            .iter()
            .enumerate()
            .map(|(i, &o)| (o, (i + 1) as u16))
            .collect();
        let (symtab, strtab, first_global) = self.symbol_table(&shndx);

        let loaded_end = segments
            .iter()
            .map(|s| s.file_offset + s.file_size)
            .max()
            .unwrap_or(0);
        let mut file = vec![0u8; loaded_end as usize];
        for out in &present {
            let section = &self.outs[out];
            let at = section.file_offset as usize;
            file[at..at + section.bytes.len()].copy_from_slice(&section.bytes);
        }

        let mut shstrtab = vec![0u8];
        let mut name_of = |name: &str| {
            let offset = shstrtab.len() as u32;
            shstrtab.extend_from_slice(name.as_bytes());
            shstrtab.push(0);
            offset
        };
        let mut headers: Vec<[u8; SHDR_SIZE]> = vec![[0; SHDR_SIZE]];
        for &out in &present {
            let s = &self.outs[&out];
            let sh_type = if out == Out::Bss {
                SHT_NOBITS
            } else {
                SHT_PROGBITS
            };
            headers.push(section_header(
                name_of(out.name()),
                sh_type,
                out.flags(),
                s.address,
                s.file_offset,
                s.size,
                0,
                0,
                s.align,
                0,
            ));
        }
        file.resize(align_up(file.len() as u64, 8) as usize, 0);
        let symtab_index = headers.len() as u32;
        headers.push(section_header(
            name_of(".symtab"),
            SHT_SYMTAB,
            0,
            0,
            file.len() as u64,
            symtab.len() as u64,
            symtab_index + 1,
            first_global,
            8,
            SYM_SIZE as u64,
        ));
        file.extend_from_slice(&symtab);
        headers.push(section_header(
            name_of(".strtab"),
            SHT_STRTAB,
            0,
            0,
            file.len() as u64,
            strtab.len() as u64,
            0,
            0,
            1,
            0,
        ));
        file.extend_from_slice(&strtab);
        let shstrtab_name = name_of(".shstrtab");
        headers.push(section_header(
            shstrtab_name,
            SHT_STRTAB,
            0,
            0,
            file.len() as u64,
            shstrtab.len() as u64,
            0,
            0,
            1,
            0,
        ));
        // `name_of` borrowed shstrtab mutably until here.
        file.extend_from_slice(&shstrtab);
        file.resize(align_up(file.len() as u64, 8) as usize, 0);
        let shoff = file.len() as u64;
        for header in &headers {
            file.extend_from_slice(header);
        }

        // The ELF header and program headers, in the first page.
        let entry = self.address_of(self.resolved.entry);
        let phnum = segments.len() + 1;
        let mut ehdr = Vec::with_capacity(EHDR_SIZE);
        ehdr.extend_from_slice(b"\x7fELF");
        ehdr.extend_from_slice(&[2, 1, 1, 0]); // 64-bit, little-endian, version 1, System V
        ehdr.extend_from_slice(&[0; 8]);
        ehdr.extend_from_slice(&ET_EXEC.to_le_bytes());
        ehdr.extend_from_slice(&EM_X86_64.to_le_bytes());
        ehdr.extend_from_slice(&1u32.to_le_bytes());
        ehdr.extend_from_slice(&entry.to_le_bytes());
        ehdr.extend_from_slice(&(EHDR_SIZE as u64).to_le_bytes()); // e_phoff
        ehdr.extend_from_slice(&shoff.to_le_bytes());
        ehdr.extend_from_slice(&0u32.to_le_bytes()); // e_flags
        ehdr.extend_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
        ehdr.extend_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
        ehdr.extend_from_slice(&(phnum as u16).to_le_bytes());
        ehdr.extend_from_slice(&(SHDR_SIZE as u16).to_le_bytes());
        ehdr.extend_from_slice(&(headers.len() as u16).to_le_bytes());
        ehdr.extend_from_slice(&(headers.len() as u16 - 1).to_le_bytes()); // .shstrtab
        file[..EHDR_SIZE].copy_from_slice(&ehdr);

        let mut at = EHDR_SIZE;
        for segment in segments {
            let phdr = program_header(
                PT_LOAD,
                segment.kind.flags(),
                segment.file_offset,
                segment.address,
                segment.file_size,
                segment.memory_size,
                segment.align,
            );
            file[at..at + PHDR_SIZE].copy_from_slice(&phdr);
            at += PHDR_SIZE;
        }
        // A non-executable stack.
        let stack = program_header(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
        file[at..at + PHDR_SIZE].copy_from_slice(&stack);
        file
    }

    /// `.symtab` and `.strtab`: the functions and data objects of every
    /// live section (local ones first, as ELF requires), with their final
    /// addresses; the index of the first global symbol.
    fn symbol_table(&self, shndx: &HashMap<Out, u16>) -> (Vec<u8>, Vec<u8>, u32) {
        let resolved = self.resolved;
        let mut strtab = vec![0u8];
        let mut locals: Vec<u8> = vec![0; SYM_SIZE];
        let mut globals: Vec<u8> = Vec::new();
        for (o, object) in resolved.objects.iter().enumerate() {
            for (i, sym) in object.symbols.iter().enumerate().skip(1) {
                if sym.name.is_empty()
                    || sym.name.starts_with(b".L")
                    || !matches!(sym.kind, STT_NOTYPE | STT_FUNC | STT_OBJECT)
                    || sym.is_undefined()
                {
                    continue;
                }
                let (index, address) = if sym.shndx == SHN_ABS {
                    (SHN_ABS as u16, sym.value)
                } else {
                    let s = sym.shndx as usize;
                    let Some(placement) = self.placement[o][s] else {
                        continue; // collected as garbage
                    };
                    let base = self.outs[&placement.out].address + placement.offset;
                    (shndx[&placement.out], base.wrapping_add(sym.value))
                };
                let bind = if sym.is_local() {
                    STB_LOCAL
                } else {
                    // Only the definition the name is bound to.
                    let winner = resolved.definition(sym.name);
                    if winner.is_none_or(|w| (w.object, w.symbol) != (o, i)) {
                        continue;
                    }
                    if sym.bind == STB_WEAK {
                        STB_WEAK
                    } else {
                        STB_GLOBAL
                    }
                };
                let name = strtab.len() as u32;
                strtab.extend_from_slice(sym.name);
                strtab.push(0);
                let table = if bind == STB_LOCAL {
                    &mut locals
                } else {
                    &mut globals
                };
                table.extend_from_slice(&name.to_le_bytes());
                table.push((bind << 4) | sym.kind);
                table.push(0); // default visibility
                table.extend_from_slice(&index.to_le_bytes());
                table.extend_from_slice(&address.to_le_bytes());
                table.extend_from_slice(&sym.size.to_le_bytes());
            }
        }
        let first_global = (locals.len() / SYM_SIZE) as u32;
        locals.extend_from_slice(&globals);
        (locals, strtab, first_global)
    }
}

/// The dominator tree of a graph from node 0.
struct Dominators {
    /// Reachable nodes in reverse postorder, with their position.
    order: Vec<(usize, usize)>,
    /// Immediate dominator of each reachable node (node 0: itself).
    parent: Vec<usize>,
}

/// Immediate dominators by the iterative algorithm of Cooper, Harvey and
/// Kennedy ("A Simple, Fast Dominance Algorithm", 2001).
fn dominators(successors: &[Vec<usize>]) -> Dominators {
    const NONE: usize = usize::MAX;
    let count = successors.len();
    // Postorder by an explicit-stack depth-first search.
    let mut postorder = Vec::with_capacity(count);
    let mut visited = vec![false; count];
    let mut stack = vec![(0usize, 0usize)];
    visited[0] = true;
    while let Some(&mut (node, ref mut next)) = stack.last_mut() {
        if let Some(&child) = successors[node].get(*next) {
            *next += 1;
            if !visited[child] {
                visited[child] = true;
                stack.push((child, 0));
            }
        } else {
            postorder.push(node);
            stack.pop();
        }
    }
    let mut position = vec![NONE; count];
    let order: Vec<(usize, usize)> = postorder
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &n)| {
            position[n] = i;
            (n, i)
        })
        .collect();
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (n, next) in successors.iter().enumerate() {
        if position[n] != NONE {
            for &m in next {
                predecessors[m].push(n);
            }
        }
    }
    let mut parent = vec![NONE; count];
    parent[0] = 0;
    let intersect = |parent: &[usize], mut a: usize, mut b: usize| {
        while a != b {
            while position[a] > position[b] {
                a = parent[a];
            }
            while position[b] > position[a] {
                b = parent[b];
            }
        }
        a
    };
    let mut changed = true;
    while changed {
        changed = false;
        for &(n, _) in order.iter().skip(1) {
            let mut new = NONE;
            for &p in &predecessors[n] {
                if parent[p] == NONE {
                    continue;
                }
                new = if new == NONE {
                    p
                } else {
                    intersect(&parent, p, new)
                };
            }
            if new != NONE && parent[n] != new {
                parent[n] = new;
                changed = true;
            }
        }
    }
    Dominators { order, parent }
}

/// What a GOT load's symbol is, for [`x86_64::relax`].
fn definition(target: Target) -> Definition {
    match target {
        Target::Section { .. } => Definition::InSection,
        Target::Absolute(_) => Definition::Absolute,
        Target::Provided(_) | Target::UndefinedWeak | Target::Undefined => Definition::Undefined,
    }
}

#[allow(clippy::too_many_arguments)]
fn section_header(
    name: u32,
    sh_type: u32,
    flags: u64,
    address: u64,
    offset: u64,
    size: u64,
    link: u32,
    info: u32,
    align: u64,
    entsize: u64,
) -> [u8; SHDR_SIZE] {
    let mut h = [0u8; SHDR_SIZE];
    h[0..4].copy_from_slice(&name.to_le_bytes());
    h[4..8].copy_from_slice(&sh_type.to_le_bytes());
    h[8..16].copy_from_slice(&flags.to_le_bytes());
    h[16..24].copy_from_slice(&address.to_le_bytes());
    h[24..32].copy_from_slice(&offset.to_le_bytes());
    h[32..40].copy_from_slice(&size.to_le_bytes());
    h[40..44].copy_from_slice(&link.to_le_bytes());
    h[44..48].copy_from_slice(&info.to_le_bytes());
    h[48..56].copy_from_slice(&align.to_le_bytes());
    h[56..64].copy_from_slice(&entsize.to_le_bytes());
    h
}

fn program_header(
    p_type: u32,
    flags: u32,
    offset: u64,
    address: u64,
    file_size: u64,
    memory_size: u64,
    align: u64,
) -> [u8; PHDR_SIZE] {
    let mut h = [0u8; PHDR_SIZE];
    h[0..4].copy_from_slice(&p_type.to_le_bytes());
    h[4..8].copy_from_slice(&flags.to_le_bytes());
    h[8..16].copy_from_slice(&offset.to_le_bytes());
    h[16..24].copy_from_slice(&address.to_le_bytes());
    h[24..32].copy_from_slice(&address.to_le_bytes()); // p_paddr
    h[32..40].copy_from_slice(&file_size.to_le_bytes());
    h[40..48].copy_from_slice(&memory_size.to_le_bytes());
    h[48..56].copy_from_slice(&align.to_le_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0 -> 1 -> 3 -> 4 and 0 -> 2 -> 3: only 0 dominates 3; 3 dominates 4.
    #[test]
    fn dominators_of_a_diamond() {
        let successors = vec![vec![1, 2], vec![3], vec![3], vec![4], vec![], vec![4]];
        let tree = dominators(&successors);
        assert_eq!(&tree.parent[..5], &[0, 0, 0, 0, 3]);
        assert_eq!(tree.order.len(), 5, "node 5 is unreachable");
    }
}
