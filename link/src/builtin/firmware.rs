//! Cortex-M firmware: the live sections laid out in flash and RAM, relocated
//! with the ARM relocations ([`super::arm`]) and written as an ELF32 image
//! that `qemu-system-arm -kernel` (or a flash programmer) loads.
//!
//! The layout is the one a GNU ld script for a microcontroller gives:
//!
//! ```text
//! flash  .vectors  the vector table (`__vectors`, section .vectors), at the flash origin
//!        .text     code: the program's, then the runtime's
//!        .rodata   constants (and .data.rel.ro: read-only once statically linked)
//!        (.data's initial values, its load address `_sidata`)
//! RAM    .data     `_sdata` .. `_edata`, copied from flash by the reset handler
//!        .bss      `_sbss` .. `_ebss`, zeroed by the reset handler
//!        heap      `_heap_start` .. `_heap_end`
//!        stack     `_stack_bottom` .. `_stack_top` (the end of RAM; the initial SP)
//! ```
//!
//! `.data` has its run address (VMA) in RAM and its load address (LMA) in
//! flash: its program header's `p_paddr` is the LMA, which is where QEMU's
//! `-kernel` loader and flash tools put the bytes. `.ARM.exidx` and
//! `.ARM.extab` (unwinding tables, unused with `panic = "abort"`) are never
//! reached from the vector table and so are collected as garbage.
//!
//! The entry point is the reset handler the vector table names (its second
//! word), as the processor itself finds it.

use std::collections::HashMap;
use std::fmt;

use super::arm::{self, ApplyError};
use super::elf::{Section, EHDR32_SIZE, EM_ARM, ET_EXEC, PHDR32_SIZE, SHDR32_SIZE, SYM32_SIZE};
use super::elf::{PF_R, PF_W, PF_X, PT_LOAD, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE};
use super::elf::{SHN_ABS, SHT_NOBITS, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB};
use super::elf::{STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FUNC, STT_NOTYPE, STT_OBJECT};
use super::resolve::{Resolved, Target};
use super::Error;

/// `e_flags`: EABI version 5, soft-float calling convention.
const EF_ARM_EABI_VER5_SOFT_FLOAT: u32 = 0x0500_0200;

/// The symbols the linker defines for the runtime's reset handler and
/// allocator (documented in runtime-lib/src/abi.rs, `cortex_m`), in the
/// order of the resolver's `Target::Provided` index.
pub const PROVIDED: &[&str] = &[
    "_sidata",
    "_sdata",
    "_edata",
    "_sbss",
    "_ebss",
    "_heap_start",
    "_heap_end",
    "_stack_bottom",
    "_stack_top",
];

/// The symbol of the vector table, the root of the link.
pub const VECTORS: &str = "__vectors";

/// Where flash and RAM are and how RAM is shared between heap and stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryMap {
    pub flash_origin: u32,
    pub flash_size: u32,
    pub ram_origin: u32,
    pub ram_size: u32,
    /// Bytes reserved for the stack at the top of RAM.
    pub stack_size: u32,
    /// Bytes for the heap; `None`: all RAM between `.bss` and the stack.
    pub heap_size: Option<u32>,
}

impl MemoryMap {
    /// The MPS2-AN385 board (Cortex-M3) that `qemu-system-arm -M mps2-an385`
    /// emulates: 4 MiB of code memory at 0 and 4 MiB of RAM at 0x20000000.
    pub const MPS2_AN385: MemoryMap = MemoryMap {
        flash_origin: 0,
        flash_size: 4 << 20,
        ram_origin: 0x2000_0000,
        ram_size: 4 << 20,
        stack_size: 256 << 10,
        heap_size: None,
    };
}

impl Default for MemoryMap {
    fn default() -> Self {
        MemoryMap::MPS2_AN385
    }
}

