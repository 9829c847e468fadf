//! Writing an [`ObjectModule`] as an ELF relocatable object (`ET_REL`), the
//! file a system linker (or the built-in one) takes as input: ELF64 with
//! RELA relocations for x86-64, ELF32 with REL relocations for ARM (the
//! addend stored in the field it patches, Thumb function symbols with their
//! low bit set, a `$t` mapping symbol at the start of each code section).

use std::collections::{HashMap, HashSet};

use object::write::{Object, Relocation, SectionId as ObjSectionId, Symbol as ObjSymbol};
use object::write::{SymbolId as ObjSymbolId, SymbolSection};
use object::SectionFlags;
use object::{elf, Architecture, BinaryFormat, Endianness, FileFlags, RelocationFlags};
use object::{SymbolFlags, SymbolKind as ObjSymbolKind, SymbolScope};

use crate::builtin::arm;
use crate::{Arch, LinkError, ObjectModule, RelocKind, SectionKind, SymbolKind};

/// Serialises `module` as an ELF relocatable object for its architecture.
///
/// Sections keep their names, alignment and contents; symbols keep their
/// binding (global or local); a relocation naming a symbol the module does
/// not define becomes a reference to an undefined global (a runtime symbol,
/// resolved at link time). The module is checked first: an out-of-range
/// section index or offset is reported as [`LinkError::InvalidModule`], not
/// written into a broken file.
pub fn write_object(module: &ObjectModule) -> Result<Vec<u8>, LinkError> {
    validate(module)?;

    let architecture = match module.arch {
        Arch::X86_64 => Architecture::X86_64,
        Arch::Arm => Architecture::Arm,
    };
    let arm = module.arch == Arch::Arm;
    let mut obj = Object::new(BinaryFormat::Elf, architecture, Endianness::Little);
    if arm {
        obj.flags = FileFlags::Elf {
            os_abi: elf::ELFOSABI_NONE,
            abi_version: 0,
            e_flags: elf::FileFlags(elf::EF_ARM_EABI_VER5.0 | elf::EF_ARM_ABI_FLOAT_SOFT),
        };
    }

    // ARM uses REL relocations: each addend lives in the field it patches.
    let mut contents: Vec<Vec<u8>> = module.sections.iter().map(|s| s.bytes.clone()).collect();
    if arm {
        for reloc in &module.relocs {
            let kind = arm_reloc(reloc.kind).ok_or_else(|| {
                LinkError::InvalidModule(format!(
                    "an ARM object has an x86-64 relocation against {}",
                    reloc.symbol
                ))
            })?;
            arm::store_addend(
                kind,
                &mut contents[reloc.section],
                reloc.offset,
                reloc.addend,
            );
        }
    }

    let sections: Vec<ObjSectionId> = module
        .sections
        .iter()
        .zip(contents)
        .map(|(section, bytes)| {
            let kind = match section.kind {
                SectionKind::Text => object::SectionKind::Text,
                SectionKind::ReadOnlyData => object::SectionKind::ReadOnlyData,
                SectionKind::Data => object::SectionKind::Data,
                SectionKind::Bss => object::SectionKind::UninitializedData,
            };
            let id = obj.add_section(Vec::new(), section.name.clone().into_bytes(), kind);
            let align = section.align.max(1);
            if section.kind == SectionKind::Bss {
                obj.append_section_bss(id, section.size, align);
            } else {
                obj.set_section_data(id, bytes, align);
            }
            id
        })
        .collect();

    if arm {
        // Mapping symbols: what follows `$t` is Thumb code (for disassemblers).
        for (section, &id) in module.sections.iter().zip(&sections) {
            if section.kind == SectionKind::Text {
                obj.add_symbol(ObjSymbol {
                    name: b"$t".to_vec(),
                    value: 0,
                    size: 0,
                    kind: ObjSymbolKind::Label,
                    scope: SymbolScope::Compilation,
                    weak: false,
                    section: SymbolSection::Section(id),
                    flags: SymbolFlags::None,
                });
            }
        }
    }

    // Without this note, GNU ld assumes the object needs an executable stack.
    let note = obj.add_section(
        Vec::new(),
        b".note.GNU-stack".to_vec(),
        object::SectionKind::Other,
    );
    obj.section_mut(note).flags = SectionFlags::Elf {
        sh_type: elf::SHT_PROGBITS,
        sh_flags: elf::SectionFlags(0),
    };

    let mut symbols: HashMap<&str, ObjSymbolId> = HashMap::new();
    for symbol in &module.symbols {
        // A Thumb function's address has its low bit set (AAELF).
        let thumb_bit = u64::from(arm && symbol.kind == SymbolKind::Function);
        let id = obj.add_symbol(ObjSymbol {
            name: symbol.name.clone().into_bytes(),
            value: symbol.offset | thumb_bit,
            size: symbol.size,
            kind: match symbol.kind {
                SymbolKind::Function => ObjSymbolKind::Text,
                SymbolKind::Data => ObjSymbolKind::Data,
            },
            scope: if symbol.global {
                SymbolScope::Linkage
            } else {
                SymbolScope::Compilation
            },
            weak: false,
            section: SymbolSection::Section(sections[symbol.section]),
            flags: SymbolFlags::None,
        });
        symbols.insert(&symbol.name, id);
    }

    for reloc in &module.relocs {
        let symbol = match symbols.get(reloc.symbol.as_str()) {
            Some(&id) => id,
            None => {
                let id = obj.add_symbol(ObjSymbol {
                    name: reloc.symbol.clone().into_bytes(),
                    value: 0,
                    size: 0,
                    kind: ObjSymbolKind::Unknown,
                    scope: SymbolScope::Unknown,
                    weak: false,
                    section: SymbolSection::Undefined,
                    flags: SymbolFlags::None,
                });
                symbols.insert(&reloc.symbol, id);
                id
            }
        };
        let r_type = match reloc.kind {
            RelocKind::X86Abs64 => elf::R_X86_64_64,
            RelocKind::X86Pc32 => elf::R_X86_64_PC32,
            RelocKind::X86Plt32 => elf::R_X86_64_PLT32,
            RelocKind::ArmAbs32 => elf::R_ARM_ABS32,
            RelocKind::ArmThmCall => elf::R_ARM_THM_PC22, // = R_ARM_THM_CALL
            RelocKind::ArmThmJump24 => elf::R_ARM_THM_JUMP24,
            RelocKind::ArmThmMovwAbsNc => elf::R_ARM_THM_MOVW_ABS_NC,
            RelocKind::ArmThmMovtAbs => elf::R_ARM_THM_MOVT_ABS,
        };
        obj.add_relocation(
            sections[reloc.section],
            Relocation {
                offset: reloc.offset,
                symbol,
                addend: if arm { 0 } else { reloc.addend },
                flags: RelocationFlags::Elf { r_type },
            },
        )
        .map_err(|e| LinkError::Object(e.to_string()))?;
    }

    obj.write().map_err(|e| LinkError::Object(e.to_string()))
}

