//! What the Thumb-2 encoder refuses: every case is a `Result` error, never a
//! panic, and nothing is emitted for the refused instruction.

use codegen_arm::thumb::*;

fn fails(f: impl FnOnce(&mut Assembler) -> Result<()>) -> Error {
    let mut a = Assembler::new();
    match f(&mut a).and_then(|()| a.finish().map(|_| ())) {
        Ok(()) => panic!("expected an error"),
        Err(e) => e,
    }
}

fn is_imm(e: Error) -> bool {
    matches!(e, Error::Immediate { .. })
}
fn is_reg(e: Error) -> bool {
    matches!(e, Error::Register { .. })
}
fn is_range(e: Error) -> bool {
    matches!(e, Error::Range { .. })
}

#[test]
fn invalid_immediates() {
    assert!(is_imm(fails(|a| a.add(R0, R1, 0x12345))));
    assert!(is_imm(fails(|a| a.adds(R0, R1, 0x101))));
    assert!(is_imm(fails(|a| a.mov(R0, 0x12345678))));
    assert!(is_imm(fails(|a| a.movs(R0, 0x1234))));
    assert!(is_imm(fails(|a| a.eor(R0, R1, 0x101))));
    assert!(is_imm(fails(|a| a.cmp(R0, 0x101))));
    assert!(is_imm(fails(|a| a.tst(R0, -2))));
    assert!(is_imm(fails(|a| a.lsl(R0, R1, 32))));
    assert!(is_imm(fails(|a| a.lsl(R0, R1, 0))));
    assert!(is_imm(fails(|a| a.lsr(R0, R1, 33))));
    assert!(is_imm(fails(|a| a.ror(R0, R1, 32))));
    assert!(is_imm(fails(|a| a.add(R0, R1, R2.lsl(32)))));
    assert!(is_imm(fails(|a| a.ldr(R0, ptr(R1, 4096)))));
    assert!(is_imm(fails(|a| a.ldr(R0, ptr(R1, -256)))));
    assert!(is_imm(fails(|a| a.ldr(R0, ptr_index(R1, R2, 4)))));
    assert!(is_imm(fails(|a| a.ldrd(R0, R1, R2, 1024))));
    assert!(is_imm(fails(|a| a.ldrd(R0, R1, R2, 2))));
    assert!(is_imm(fails(|a| a.mov(R0, Operand::Imm(1 << 32)))));
    assert!(is_imm(fails(|a| a.add(R0, R1, Operand::Imm(-(1 << 40))))));
}

#[test]
fn high_registers_in_narrow_only_forms() {
    assert!(matches!(
        fails(|a| a.muls(R8, R1, R8)),
        Error::Operands { .. }
    ));
    assert!(matches!(
        fails(|a| a.muls(R0, R1, R2)),
        Error::Operands { .. }
    ));
    assert!(is_reg(fails(|a| {
        let l = a.new_label();
        a.cbz(R8, l)?;
        a.bind(l)
    })));
    assert!(is_reg(fails(|a| {
        let l = a.new_label();
        a.ldr_lit_n(R8, l)?;
        a.bind(l)
    })));
}

#[test]
fn forbidden_registers() {
    assert!(is_reg(fails(|a| a.and(R0, SP, R1))));
    assert!(is_reg(fails(|a| a.add(R0, R1, PC))));
    assert!(is_reg(fails(|a| a.add(SP, R1, 4))));
    assert!(is_reg(fails(|a| a.mov(PC, R0))));
    assert!(is_reg(fails(|a| a.movw(SP, 1))));
    assert!(is_reg(fails(|a| a.sdiv(R0, SP, R1))));
    assert!(is_reg(fails(|a| a.ldrb(SP, ptr(R0, 0)))));
    assert!(is_reg(fails(|a| a.ldr(PC, ptr(R0, 0)))));
    assert!(is_reg(fails(|a| a.ldr(R0, ptr(PC, 0)))));
    assert!(is_reg(fails(|a| a.ldr(R0, ptr_index(R1, SP, 0)))));
    assert!(is_reg(fails(|a| a.strd(R0, SP, R1, 0))));
    assert!(is_reg(fails(|a| a.push(&[R0, SP]))));
    assert!(is_reg(fails(|a| a.push(&[R0, PC]))));
    assert!(is_reg(fails(|a| a.pop(&[SP]))));
    assert!(is_reg(fails(|a| a.blx(PC))));
    assert!(matches!(
        fails(|a| a.pop(&[LR, PC])),
        Error::Operands { .. }
    ));
    assert!(matches!(fails(|a| a.push(&[])), Error::Operands { .. }));
    assert!(matches!(
        fails(|a| a.ldrd(R0, R0, R1, 0)),
        Error::Operands { .. }
    ));
    assert!(matches!(
        fails(|a| a.smull(R0, R0, R1, R2)),
        Error::Operands { .. }
    ));
}

#[test]
fn branches_out_of_range() {
    // b.n: -2048..=2046.
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.b_n(l)?;
        a.space(2050)?;
        a.bind(l)
    })));
    // b<c>.n: -256..=254.
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.bind(l)?;
        a.space(254)?;
        a.b_cond_n(Cond::Eq, l)
    })));
    // b<c>.w: ±1 MiB.
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.b_cond_w(Cond::Eq, l)?;
        a.space(1 << 20)?;
        a.bind(l)
    })));
    // b.w: ±16 MiB.
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.bind(l)?;
        a.space(16777214)?;
        a.b(l)
    })));
    // cbz: forward only, 0..=126.
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.bind(l)?;
        a.cbz(R0, l)
    })));
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.cbz(R0, l)?;
        a.space(130)?;
        a.bind(l)
    })));
    // 16-bit literal load: forward, word aligned, 0..=1020.
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.bind(l)?;
        a.word(0)?;
        a.ldr_lit_n(R0, l)
    })));
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.ldr_lit_n(R0, l)?;
        a.nop()?;
        a.space(2)?;
        a.bind(l)
    })));
    assert!(is_range(fails(|a| {
        let l = a.new_label();
        a.ldr_lit(R0, l)?;
        a.space(4096)?;
        a.bind(l)
    })));
}