/// How much flash and RAM an image uses, by part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SizeReport {
    pub memory: MemoryMap,
    /// `(part, bytes)` in flash order.
    pub flash: Vec<(&'static str, u64)>,
    /// `(part, bytes)` in RAM order.
    pub ram: Vec<(&'static str, u64)>,
}

impl SizeReport {
    pub fn flash_used(&self) -> u64 {
        self.flash.iter().map(|p| p.1).sum()
    }

    pub fn ram_used(&self) -> u64 {
        self.ram.iter().map(|p| p.1).sum()
    }
}

impl fmt::Display for SizeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = |used: u64, size: u32| {
            if size == 0 {
                0.0
            } else {
                used as f64 * 100.0 / f64::from(size)
            }
        };
        let region = |f: &mut fmt::Formatter<'_>,
                      name: &str,
                      origin: u32,
                      size: u32,
                      parts: &[(&str, u64)],
                      used: u64|
         -> fmt::Result {
            writeln!(
                f,
                "{name:<6} {used:>9} of {size:>9} bytes ({:.1}%) at {origin:#010x}",
                percent(used, size)
            )?;
            for (part, bytes) in parts {
                writeln!(f, "  {part:<20} {bytes:>9}")?;
            }
            Ok(())
        };
        let m = &self.memory;
        region(
            f,
            "flash",
            m.flash_origin,
            m.flash_size,
            &self.flash,
            self.flash_used(),
        )?;
        region(
            f,
            "RAM",
            m.ram_origin,
            m.ram_size,
            &self.ram,
            self.ram_used(),
        )
    }
}

/// The output sections, in address order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Out {
    Vectors,
    Text,
    Rodata,
    Data,
    Bss,
}

impl Out {
    const ALL: [Out; 5] = [Out::Vectors, Out::Text, Out::Rodata, Out::Data, Out::Bss];

    fn name(self) -> &'static str {
        match self {
            Out::Vectors => ".vectors",
            Out::Text => ".text",
            Out::Rodata => ".rodata",
            Out::Data => ".data",
            Out::Bss => ".bss",
        }
    }

    fn flags(self) -> u32 {
        (match self {
            Out::Vectors | Out::Rodata => SHF_ALLOC,
            Out::Text => SHF_ALLOC | SHF_EXECINSTR,
            Out::Data | Out::Bss => SHF_ALLOC | SHF_WRITE,
        }) as u32
    }

    /// Which output section an input section joins.
    fn of(section: &Section<'_>) -> Out {
        let name = section.name;
        if name == b".vectors" || name.starts_with(b".vectors.") {
            Out::Vectors
        } else if section.sh_type == SHT_NOBITS {
            Out::Bss
        } else if section.flags & SHF_EXECINSTR != 0 {
            Out::Text
        } else if section.flags & SHF_WRITE != 0 && !name.starts_with(b".data.rel.ro") {
            Out::Data
        } else {
            Out::Rodata
        }
    }
}

#[derive(Clone, Debug, Default)]
struct OutSection {
    used: bool,
    align: u64,
    size: u64,
    /// The run address (VMA).
    address: u64,
    /// The load address (LMA): the address in flash of the bytes.
    load_address: u64,
    bytes: Vec<u8>,
    /// Of which: from the program's own objects (not the runtime archive).
    program_bytes: u64,
}

#[derive(Clone, Copy, Debug)]
struct Placement {
    out: Out,
    offset: u64,
}

struct Firmware<'r, 'a> {
    resolved: &'r Resolved<'a>,
    /// Objects before this index are the program's; the rest come from the
    /// runtime archive.
    program_objects: usize,
    memory: MemoryMap,
    placement: Vec<Vec<Option<Placement>>>,
    outs: HashMap<Out, OutSection>,
    /// The addresses of [`PROVIDED`].
    provided: Vec<u64>,
    report: Option<SizeReport>,
}

/// The firmware image, what it uses of flash and RAM, and (with `map`) a
/// link map.
pub struct Built {
    pub image: Vec<u8>,
    pub report: SizeReport,
    pub map: Option<String>,
}