/// The linker's view of an ARM relocation kind (`None` for x86-64 kinds).
fn arm_reloc(kind: RelocKind) -> Option<arm::Reloc> {
    Some(match kind {
        RelocKind::ArmAbs32 => arm::Reloc::Abs32,
        RelocKind::ArmThmCall => arm::Reloc::ThmCall,
        RelocKind::ArmThmJump24 => arm::Reloc::ThmJump24,
        RelocKind::ArmThmMovwAbsNc => arm::Reloc::ThmMovwAbsNc,
        RelocKind::ArmThmMovtAbs => arm::Reloc::ThmMovtAbs,
        RelocKind::X86Abs64 | RelocKind::X86Pc32 | RelocKind::X86Plt32 => return None,
    })
}

/// How many bytes a relocation of this kind patches.
pub fn reloc_width(kind: RelocKind) -> u64 {
    match kind {
        RelocKind::X86Abs64 => 8,
        RelocKind::X86Pc32 | RelocKind::X86Plt32 => 4,
        RelocKind::ArmAbs32
        | RelocKind::ArmThmCall
        | RelocKind::ArmThmJump24
        | RelocKind::ArmThmMovwAbsNc
        | RelocKind::ArmThmMovtAbs => 4,
    }
}

/// Checks the invariants the writer relies on, so that a codegen mistake
/// becomes an error message instead of a malformed object.
fn validate(module: &ObjectModule) -> Result<(), LinkError> {
    let invalid = |what: String| Err(LinkError::InvalidModule(what));

    for section in &module.sections {
        if section.align != 0 && !section.align.is_power_of_two() {
            return invalid(format!(
                "section {} has alignment {}, not a power of two",
                section.name, section.align
            ));
        }
        if section.kind == SectionKind::Bss {
            if !section.bytes.is_empty() {
                return invalid(format!("bss section {} has contents", section.name));
            }
        } else if section.size != section.bytes.len() as u64 {
            return invalid(format!(
                "section {} has size {} but {} bytes",
                section.name,
                section.size,
                section.bytes.len()
            ));
        }
    }

    let mut defined: HashSet<&str> = HashSet::new();
    for symbol in &module.symbols {
        let Some(section) = module.sections.get(symbol.section) else {
            return invalid(format!(
                "symbol {} is in section {}, which does not exist",
                symbol.name, symbol.section
            ));
        };
        if symbol.name.is_empty() {
            return invalid("a symbol has an empty name".to_string());
        }
        if symbol
            .offset
            .checked_add(symbol.size)
            .is_none_or(|end| end > section.size)
        {
            return invalid(format!(
                "symbol {} (offset {}, size {}) lies outside section {} (size {})",
                symbol.name, symbol.offset, symbol.size, section.name, section.size
            ));
        }
        if !defined.insert(&symbol.name) {
            return invalid(format!("symbol {} is defined twice", symbol.name));
        }
    }

    for reloc in &module.relocs {
        let Some(section) = module.sections.get(reloc.section) else {
            return invalid(format!(
                "a relocation against {} is in section {}, which does not exist",
                reloc.symbol, reloc.section
            ));
        };
        if section.kind == SectionKind::Bss {
            return invalid(format!(
                "a relocation against {} is in bss section {}",
                reloc.symbol, section.name
            ));
        }
        let width = reloc_width(reloc.kind);
        if reloc
            .offset
            .checked_add(width)
            .is_none_or(|end| end > section.size)
        {
            return invalid(format!(
                "a relocation against {} at offset {} lies outside section {} (size {})",
                reloc.symbol, reloc.offset, section.name, section.size
            ));
        }
        if reloc.symbol.is_empty() {
            return invalid(format!(
                "a relocation at offset {} of section {} names no symbol",
                reloc.offset, section.name
            ));
        }
    }
    Ok(())
}