#[test]
fn the_error_names_the_instruction() {
    let e = fails(|a| {
        let l = a.new_label();
        a.b_cond_n(Cond::Ne, l)?;
        a.space(300)?;
        a.bind(l)
    });
    assert_eq!(e.to_string(), "bne.n .L0: target out of range (offset 298)");
    assert_eq!(
        fails(|a| a.add(R0, R1, 0x12345)).to_string(),
        "add: immediate #0x12345 cannot be encoded"
    );
}

#[test]
fn labels() {
    assert!(matches!(
        fails(|a| {
            let l = a.new_label();
            a.b(l)
        }),
        Error::Label { .. }
    ));
    assert!(matches!(
        fails(|a| {
            let l = a.new_label();
            a.bind(l)?;
            a.bind(l)
        }),
        Error::Label { .. }
    ));
    // A label of another assembler.
    let mut other = Assembler::new();
    let foreign = other.new_label();
    assert!(matches!(fails(|a| a.b(foreign)), Error::Label { .. }));
    // Offsets of bound labels are reported.
    let mut a = Assembler::new();
    let l = a.new_label();
    a.nop().unwrap();
    a.bind(l).unwrap();
    assert_eq!(a.finish().unwrap().label_offset(l), Some(2));
}

#[test]
fn it_blocks() {
    let it = |e: Error| matches!(e, Error::It { .. });
    // Conditional branches, cbz and nested IT are not allowed inside.
    assert!(it(fails(|a| {
        let l = a.new_label();
        a.it(Cond::Eq)?;
        a.b_cond(Cond::Eq, l)?;
        a.bind(l)
    })));
    assert!(it(fails(|a| {
        let l = a.new_label();
        a.it(Cond::Eq)?;
        a.cbz(R0, l)?;
        a.bind(l)
    })));
    assert!(it(fails(|a| {
        a.it(Cond::Eq)?;
        a.it(Cond::Eq)
    })));
    // A branch must be the last of the block.
    assert!(it(fails(|a| {
        a.itt(Cond::Eq)?;
        a.bx(LR)?;
        a.nop()
    })));
    // The block must be complete, and labels cannot split it.
    assert!(it(fails(|a| a.ite(Cond::Eq))));
    assert!(it(fails(|a| {
        let l = a.new_label();
        a.itt(Cond::Eq)?;
        a.nop()?;
        a.bind(l)
    })));
    assert!(matches!(
        fails(|a| a.it_block(Cond::Eq, "tx")),
        Error::Operands { .. }
    ));
    assert!(matches!(
        fails(|a| a.it_block(Cond::Eq, "tttt")),
        Error::Operands { .. }
    ));
    // muls inside IT has no encoding (the 16-bit form does not set flags there).
    assert!(matches!(
        fails(|a| {
            a.it(Cond::Eq)?;
            a.muls(R0, R1, R0)
        }),
        Error::Operands { .. }
    ));
}

#[test]
fn relocations_carry_the_addend_in_place_and_in_the_record() {
    let mut a = Assembler::new();
    a.bl("f").unwrap();
    a.b_sym("g").unwrap();
    a.movw_sym(R0, "d", 8).unwrap();
    a.movt_sym(R0, "d", 8).unwrap();
    a.word_sym("h", -4).unwrap();
    let code = a.finish().unwrap();
    let got: Vec<(u32, link::RelocKind, &str, i32)> = code
        .relocs
        .iter()
        .map(|r| (r.offset, r.kind, r.symbol.as_str(), r.addend))
        .collect();
    use link::RelocKind::*;
    assert_eq!(
        got,
        [
            (0, ArmThmCall, "f", -4),
            (4, ArmThmJump24, "g", -4),
            (8, ArmThmMovwAbsNc, "d", 8),
            (12, ArmThmMovtAbs, "d", 8),
            (16, ArmAbs32, "h", -4)
        ]
    );
    assert_eq!(code.bytes[16..20], (-4i32).to_le_bytes());
    let r = code.relocs[0].clone().into_link(3);
    assert_eq!((r.section, r.offset, r.addend), (3, 0, -4));
}

#[test]
fn listing_text() {
    let mut a = Assembler::new();
    let done = a.new_label();
    a.cmp(R0, 0).unwrap();
    a.b_cond(Cond::Eq, done).unwrap();
    a.bl("t.py:f").unwrap();
    a.bind(done).unwrap();
    a.bx(LR).unwrap();
    let code = a.finish().unwrap();
    assert_eq!(
        code.listing_text(),
        "\tcmp r0, #0\n\tbeq.w .L0\n\tbl \"t.py:f\"\n.L0:\n\tbx lr\n"
    );
    assert_eq!(
        code.listing.iter().map(|l| l.offset).collect::<Vec<_>>(),
        [0, 2, 6, 10, 10]
    );
}

#[test]
fn mov32_picks_one_instruction_when_it_can() {
    for (value, len) in [
        (0u32, 4),
        (0xff, 4),
        (0xffff, 4),
        (0xffff_ffff, 4),
        (0x8000_0000, 4),
        (0x1234_5678, 8),
        (0xffff_1234, 8),
    ] {
        let mut a = Assembler::new();
        a.mov32(R3, value).unwrap();
        assert_eq!(a.finish().unwrap().bytes.len(), len, "mov32 {value:#x}");
    }
}