/// Lays out, relocates and writes the firmware.
pub fn build(
    resolved: &Resolved<'_>,
    program_objects: usize,
    memory: MemoryMap,
    map: bool,
) -> Result<Built, Error> {
    let mut firmware = Firmware {
        resolved,
        program_objects,
        memory,
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
                        align: 4,
                        ..OutSection::default()
                    },
                )
            })
            .collect(),
        provided: vec![0; PROVIDED.len()],
        report: None,
    };
    firmware.place_sections()?;
    firmware.assign_addresses()?;
    firmware.fill_sections();
    firmware.relocate()?;
    let map = map.then(|| firmware.map());
    let image = firmware.write()?;
    let report = firmware.report.take().unwrap_or(SizeReport {
        memory,
        flash: Vec::new(),
        ram: Vec::new(),
    });
    Ok(Built { image, report, map })
}

fn align_up(value: u64, align: u64) -> u64 {
    value
        .checked_next_multiple_of(align.max(1))
        .unwrap_or(u64::MAX)
}

/// The largest alignment accepted: a vector table needs at most 512 bytes.
const MAX_ALIGN: u64 = 0x1000;

impl Firmware<'_, '_> {
    fn out(&mut self, out: Out) -> &mut OutSection {
        self.outs
            .get_mut(&out)
            .expect("every output section exists")
    }

    fn place_sections(&mut self) -> Result<(), Error> {
        let resolved = self.resolved;
        let program_objects = self.program_objects;
        for (o, object) in resolved.objects.iter().enumerate() {
            for (s, section) in object.sections.iter().enumerate() {
                if !resolved.live[o][s] {
                    continue;
                }
                let out = Out::of(section);
                if section.align > MAX_ALIGN || section.size > u64::from(u32::MAX) {
                    return Err(Error::Unsupported {
                        what: format!(
                            "{}: section {} (size {:#x}, alignment {:#x}) does not fit a \
                             32-bit image with {MAX_ALIGN:#x} alignment at most",
                            object.name,
                            String::from_utf8_lossy(section.name),
                            section.size,
                            section.align
                        ),
                    });
                }
                let target = self.out(out);
                let offset = align_up(target.size, section.align);
                target.size = offset.saturating_add(section.size);
                target.align = target.align.max(section.align);
                target.used = true;
                if o < program_objects {
                    target.program_bytes += section.size;
                }
                self.placement[o][s] = Some(Placement { out, offset });
            }
        }
        if !self.outs[&Out::Vectors].used {
            return Err(Error::Unsupported {
                what: format!(
                    "no vector table: the runtime must define `{VECTORS}` in a section \
                     named .vectors"
                ),
            });
        }
        Ok(())
    }

