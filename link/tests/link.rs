//! The object writer and the system linker on a hand-assembled program.

use std::process::Command;

use link::{Arch, ObjectModule, Reloc, RelocKind, Section, SectionKind, Symbol, SymbolKind};
use object::{Object, ObjectSection, ObjectSymbol, RelocationFlags};

/// `_start` calls a local function, then exits with the status stored in
/// `.data`; `.rodata` holds an absolute pointer to the function and `.bss`
/// some zeroed space. No runtime: the archive passed to the linker is empty.
fn exit_program(status: u8) -> ObjectModule {
    #[rustfmt::skip]
    let text = vec![
        0xe8, 0, 0, 0, 0,             // 0: call helper
        0xb8, 0xe7, 0, 0, 0,          // 5: mov eax, 231 (exit_group)
        0x8b, 0x3d, 0, 0, 0, 0,       // 10: mov edi, [rip + status]
        0x0f, 0x05,                   // 16: syscall
        0xc3,                         // 18: helper: ret
    ];
    let data = vec![status, 0, 0, 0];
    let section = |name: &str, kind, bytes: Vec<u8>| Section {
        name: name.to_string(),
        kind,
        align: 8,
        size: bytes.len() as u64,
        bytes,
    };
    let symbol = |name: &str, section, offset, size, kind, global| Symbol {
        name: name.to_string(),
        section,
        offset,
        size,
        kind,
        global,
    };
    ObjectModule {
        arch: Arch::X86_64,
        sections: vec![
            section(".text", SectionKind::Text, text),
            section(".data", SectionKind::Data, data),
            section(".rodata", SectionKind::ReadOnlyData, vec![0; 8]),
            Section {
                name: ".bss".to_string(),
                kind: SectionKind::Bss,
                align: 8,
                bytes: Vec::new(),
                size: 64,
            },
        ],
        symbols: vec![
            symbol("_start", 0, 0, 18, SymbolKind::Function, true),
            symbol("helper", 0, 18, 1, SymbolKind::Function, false),
            symbol("status", 1, 0, 4, SymbolKind::Data, false),
            symbol("table", 2, 0, 8, SymbolKind::Data, true),
            symbol("scratch", 3, 0, 64, SymbolKind::Data, false),
        ],
        relocs: vec![
            Reloc {
                section: 0,
                offset: 1,
                kind: RelocKind::X86Plt32,
                symbol: "helper".to_string(),
                addend: -4,
            },
            Reloc {
                section: 0,
                offset: 12,
                kind: RelocKind::X86Pc32,
                symbol: "status".to_string(),
                addend: -4,
            },
            Reloc {
                section: 2,
                offset: 0,
                kind: RelocKind::X86Abs64,
                symbol: "helper".to_string(),
                addend: 0,
            },
        ],
    }
}

const EMPTY_ARCHIVE: &[u8] = b"!<arch>\n";

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

#[test]
fn object_has_the_modules_sections_symbols_and_relocations() -> Result {
    let bytes = link::write_object(&exit_program(7))?;
    let file = object::File::parse(&*bytes)?;
    assert_eq!(file.format(), object::BinaryFormat::Elf);
    assert_eq!(file.architecture(), object::Architecture::X86_64);
    assert_eq!(file.kind(), object::ObjectKind::Relocatable);

    let text = file.section_by_name(".text").ok_or("no .text section")?;
    assert_eq!(text.data()?.len(), 19);
    assert_eq!(
        file.section_by_name(".bss")
            .ok_or("no .bss section")?
            .size(),
        64
    );
    assert!(file.section_by_name(".note.GNU-stack").is_some());

    let start = file
        .symbols()
        .find(|s| s.name() == Ok("_start"))
        .ok_or("no symbol _start")?;
    assert!(start.is_global());
    let helper = file
        .symbols()
        .find(|s| s.name() == Ok("helper"))
        .ok_or("no symbol helper")?;
    assert!(helper.is_local());
    assert_eq!(helper.address(), 18);

    let relocs: Vec<_> = text.relocations().collect();
    assert_eq!(relocs.len(), 2);
    let types: Vec<u32> = relocs
        .iter()
        .map(|(_, r)| match r.flags() {
            RelocationFlags::Elf { r_type } => r_type.0,
            other => panic!("not an ELF relocation: {other:?}"),
        })
        .collect();
    assert_eq!(
        types,
        [object::elf::R_X86_64_PLT32.0, object::elf::R_X86_64_PC32.0]
    );
    assert_eq!(relocs[0].1.addend(), -4);
    Ok(())
}

#[test]
fn undefined_symbols_become_external_references() -> Result {
    let mut module = exit_program(0);
    module.relocs[0].symbol = "pyrt_print".to_string();
    let bytes = link::write_object(&module)?;
    let file = object::File::parse(&*bytes)?;
    let print = file
        .symbols()
        .find(|s| s.name() == Ok("pyrt_print"))
        .ok_or("no symbol pyrt_print")?;
    assert!(print.is_undefined());
    assert!(print.is_global());
    Ok(())
}

#[test]
fn inconsistent_modules_are_errors_not_broken_files() -> Result {
    let mut module = exit_program(0);
    module.relocs[1].offset = 17;
    let err = link::write_object(&module)
        .err()
        .ok_or("expected an error")?
        .to_string();
    assert!(err.contains("lies outside section .text"), "{err}");

    let mut module = exit_program(0);
    module.symbols[1].section = 9;
    let err = link::write_object(&module)
        .err()
        .ok_or("expected an error")?
        .to_string();
    assert!(err.contains("section 9, which does not exist"), "{err}");

    let mut module = exit_program(0);
    module.symbols[2].name = "helper".to_string();
    let err = link::write_object(&module)
        .err()
        .ok_or("expected an error")?
        .to_string();
    assert!(err.contains("defined twice"), "{err}");
    Ok(())
}

#[test]
fn linked_program_runs_and_exits_with_its_status() -> Result {
    let dir = tempfile::tempdir()?;
    let exe = dir.path().join("exit42");
    let object = link::write_object(&exit_program(42))?;
    link::system::link(&object, EMPTY_ARCHIVE, &exe)?;
    let status = Command::new(&exe).status()?;
    assert_eq!(status.code(), Some(42));

    // Linking again over an existing executable replaces it.
    let object = link::write_object(&exit_program(3))?;
    link::system::link(&object, EMPTY_ARCHIVE, &exe)?;
    assert_eq!(Command::new(&exe).status()?.code(), Some(3));
    Ok(())
}

#[test]
fn unwritable_output_is_reported_with_the_path() -> Result {
    let dir = tempfile::tempdir()?;
    let object = link::write_object(&exit_program(0))?;
    let output = dir.path().join("no-such-dir").join("app");
    let err = link::system::link(&object, EMPTY_ARCHIVE, &output)
        .err()
        .ok_or("expected an error")?
        .to_string();
    assert_eq!(
        err,
        format!(
            "cannot write '{}': No such file or directory",
            output.display()
        )
    );
    Ok(())
}

#[test]
fn linker_failures_carry_the_linkers_message() -> Result {
    let mut module = exit_program(0);
    module.relocs[0].symbol = "pyrt_missing_helper".to_string();
    let object = link::write_object(&module)?;
    let dir = tempfile::tempdir()?;
    let err = link::system::link(&object, EMPTY_ARCHIVE, &dir.path().join("app"))
        .err()
        .ok_or("expected an error")?
        .to_string();
    assert!(err.starts_with("the system linker failed"), "{err}");
    assert!(err.contains("pyrt_missing_helper"), "{err}");
    Ok(())
}