    /// Flash: vectors, code, constants, then `.data`'s initial values. RAM:
    /// `.data`, `.bss`, heap, stack. Checks that each fits.
    fn assign_addresses(&mut self) -> Result<(), Error> {
        let m = self.memory;
        let flash_origin = u64::from(m.flash_origin);
        let flash_end = flash_origin + u64::from(m.flash_size);
        let ram_origin = u64::from(m.ram_origin);
        let ram_end = ram_origin + u64::from(m.ram_size);
        if flash_end > 1 << 32 || ram_end > 1 << 32 {
            return Err(Error::Unsupported {
                what: format!(
                    "flash ({flash_origin:#x}, {} bytes) and RAM ({ram_origin:#x}, {} bytes) must \
                     lie within the 32-bit address space",
                    m.flash_size, m.ram_size
                ),
            });
        }

        let mut at = flash_origin;
        for out in [Out::Vectors, Out::Text, Out::Rodata] {
            let section = self.out(out);
            section.address = align_up(at, section.align);
            section.load_address = section.address;
            at = section.address + section.size;
        }
        if self.outs[&Out::Vectors].address != flash_origin {
            return Err(Error::Unsupported {
                what: format!(
                    "the flash origin {flash_origin:#x} is not aligned for the vector table \
                     (alignment {:#x})",
                    self.outs[&Out::Vectors].align
                ),
            });
        }
        let mut ram = ram_origin;
        let data = self.out(Out::Data);
        data.load_address = align_up(at, data.align);
        data.address = align_up(ram, data.align);
        let flash_used = data.load_address + data.size - flash_origin;
        ram = data.address + data.size;
        let bss = self.out(Out::Bss);
        bss.address = align_up(ram, bss.align);
        bss.load_address = bss.address;
        ram = bss.address + bss.size;

        let heap_start = align_up(ram, 8);
        let stack_top = ram_end & !7;
        let stack_bottom = stack_top.saturating_sub(u64::from(m.stack_size)) & !7;
        let heap_end = match m.heap_size {
            Some(size) => heap_start + u64::from(size),
            None => stack_bottom,
        };
        if flash_origin + flash_used > flash_end {
            return Err(Error::Unsupported {
                what: format!(
                    "the firmware needs {flash_used} bytes of flash; the target has {} \
                     (--flash-size)",
                    m.flash_size
                ),
            });
        }
        if heap_end > stack_bottom || heap_start > heap_end || stack_bottom < ram_origin {
            let static_ram = heap_start - ram_origin;
            let heap = m.heap_size.map_or(0, u64::from);
            return Err(Error::Unsupported {
                what: format!(
                    "the firmware needs {} bytes of RAM ({static_ram} for data, {} for the \
                     heap, {} for the stack); the target has {} (--ram-size, --heap-size, \
                     --stack-size)",
                    static_ram + heap + u64::from(m.stack_size),
                    heap,
                    m.stack_size,
                    m.ram_size
                ),
            });
        }
        let data = &self.outs[&Out::Data];
        let bss = &self.outs[&Out::Bss];
        self.provided = vec![
            data.load_address,
            data.address,
            data.address + data.size,
            bss.address,
            bss.address + bss.size,
            heap_start,
            heap_end,
            stack_bottom,
            stack_top,
        ];

        let program = |out: Out| self.outs[&out].program_bytes;
        let total = |out: Out| self.outs[&out].size;
        let padding = flash_used
            - [Out::Vectors, Out::Text, Out::Rodata, Out::Data]
                .iter()
                .map(|&o| total(o))
                .sum::<u64>();
        self.report = Some(SizeReport {
            memory: m,
            flash: vec![
                ("vector table", total(Out::Vectors)),
                ("code", program(Out::Text)),
                ("runtime", total(Out::Text) - program(Out::Text)),
                ("constants", program(Out::Rodata)),
                (
                    "runtime constants",
                    total(Out::Rodata) - program(Out::Rodata),
                ),
                ("initial data", total(Out::Data)),
                ("alignment", padding),
            ],
            ram: vec![
                ("data", total(Out::Data)),
                ("bss", total(Out::Bss)),
                ("heap", heap_end - heap_start),
                ("stack", u64::from(m.stack_size)),
            ],
        });
        Ok(())
    }

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
            Target::Provided(i) => self.provided[i],
            Target::UndefinedWeak | Target::Undefined => 0,
        }
    }

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
    }

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
                let section_name = || String::from_utf8_lossy(section.name).into_owned();
                if placement.out == Out::Bss {
                    return Err(Error::BadInput {
                        file: object.name.clone(),
                        what: format!("section {} has no contents but relocations", section_name()),
                    });
                }
                let base = self.outs[&placement.out].address + placement.offset;
                let start = placement.offset as usize;
                let mut bytes =
                    self.outs[&placement.out].bytes[start..start + section.data.len()].to_vec();
                for rela in &section.relocs {
                    let Some(kind) = arm::classify(rela.r_type) else {
                        return Err(Error::UnknownRelocation {
                            r_type: arm::type_name(rela.r_type),
                            section: section_name(),
                            file: object.name.clone(),
                        });
                    };
                    let target = resolved.reloc_target(o, rela);
                    let result = arm::apply(
                        kind,
                        &mut bytes,
                        rela.offset,
                        self.address_of(target),
                        rela.addend,
                        base.wrapping_add(rela.offset),
                        target != Target::UndefinedWeak,
                    );
                    let symbol = || {
                        String::from_utf8_lossy(object.symbols[rela.symbol as usize].name)
                            .into_owned()
                    };
                    match result {
                        Ok(()) => {}
                        Err(ApplyError::Overflow { value }) => {
                            return Err(Error::Overflow {
                                r_type: arm::type_name(rela.r_type),
                                symbol: symbol(),
                                place: resolved.describe_place(o, s, rela.offset),
                                value,
                            })
                        }
                        Err(ApplyError::NotThumb) => {
                            return Err(Error::Unsupported {
                                what: format!(
                                    "{}: a branch to `{}`, which is ARM code; Cortex-M runs \
                                     Thumb code only",
                                    resolved.describe_place(o, s, rela.offset),
                                    symbol()
                                ),
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

    /// The reset handler: the vector table's second word.
    fn entry(&self) -> u64 {
        let vectors = &self.outs[&Out::Vectors].bytes;
        match vectors.get(4..8) {
            Some(w) => u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]])),
            None => self.address_of(self.resolved.entry),
        }
    }

    /// The output sections, then each kept input section at its address.
    fn map(&self) -> String {
        use std::fmt::Write;
        let resolved = self.resolved;
        let mut text = String::new();
        for out in Out::ALL {
            let section = &self.outs[&out];
            if section.used {
                let _ = writeln!(
                    text,
                    "{:<10} {:#010x} (load {:#010x}) {:>8} bytes",
                    out.name(),
                    section.address,
                    section.load_address,
                    section.size
                );
            }
        }
        for (name, address) in PROVIDED.iter().zip(&self.provided) {
            let _ = writeln!(text, "{name:<14} = {address:#010x}");
        }
        text.push('\n');
        let mut placed: Vec<(u64, usize, usize)> = Vec::new();
        for (o, sections) in self.placement.iter().enumerate() {
            for (s, placement) in sections.iter().enumerate() {
                if let Some(p) = placement {
                    placed.push((self.outs[&p.out].address + p.offset, o, s));
                }
            }
        }
        placed.sort_unstable();
        for (address, o, s) in placed {
            let object = &resolved.objects[o];
            let section = &object.sections[s];
            let why = match resolved.kept_by[o][s] {
                Some((from_o, from_s)) => format!(
                    "{} in {}",
                    String::from_utf8_lossy(resolved.objects[from_o].sections[from_s].name),
                    resolved.objects[from_o].name
                ),
                None => "a root (the vector table, or SHF_GNU_RETAIN)".to_string(),
            };
            let _ = writeln!(
                text,
                "{address:#010x} {:>8} {} in {}\n{:>20}kept for {why}",
                section.size,
                String::from_utf8_lossy(section.name),
                object.name,
                ""
            );
        }
        text
    }

    /// The ELF32 image: header, program headers, flash contents (which
    /// include `.data`'s initial values at their load address), symbol
    /// table, section headers.
    fn write(&self) -> Result<Vec<u8>, Error> {
        let present: Vec<Out> = Out::ALL
            .iter()
            .copied()
            .filter(|o| self.outs[o].used)
            .collect();
        let flash_origin = u64::from(self.memory.flash_origin);
        let data = &self.outs[&Out::Data];
        let bss = &self.outs[&Out::Bss];
        let flash_end = data.load_address + data.size;

        // Program headers: flash (vectors, code, constants), .data (run in
        // RAM, loaded in flash), .bss.
        struct Segment {
            flags: u32,
            offset: u64,
            vaddr: u64,
            paddr: u64,
            file_size: u64,
            memory_size: u64,
        }
        let flash_contents_end = [Out::Vectors, Out::Text, Out::Rodata]
            .iter()
            .map(|o| self.outs[o].address + self.outs[o].size)
            .max()
            .unwrap_or(flash_origin);
        let mut segment_count = 1;
        if data.size > 0 {
            segment_count += 1;
        }
        if bss.size > 0 {
            segment_count += 1;
        }
        let headers_end = (EHDR32_SIZE + PHDR32_SIZE * segment_count) as u64;
        let image_offset = align_up(headers_end, 16);
        let file_offset_of = |load_address: u64| image_offset + (load_address - flash_origin);
        let mut segments = vec![Segment {
            flags: PF_R | PF_X,
            offset: image_offset,
            vaddr: flash_origin,
            paddr: flash_origin,
            file_size: flash_contents_end - flash_origin,
            memory_size: flash_contents_end - flash_origin,
        }];
        if data.size > 0 {
            segments.push(Segment {
                flags: PF_R | PF_W,
                offset: file_offset_of(data.load_address),
                vaddr: data.address,
                paddr: data.load_address,
                file_size: data.size,
                memory_size: data.size,
            });
        }
        if bss.size > 0 {
            segments.push(Segment {
                flags: PF_R | PF_W,
                offset: file_offset_of(flash_end),
                vaddr: bss.address,
                paddr: bss.address,
                file_size: 0,
                memory_size: bss.size,
            });
        }

        let mut file = vec![0u8; file_offset_of(flash_end) as usize];
        for &out in &present {
            if out == Out::Bss {
                continue;
            }
            let section = &self.outs[&out];
            let at = file_offset_of(section.load_address) as usize;
            file[at..at + section.bytes.len()].copy_from_slice(&section.bytes);
        }

        let shndx: HashMap<Out, u16> = present
            .iter()
            .enumerate()
            .map(|(i, &o)| (o, (i + 1) as u16))
            .collect();
        let (symtab, strtab, first_global) = self.symbol_table(&shndx);

        let mut shstrtab = vec![0u8];
        let mut name_of = |name: &str| {
            let offset = shstrtab.len() as u32;
            shstrtab.extend_from_slice(name.as_bytes());
            shstrtab.push(0);
            offset
        };
        let mut headers: Vec<[u8; SHDR32_SIZE]> = vec![[0; SHDR32_SIZE]];
        for &out in &present {
            let s = &self.outs[&out];
            let (sh_type, offset) = if out == Out::Bss {
                (SHT_NOBITS, file_offset_of(flash_end))
            } else {
                (SHT_PROGBITS, file_offset_of(s.load_address))
            };
            headers.push(section_header(
                name_of(out.name()),
                sh_type,
                out.flags(),
                s.address,
                offset,
                s.size,
                0,
                0,
                s.align,
                0,
            ));
        }
        file.resize(align_up(file.len() as u64, 4) as usize, 0);
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
            4,
            SYM32_SIZE as u64,
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
        file.extend_from_slice(&shstrtab);
        file.resize(align_up(file.len() as u64, 4) as usize, 0);
        let shoff = file.len() as u32;
        for header in &headers {
            file.extend_from_slice(header);
        }

        let mut ehdr = Vec::with_capacity(EHDR32_SIZE);
        ehdr.extend_from_slice(b"\x7fELF");
        ehdr.extend_from_slice(&[1, 1, 1, 0]); // 32-bit, little-endian, version 1, System V
        ehdr.extend_from_slice(&[0; 8]);
        ehdr.extend_from_slice(&ET_EXEC.to_le_bytes());
        ehdr.extend_from_slice(&EM_ARM.to_le_bytes());
        ehdr.extend_from_slice(&1u32.to_le_bytes());
        ehdr.extend_from_slice(&(self.entry() as u32).to_le_bytes());
        ehdr.extend_from_slice(&(EHDR32_SIZE as u32).to_le_bytes()); // e_phoff
        ehdr.extend_from_slice(&shoff.to_le_bytes());
        ehdr.extend_from_slice(&EF_ARM_EABI_VER5_SOFT_FLOAT.to_le_bytes());
        ehdr.extend_from_slice(&(EHDR32_SIZE as u16).to_le_bytes());
        ehdr.extend_from_slice(&(PHDR32_SIZE as u16).to_le_bytes());
        ehdr.extend_from_slice(&(segments.len() as u16).to_le_bytes());
        ehdr.extend_from_slice(&(SHDR32_SIZE as u16).to_le_bytes());
        ehdr.extend_from_slice(&(headers.len() as u16).to_le_bytes());
        ehdr.extend_from_slice(&(headers.len() as u16 - 1).to_le_bytes()); // .shstrtab
        file[..EHDR32_SIZE].copy_from_slice(&ehdr);

        let mut at = EHDR32_SIZE;
        for segment in &segments {
            let mut h = [0u8; PHDR32_SIZE];
            let fields = [
                PT_LOAD,
                segment.flags,
                segment.offset as u32,
                segment.vaddr as u32,
                segment.paddr as u32,
                segment.file_size as u32,
                segment.memory_size as u32,
                4,
            ];
            // Elf32_Phdr: type, offset, vaddr, paddr, filesz, memsz, flags, align.
            let order = [0, 2, 3, 4, 5, 6, 1, 7];
            for (i, &field) in order.iter().enumerate() {
                h[i * 4..i * 4 + 4].copy_from_slice(&fields[field].to_le_bytes());
            }
            file[at..at + PHDR32_SIZE].copy_from_slice(&h);
            at += PHDR32_SIZE;
        }
        Ok(file)
    }

    /// `.symtab` and `.strtab` (locals first, as ELF requires), with the
    /// linker's own symbols as absolute globals; the index of the first
    /// global.
    fn symbol_table(&self, shndx: &HashMap<Out, u16>) -> (Vec<u8>, Vec<u8>, u32) {
        let resolved = self.resolved;
        let mut strtab = vec![0u8];
        let mut locals: Vec<u8> = vec![0; SYM32_SIZE];
        let mut globals: Vec<u8> = Vec::new();
        let mut add =
            |table: &mut Vec<u8>, name: &[u8], value: u64, size: u64, info: u8, index: u16| {
                let offset = strtab.len() as u32;
                strtab.extend_from_slice(name);
                strtab.push(0);
                table.extend_from_slice(&offset.to_le_bytes());
                table.extend_from_slice(&(value as u32).to_le_bytes());
                table.extend_from_slice(&(size as u32).to_le_bytes());
                table.push(info);
                table.push(0); // default visibility
                table.extend_from_slice(&index.to_le_bytes());
            };
        let mut defined_here = Vec::new();
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
                    let Some(placement) = self.placement[o][sym.shndx as usize] else {
                        continue; // collected as garbage
                    };
                    let base = self.outs[&placement.out].address + placement.offset;
                    (shndx[&placement.out], base.wrapping_add(sym.value))
                };
                let bind = if sym.is_local() {
                    STB_LOCAL
                } else {
                    let winner = resolved.definition(sym.name);
                    if winner.is_none_or(|w| (w.object, w.symbol) != (o, i)) {
                        continue;
                    }
                    defined_here.push(sym.name);
                    if sym.bind == STB_WEAK {
                        STB_WEAK
                    } else {
                        STB_GLOBAL
                    }
                };
                let table = if bind == STB_LOCAL {
                    &mut locals
                } else {
                    &mut globals
                };
                add(
                    table,
                    sym.name,
                    address,
                    sym.size,
                    (bind << 4) | sym.kind,
                    index,
                );
            }
        }
        for (name, &address) in PROVIDED.iter().zip(&self.provided) {
            if !defined_here.contains(&name.as_bytes()) {
                add(
                    &mut globals,
                    name.as_bytes(),
                    address,
                    0,
                    (STB_GLOBAL << 4) | STT_NOTYPE,
                    SHN_ABS as u16,
                );
            }
        }
        let first_global = (locals.len() / SYM32_SIZE) as u32;
        locals.extend_from_slice(&globals);
        (locals, strtab, first_global)
    }
}

#[allow(clippy::too_many_arguments)]
fn section_header(
    name: u32,
    sh_type: u32,
    flags: u32,
    address: u64,
    offset: u64,
    size: u64,
    link: u32,
    info: u32,
    align: u64,
    entsize: u64,
) -> [u8; SHDR32_SIZE] {
    let fields = [
        name,
        sh_type,
        flags,
        address as u32,
        offset as u32,
        size as u32,
        link,
        info,
        align as u32,
        entsize as u32,
    ];
    let mut h = [0u8; SHDR32_SIZE];
    for (i, field) in fields.iter().enumerate() {
        h[i * 4..i * 4 + 4].copy_from_slice(&field.to_le_bytes());
    }
    h
}
