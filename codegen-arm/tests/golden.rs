//! Golden encoding tests: each case is an encoder call and the GNU as text it
//! must list; tests/golden.txt (written by tests/gen_golden.py with
//! `arm-none-eabi-as -mcpu=cortex-m3`) holds the bytes and relocations GNU as
//! makes of that text. The encoder must produce exactly those.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use codegen_arm::thumb::*;
use link::RelocKind;

type Case = (&'static str, fn(&mut Assembler) -> Result<()>);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // mov / movs / movw / movt / mvn
    ("movs r0, #0", |a| a.movs(R0, 0)),
    ("movs r7, #255", |a| a.movs(R7, 255)),
    ("movs.w r0, #256", |a| a.movs(R0, 256)),
    ("movs.w r8, #1", |a| a.movs(R8, 1)),
    ("mov.w r0, #1", |a| a.mov(R0, 1)),
    ("mov.w r12, #0xff00ff00", |a| a.mov(R12, 0xff00ff00u32)),
    ("movw r0, #0x1234", |a| a.mov(R0, 0x1234)),
    ("movw r0, #257", |a| a.mov(R0, 257)),
    ("mvn.w r0, #1", |a| a.mov(R0, -2)),
    ("mvn.w r1, #0xff00", |a| a.mov(R1, 0xffff00ffu32)),
    ("mov r0, r1", |a| a.mov(R0, R1)),
    ("mov r8, sp", |a| a.mov(R8, SP)),
    ("mov sp, r0", |a| a.mov(SP, R0)),
    ("mov lr, r12", |a| a.mov(LR, R12)),
    ("movs r0, r1", |a| a.movs(R0, R1)),
    ("movs.w r8, r1", |a| a.movs(R8, R1)),
    ("movw r0, #0xffff", |a| a.movw(R0, 0xffff)),
    ("movw r9, #0", |a| a.movw(R9, 0)),
    ("movt r0, #0xffff", |a| a.movt(R0, 0xffff)),
    ("movt r11, #0x8001", |a| a.movt(R11, 0x8001)),
    ("movw r0, #0x5678; movt r0, #0x1234", |a| a.mov32(R0, 0x12345678)),
    ("mov.w r0, #0x10000", |a| a.mov32(R0, 0x10000)),
    ("mvns r0, r1", |a| a.mvns(R0, R1)),
    ("mvn.w r0, r1", |a| a.mvn(R0, R1)),
    ("mvn.w r0, r1, lsl #3", |a| a.mvn(R0, R1.lsl(3))),
    ("mvn.w r8, #255", |a| a.mvn(R8, 255)),
    ("mvns.w r0, #0x80000000", |a| a.mvns(R0, 0x80000000u32)),
    // add / sub
    ("adds r0, r1, #7", |a| a.adds(R0, R1, 7)),
    ("adds r0, r0, #255", |a| a.adds(R0, R0, 255)),
    ("adds r0, r1, r2", |a| a.adds(R0, R1, R2)),
    ("adds.w r0, r1, #8", |a| a.adds(R0, R1, 8)),
    ("adds.w r8, r1, r2", |a| a.adds(R8, R1, R2)),
    ("add r0, r0, r1", |a| a.add(R0, R0, R1)),
    ("add r0, r1, r0", |a| a.add(R0, R1, R0)),
    ("add r8, r8, r1", |a| a.add(R8, R8, R1)),
    ("add sp, sp, r0", |a| a.add(SP, SP, R0)),
    ("add.w r0, r1, r2", |a| a.add(R0, R1, R2)),
    ("add.w r0, r1, r2, lsl #2", |a| a.add(R0, R1, R2.lsl(2))),
    ("add.w r0, sp, r1", |a| a.add(R0, SP, R1)),
    ("add.w r0, r1, #8", |a| a.add(R0, R1, 8)),
    ("addw r0, r1, #257", |a| a.add(R0, R1, 257)),
    ("addw r0, r1, #4095", |a| a.add(R0, R1, 4095)),
    ("add.w r0, r1, #0x10000", |a| a.add(R0, R1, 0x10000)),
    ("add sp, sp, #508", |a| a.add(SP, SP, 508)),
    ("add.w sp, sp, #512", |a| a.add(SP, SP, 512)),
    ("add.w sp, sp, #510", |a| a.add(SP, SP, 510)),
    ("add r0, sp, #1020", |a| a.add(R0, SP, 1020)),
    ("add.w r0, sp, #1024", |a| a.add(R0, SP, 1024)),
    ("add.w r0, r1, #0xab00ab", |a| a.add(R0, R1, 0x00ab00ab)),
    ("add.w r0, r1, #0xab00ab00", |a| a.add(R0, R1, 0xab00ab00u32)),
    ("add.w r0, r1, #0xabababab", |a| a.add(R0, R1, 0xababababu32)),
    ("add.w r0, r1, #0x3fc00", |a| a.add(R0, R1, 0x3fc00)),
    ("add.w r0, r1, #0x80000000", |a| a.add(R0, R1, 0x80000000u32)),
    ("sub.w r0, r1, #1", |a| a.add(R0, R1, -1)),
    ("subs r0, r0, #1", |a| a.adds(R0, R0, -1)),
    ("subs r0, r1, #7", |a| a.subs(R0, R1, 7)),
    ("subs r3, r3, #255", |a| a.subs(R3, R3, 255)),
    ("subs r0, r1, r2", |a| a.subs(R0, R1, R2)),
    ("sub.w r0, r1, r2", |a| a.sub(R0, R1, R2)),
    ("subs.w r0, r1, #256", |a| a.subs(R0, R1, 256)),
    ("subw r0, r1, #4095", |a| a.sub(R0, R1, 4095)),
    ("sub sp, sp, #508", |a| a.sub(SP, SP, 508)),
    ("sub.w sp, sp, #0x1000", |a| a.sub(SP, SP, 4096)),
    ("adds r0, r0, #1", |a| a.subs(R0, R0, -1)),
    ("subs.w r8, r8, r9, asr #1", |a| a.subs(R8, R8, R9.asr(1))),
    // adc / sbc / rsb
    ("adcs r0, r0, r1", |a| a.adcs(R0, R0, R1)),
    ("adcs r0, r1, r0", |a| a.adcs(R0, R1, R0)),
    ("adc.w r0, r1, r2", |a| a.adc(R0, R1, R2)),
    ("adc.w r0, r1, #1", |a| a.adc(R0, R1, 1)),
    ("sbc.w r0, r1, #1", |a| a.adc(R0, R1, -2)),
    ("sbcs r0, r0, r1", |a| a.sbcs(R0, R0, R1)),
    ("sbc.w r0, r1, #255", |a| a.sbc(R0, R1, 255)),
    ("rsbs r0, r1, #0", |a| a.rsbs(R0, R1, 0)),
    ("rsb.w r0, r1, #1", |a| a.rsb(R0, R1, 1)),
    ("rsb.w r0, r1, #0", |a| a.rsb(R0, R1, 0)),
    ("rsbs.w r8, r1, #0", |a| a.rsbs(R8, R1, 0)),
    ("rsb.w r0, r1, r2", |a| a.rsb(R0, R1, R2)),
    // logic
    ("ands r0, r0, r1", |a| a.ands(R0, R0, R1)),
    ("ands r0, r1, r0", |a| a.ands(R0, R1, R0)),
    ("and.w r0, r1, r2", |a| a.and(R0, R1, R2)),
    ("and.w r0, r0, r1", |a| a.and(R0, R0, R1)),
    ("and.w r0, r1, #255", |a| a.and(R0, R1, 255)),
    ("bic.w r0, r1, #255", |a| a.and(R0, R1, 0xffffff00u32)),
    ("ands.w r0, r1, #3", |a| a.ands(R0, R1, 3)),
    ("orrs r0, r0, r1", |a| a.orrs(R0, R0, R1)),
    ("orr.w r0, r1, #0x80000000", |a| a.orr(R0, R1, 0x80000000u32)),
    ("orn r0, r1, #1", |a| a.orr(R0, R1, 0xfffffffeu32)),
    ("orn r0, r1, r2", |a| a.orn(R0, R1, R2)),
    ("orr.w r0, r1, r2, ror #8", |a| a.orr(R0, R1, R2.ror(8))),
    ("eors r0, r0, r1", |a| a.eors(R0, R0, R1)),
    ("eor.w r0, r1, r2, lsr #1", |a| a.eor(R0, R1, R2.lsr(1))),
    ("eor.w r10, r11, #0xff0000", |a| a.eor(R10, R11, 0xff0000)),
    ("bics r0, r0, r1", |a| a.bics(R0, R0, R1)),
    ("bic.w r0, r1, r2, asr #32", |a| a.bic(R0, R1, R2.asr(32))),
    ("bic.w r0, r1, #3", |a| a.bic(R0, R1, 3)),
    // multiply and divide
    ("muls r0, r1, r0", |a| a.muls(R0, R1, R0)),
    ("muls r0, r0, r1", |a| a.muls(R0, R0, R1)),
    ("mul.w r0, r1, r2", |a| a.mul(R0, R1, R2)),
    ("mul.w r0, r0, r1", |a| a.mul(R0, R0, R1)),
    ("mul.w r8, r9, r10", |a| a.mul(R8, R9, R10)),
    ("smull r0, r1, r2, r3", |a| a.smull(R0, R1, R2, R3)),
    ("smull r12, lr, r0, r1", |a| a.smull(R12, LR, R0, R1)),
    ("umull r4, r5, r6, r7", |a| a.umull(R4, R5, R6, R7)),
    ("sdiv r0, r1, r2", |a| a.sdiv(R0, R1, R2)),
    ("sdiv r8, r9, r10", |a| a.sdiv(R8, R9, R10)),
    ("udiv r0, r1, r2", |a| a.udiv(R0, R1, R2)),
    ("udiv r12, lr, r3", |a| a.udiv(R12, LR, R3)),
    ("mla r0, r1, r2, r3", |a| a.mla(R0, R1, R2, R3)),
    ("mls r8, r9, r10, r11", |a| a.mls(R8, R9, R10, R11)),
    ("clz r0, r1", |a| a.clz(R0, R1)),
    ("clz r12, lr", |a| a.clz(R12, LR)),
    // extend
    ("uxtb r0, r1", |a| a.uxtb(R0, R1)),
    ("uxth r7, r6", |a| a.uxth(R7, R6)),
    ("sxtb r2, r3", |a| a.sxtb(R2, R3)),
    ("sxth r4, r5", |a| a.sxth(R4, R5)),
    ("uxtb.w r8, r1", |a| a.uxtb(R8, R1)),
    ("uxth.w r0, r9", |a| a.uxth(R0, R9)),
    ("sxtb.w r10, r11", |a| a.sxtb(R10, R11)),
    ("sxth.w r12, r0", |a| a.sxth(R12, R0)),
    // shifts
    ("lsls r0, r1, #1", |a| a.lsls(R0, R1, 1)),
    ("lsls r0, r1, #31", |a| a.lsls(R0, R1, 31)),
    ("lsrs r0, r1, #32", |a| a.lsrs(R0, R1, 32)),
    ("asrs r7, r6, #32", |a| a.asrs(R7, R6, 32)),
    ("asrs r0, r1, #1", |a| a.asrs(R0, R1, 1)),
    ("lsl.w r0, r1, #2", |a| a.lsl(R0, R1, 2)),
    ("lsr.w r0, r1, #1", |a| a.lsr(R0, R1, 1)),
    ("asr.w r0, r1, #32", |a| a.asr(R0, R1, 32)),
    ("lsls.w r8, r1, #2", |a| a.lsls(R8, R1, 2)),
    ("ror.w r0, r1, #8", |a| a.ror(R0, R1, 8)),
    ("rors.w r0, r1, #31", |a| a.rors(R0, R1, 31)),
    ("lsls r0, r0, r1", |a| a.lsls(R0, R0, R1)),
    ("lsrs r0, r0, r1", |a| a.lsrs(R0, R0, R1)),
    ("asrs r0, r0, r1", |a| a.asrs(R0, R0, R1)),
    ("rors r0, r0, r1", |a| a.rors(R0, R0, R1)),
    ("lsl.w r0, r1, r2", |a| a.lsl(R0, R1, R2)),
    ("asrs.w r8, r8, r1", |a| a.asrs(R8, R8, R1)),
    ("lsrs.w r0, r1, r2", |a| a.lsrs(R0, R1, R2)),
    // compare and test
    ("cmp r0, #0", |a| a.cmp(R0, 0)),
    ("cmp r7, #255", |a| a.cmp(R7, 255)),
    ("cmp.w r0, #256", |a| a.cmp(R0, 256)),
    ("cmp.w r8, #1", |a| a.cmp(R8, 1)),
    ("cmp.w r0, #0xff000000", |a| a.cmp(R0, 0xff000000u32)),
    ("cmn.w r0, #1", |a| a.cmp(R0, -1)),
    ("cmp r0, #1", |a| a.cmn(R0, -1)),
    ("cmn.w r0, #256", |a| a.cmn(R0, 256)),
    ("cmp r0, r1", |a| a.cmp(R0, R1)),
    ("cmp r8, r1", |a| a.cmp(R8, R1)),
    ("cmp r1, r8", |a| a.cmp(R1, R8)),
    ("cmp sp, r0", |a| a.cmp(SP, R0)),
    ("cmp.w r0, r1, lsl #2", |a| a.cmp(R0, R1.lsl(2))),
    ("cmn r0, r1", |a| a.cmn(R0, R1)),
    ("cmn.w r8, r1", |a| a.cmn(R8, R1)),
    ("tst r0, r1", |a| a.tst(R0, R1)),
    ("tst.w r8, #1", |a| a.tst(R8, 1)),
    ("tst.w r0, #0x80000000", |a| a.tst(R0, 0x80000000u32)),
    ("tst.w r0, r1, lsl #1", |a| a.tst(R0, R1.lsl(1))),
    // loads and stores
    ("ldr r0, [r1]", |a| a.ldr(R0, ptr(R1, 0))),
    ("ldr r0, [r1, #124]", |a| a.ldr(R0, ptr(R1, 124))),
    ("ldr.w r0, [r1, #128]", |a| a.ldr(R0, ptr(R1, 128))),
    ("ldr.w r0, [r1, #2]", |a| a.ldr(R0, ptr(R1, 2))),
    ("ldr.w r0, [r1, #4095]", |a| a.ldr(R0, ptr(R1, 4095))),
    ("ldr.w r0, [r1, #-4]", |a| a.ldr(R0, ptr(R1, -4))),
    ("ldr.w r0, [r1, #-255]", |a| a.ldr(R0, ptr(R1, -255))),
    ("ldr.w r8, [r1]", |a| a.ldr(R8, ptr(R1, 0))),
    ("ldr.w r0, [r9, #8]", |a| a.ldr(R0, ptr(R9, 8))),
    ("ldr r0, [sp]", |a| a.ldr(R0, ptr(SP, 0))),
    ("ldr r7, [sp, #1020]", |a| a.ldr(R7, ptr(SP, 1020))),
    ("ldr.w r0, [sp, #1024]", |a| a.ldr(R0, ptr(SP, 1024))),
    ("ldr.w r8, [sp, #4]", |a| a.ldr(R8, ptr(SP, 4))),
    ("ldr.w r0, [sp, #-4]", |a| a.ldr(R0, ptr(SP, -4))),
    ("str r0, [sp, #4]", |a| a.str(R0, ptr(SP, 4))),
    ("str r0, [r1, #124]", |a| a.str(R0, ptr(R1, 124))),
    ("str.w r0, [r1, #-255]", |a| a.str(R0, ptr(R1, -255))),
    ("str.w lr, [r1, #4]", |a| a.str(LR, ptr(R1, 4))),
    ("ldr r0, [r1, r2]", |a| a.ldr(R0, ptr_index(R1, R2, 0))),
    ("ldr.w r0, [r1, r2, lsl #2]", |a| a.ldr(R0, ptr_index(R1, R2, 2))),
    ("ldr.w r8, [r1, r2]", |a| a.ldr(R8, ptr_index(R1, R2, 0))),
    ("str r0, [r1, r2]", |a| a.str(R0, ptr_index(R1, R2, 0))),
    ("str.w r0, [r1, r2, lsl #3]", |a| a.str(R0, ptr_index(R1, R2, 3))),
    ("ldrb r0, [r1, #31]", |a| a.ldrb(R0, ptr(R1, 31))),
    ("ldrb.w r0, [r1, #32]", |a| a.ldrb(R0, ptr(R1, 32))),
    ("ldrb r0, [r1, r2]", |a| a.ldrb(R0, ptr_index(R1, R2, 0))),
    ("strb r0, [r1]", |a| a.strb(R0, ptr(R1, 0))),
    ("strb.w r0, [r1, #-1]", |a| a.strb(R0, ptr(R1, -1))),
    ("strb.w r0, [sp, #4]", |a| a.strb(R0, ptr(SP, 4))),
    ("strb r0, [r1, r2]", |a| a.strb(R0, ptr_index(R1, R2, 0))),
    ("ldrh r0, [r1, #62]", |a| a.ldrh(R0, ptr(R1, 62))),
    ("ldrh.w r0, [r1, #63]", |a| a.ldrh(R0, ptr(R1, 63))),
    ("ldrh.w r0, [r1, #64]", |a| a.ldrh(R0, ptr(R1, 64))),
    ("ldrh r0, [r1, r2]", |a| a.ldrh(R0, ptr_index(R1, R2, 0))),
    ("strh r0, [r1, #2]", |a| a.strh(R0, ptr(R1, 2))),
    ("strh.w r0, [r1, #-2]", |a| a.strh(R0, ptr(R1, -2))),
    ("strh r0, [r1, r2]", |a| a.strh(R0, ptr_index(R1, R2, 0))),
    ("strh.w r0, [r1, r2, lsl #1]", |a| a.strh(R0, ptr_index(R1, R2, 1))),
    ("ldrsb r0, [r1, r2]", |a| a.ldrsb(R0, ptr_index(R1, R2, 0))),
    ("ldrsb.w r0, [r1, #1]", |a| a.ldrsb(R0, ptr(R1, 1))),
    ("ldrsh r0, [r1, r2]", |a| a.ldrsh(R0, ptr_index(R1, R2, 0))),
    ("ldrsh.w r0, [r1, #-2]", |a| a.ldrsh(R0, ptr(R1, -2))),
    ("ldrd r0, r1, [r2]", |a| a.ldrd(R0, R1, R2, 0)),
    ("ldrd r0, r1, [r2, #1020]", |a| a.ldrd(R0, R1, R2, 1020)),
    ("ldrd r0, r1, [r2, #-1020]", |a| a.ldrd(R0, R1, R2, -1020)),
    ("ldrd r8, r9, [sp, #8]", |a| a.ldrd(R8, R9, SP, 8)),
    ("strd r4, r5, [sp, #8]", |a| a.strd(R4, R5, SP, 8)),
    ("strd r0, r1, [r2, #-8]", |a| a.strd(R0, R1, R2, -8)),
    // push / pop
    ("push {r0}", |a| a.push(&[R0])),
    ("push {lr}", |a| a.push(&[LR])),
    ("push {r4, r5, r6, r7, lr}", |a| a.push(&[R4, R5, R6, R7, LR])),
    ("push.w {r4, r8, lr}", |a| a.push(&[R4, R8, LR])),
    ("push.w {r8}", |a| a.push(&[R8])),
    ("push.w {r4, r5, r6, r7, r8, r9, r10, r11, lr}", |a| a.push(&[R4, R5, R6, R7, R8, R9, R10, R11, LR])),
    ("pop {r0}", |a| a.pop(&[R0])),
    ("pop {r4, pc}", |a| a.pop(&[R4, PC])),
    ("pop.w {r4, r8, pc}", |a| a.pop(&[R4, R8, PC])),
    ("pop.w {r8}", |a| a.pop(&[R8])),
    ("pop.w {r4, lr}", |a| a.pop(&[R4, LR])),
    // branches to labels
    ("b.n .L0; .L0:", |a| { let l = a.new_label(); a.b_n(l)?; a.bind(l) }),
    ("b.w .L0; .L0:", |a| { let l = a.new_label(); a.b(l)?; a.bind(l) }),
    ("b.n .L0; .space 2048; .L0:", |a| { let l = a.new_label(); a.b_n(l)?; a.space(2048)?; a.bind(l) }),
    (".L0:; .space 2044; b.n .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(2044)?; a.b(l) }),
    (".L0:; .space 2046; b.w .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(2046)?; a.b(l) }),
    (".L0:; b.n .L0", |a| { let l = a.new_label(); a.bind(l)?; a.b(l) }),
    ("b.w .L0; .space 4096; .L0:", |a| { let l = a.new_label(); a.b_w(l)?; a.space(4096)?; a.bind(l) }),
    ("b.w .L0; .space 16777214; .L0:", |a| { let l = a.new_label(); a.b(l)?; a.space(16777214)?; a.bind(l) }),
    (".L0:; .space 16777212; b.w .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(16777212)?; a.b(l) }),
    ("b.w .L0; .space 5242880; .L0:", |a| { let l = a.new_label(); a.b(l)?; a.space(5242880)?; a.bind(l) }),
    (".L0:; .space 12582912; b.w .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(12582912)?; a.b(l) }),
    ("bl .L0; .space 9437184; .L0:", |a| { let l = a.new_label(); a.bl_label(l)?; a.space(9437184)?; a.bind(l) }),
    ("beq.w .L0; .space 1048574; .L0:", |a| { let l = a.new_label(); a.b_cond(Cond::Eq, l)?; a.space(1048574)?; a.bind(l) }),
    (".L0:; .space 1048572; bne.w .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(1048572)?; a.b_cond(Cond::Ne, l) }),
    ("bge.w .L0; .space 524288; .L0:", |a| { let l = a.new_label(); a.b_cond(Cond::Ge, l)?; a.space(524288)?; a.bind(l) }),
    (".L0:; .space 786432; blt.w .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(786432)?; a.b_cond(Cond::Lt, l) }),
    ("beq.n .L0; .L0:", |a| { let l = a.new_label(); a.b_cond_n(Cond::Eq, l)?; a.bind(l) }),
    ("bne.n .L0; .space 256; .L0:", |a| { let l = a.new_label(); a.b_cond_n(Cond::Ne, l)?; a.space(256)?; a.bind(l) }),
    (".L0:; .space 252; bne.n .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(252)?; a.b_cond(Cond::Ne, l) }),
    (".L0:; .space 254; bcs.w .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(254)?; a.b_cond(Cond::HS, l) }),
    ("bgt.w .L0; .L0:", |a| { let l = a.new_label(); a.b_cond(Cond::Gt, l)?; a.bind(l) }),
    ("blt.w .L0; .space 4096; .L0:", |a| { let l = a.new_label(); a.b_cond_w(Cond::Lt, l)?; a.space(4096)?; a.bind(l) }),
    (".L0:; .space 4096; ble.w .L0", |a| { let l = a.new_label(); a.bind(l)?; a.space(4096)?; a.b_cond(Cond::Le, l) }),
    ("bcc.w .L0; .L0:", |a| { let l = a.new_label(); a.b_cond(Cond::LO, l)?; a.bind(l) }),
    ("bmi.n .L0; bpl.n .L0; bvs.n .L0; bvc.n .L0; bhi.n .L0; bls.n .L0; bge.n .L0; .L0:", |a| {
        let l = a.new_label();
        for c in [Cond::Mi, Cond::Pl, Cond::Vs, Cond::Vc, Cond::Hi, Cond::Ls, Cond::Ge] {
            a.b_cond_n(c, l)?;
        }
        a.bind(l)
    }),
    ("cbz r0, .L0; nop; .L0:", |a| { let l = a.new_label(); a.cbz(R0, l)?; a.nop()?; a.bind(l) }),
    ("cbnz r7, .L0; .space 128; .L0:", |a| { let l = a.new_label(); a.cbnz(R7, l)?; a.space(128)?; a.bind(l) }),
    ("cbz r3, .L0; .space 64; .L0:", |a| { let l = a.new_label(); a.cbz(R3, l)?; a.space(64)?; a.bind(l) }),
    ("bl .L0; .L0:", |a| { let l = a.new_label(); a.bl_label(l)?; a.bind(l) }),
    (".L0:; nop; bl .L0", |a| { let l = a.new_label(); a.bind(l)?; a.nop()?; a.bl_label(l) }),
    // calls, jumps and addresses of symbols
    ("bl pyrt_call", |a| a.bl("pyrt_call")),
    ("b.w pyrt_call", |a| a.b_sym("pyrt_call")),
    ("bl \"t.py:fib\"", |a| a.bl("t.py:fib")),
    ("bx lr", |a| a.bx(LR)),
    ("bx r0", |a| a.bx(R0)),
    ("blx r3", |a| a.blx(R3)),
    ("blx r12", |a| a.blx(R12)),
    ("movw r0, #:lower16:pyrt_none; movt r0, #:upper16:pyrt_none", |a| a.mov32_sym(R0, "pyrt_none")),
    ("movw r9, #:lower16:table+8", |a| a.movw_sym(R9, "table", 8)),
    ("movt r9, #:upper16:table+8", |a| a.movt_sym(R9, "table", 8)),
    ("movw r1, #:lower16:table-4", |a| a.movw_sym(R1, "table", -4)),
    // literals and data
    ("ldr r0, .L0; nop; .L0:; .word 0x12345678", |a| {
        let l = a.new_label(); a.ldr_lit_n(R0, l)?; a.nop()?; a.bind(l)?; a.word(0x12345678)
    }),
    ("ldr r1, .L0; .p2align 2; .L0:; .word pyrt_none+8", |a| {
        let l = a.new_label(); a.ldr_lit_n(R1, l)?; a.align(4)?; a.bind(l)?; a.word_sym("pyrt_none", 8)
    }),
    ("ldr r0, .L0; .space 1022; .L0:; .word 0x00000001", |a| {
        let l = a.new_label(); a.ldr_lit_n(R0, l)?; a.space(1022)?; a.bind(l)?; a.word(1)
    }),
    ("ldr.w r8, .L0; .L0:; .word 0xdeadbeef", |a| {
        let l = a.new_label(); a.ldr_lit(R8, l)?; a.bind(l)?; a.word(0xdeadbeef)
    }),
    (".L0:; .word 0x00000001; ldr.w r0, .L0", |a| {
        let l = a.new_label(); a.bind(l)?; a.word(1)?; a.ldr_lit(R0, l)
    }),
    ("nop; ldr.w r0, .L0; .space 4088; .L0:; .word 0x00000002", |a| {
        let l = a.new_label(); a.nop()?; a.ldr_lit(R0, l)?; a.space(4088)?; a.bind(l)?; a.word(2)
    }),
    (".word pyrt_main", |a| a.word_sym("pyrt_main", 0)),
    (".word pyrt_main-4", |a| a.word_sym("pyrt_main", -4)),
    ("nop; .p2align 3; .word 0x00000003", |a| { a.nop()?; a.align(8)?; a.word(3) }),
    ("nop; nop; .p2align 3; .word 0x00000004", |a| { a.nop()?; a.nop()?; a.align(8)?; a.word(4) }),
    ("nop; .p2align 4; .word 0x00000005", |a| { a.nop()?; a.align(16)?; a.word(5) }),
    // a whole function: labels, a literal pool and a call in context
    ("push {r4, r5, lr}; mov r4, r0; cbz r0, .L0; ldr r5, .L1; ldr r1, [r5, #4]; bl pyrt_call; cmp r0, #0; ite lt; rsblt r0, r0, #0; addge.w r0, r4, r0, lsl #1; .L0:; pop {r4, r5, pc}; .p2align 2; .L1:; .word pyrt_none+4", |a| {
        let (done, pool) = (a.new_label(), a.new_label());
        a.push(&[R4, R5, LR])?;
        a.mov(R4, R0)?;
        a.cbz(R0, done)?;
        a.ldr_lit_n(R5, pool)?;
        a.ldr(R1, ptr(R5, 4))?;
        a.bl("pyrt_call")?;
        a.cmp(R0, 0)?;
        a.ite(Cond::Lt)?;
        a.rsb(R0, R0, 0)?;
        a.add(R0, R4, R0.lsl(1))?;
        a.bind(done)?;
        a.pop(&[R4, R5, PC])?;
        a.align(4)?;
        a.bind(pool)?;
        a.word_sym("pyrt_none", 4)
    }),
    // IT blocks
    ("it eq; moveq r0, #1", |a| { a.it(Cond::Eq)?; a.mov(R0, 1) }),
    ("it eq; movseq.w r0, #1", |a| { a.it(Cond::Eq)?; a.movs(R0, 1) }),
    ("ite ne; movne r0, #1; moveq r0, #0", |a| { a.ite(Cond::Ne)?; a.mov(R0, 1)?; a.mov(R0, 0) }),
    ("itt gt; addgt r0, r0, r1; subgt r2, r2, #1", |a| { a.itt(Cond::Gt)?; a.add(R0, R0, R1)?; a.sub(R2, R2, 1) }),
    ("itete lt; movlt r0, #1; movge r0, #2; movlt r0, #3; movge r0, #4", |a| {
        a.it_block(Cond::Lt, "ete")?;
        a.mov(R0, 1)?; a.mov(R0, 2)?; a.mov(R0, 3)?; a.mov(R0, 4)
    }),
    ("ittt hi; addhi r0, r1, r2; addshi.w r0, r0, #1; lslhi r0, r1, #2", |a| {
        a.it_block(Cond::Hi, "tt")?;
        a.add(R0, R1, R2)?; a.adds(R0, R0, 1)?; a.lsl(R0, R1, 2)
    }),
    ("itee mi; andmi r0, r0, r1; rsbpl r0, r1, #0; mulpl r0, r1, r0", |a| {
        a.it_block(Cond::Mi, "ee")?;
        a.and(R0, R0, R1)?; a.rsb(R0, R1, 0)?; a.mul(R0, R1, R0)
    }),
    ("it ls; ldrls r0, [r1]", |a| { a.it(Cond::Ls)?; a.ldr(R0, ptr(R1, 0)) }),
    ("it eq; bxeq lr", |a| { a.it(Cond::Eq)?; a.bx(LR) }),
    ("it ne; blne pyrt_call", |a| { a.it(Cond::Ne)?; a.bl("pyrt_call") }),
    ("it vs; bvs.w pyrt_overflow", |a| { a.it(Cond::Vs)?; a.b_sym("pyrt_overflow") }),
    ("it cs; bcs.n .L0; .L0:", |a| { let l = a.new_label(); a.it(Cond::Cs)?; a.b_n(l)?; a.bind(l) }),
    ("it eq; popeq {r4, pc}", |a| { a.it(Cond::Eq)?; a.pop(&[R4, PC]) }),
    ("it ge; cmpge r0, #3", |a| { a.it(Cond::Ge)?; a.cmp(R0, 3) }),
    ("it vc; movvc r8, r0", |a| { a.it(Cond::Vc)?; a.mov(R8, R0) }),
    // miscellaneous
    ("nop", |a| a.nop()),
    ("nop.w", |a| a.nop_w()),
    ("bkpt #0xab", |a| a.bkpt(0xab)),
    ("udf #0xfe", |a| a.udf(0xfe)),
    ("svc #0x00", |a| a.svc(0)),
    (".word 0x12345678", |a| a.word(0x12345678)),
];

fn kind_name(kind: RelocKind) -> &'static str {
    match kind {
        RelocKind::ArmAbs32 => "R_ARM_ABS32",
        RelocKind::ArmThmCall => "R_ARM_THM_CALL",
        RelocKind::ArmThmJump24 => "R_ARM_THM_JUMP24",
        RelocKind::ArmThmMovwAbsNc => "R_ARM_THM_MOVW_ABS_NC",
        RelocKind::ArmThmMovtAbs => "R_ARM_THM_MOVT_ABS",
        _ => "not an ARM relocation",
    }
}

/// Hex as golden.txt writes it: a run of 16 or more zero bytes is `<0*N>`.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let zeros = bytes[i..].iter().take_while(|&&b| b == 0).count();
        if zeros >= 16 {
            out += &format!("<0*{zeros}>");
            i += zeros;
        } else {
            out += &format!("{:02x}", bytes[i]);
            i += 1;
        }
    }
    out
}

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// golden.txt: text -> (hex, relocations).
fn golden() -> HashMap<String, (String, String)> {
    let path = dir().join("tests/golden.txt");
    let table = std::fs::read_to_string(&path).expect("tests/golden.txt (run tests/gen_golden.py)");
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            let (h, r, t) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
            (t.to_string(), (h.to_string(), r.to_string()))
        })
        .collect()
}

#[test]
fn encodings_match_gnu_as() {
    let golden = golden();
    let mut failures = Vec::new();
    for (text, case) in CASES {
        let mut a = Assembler::new();
        let code = match case(&mut a).and_then(|()| a.finish()) {
            Ok(code) => code,
            Err(e) => {
                failures.push(format!("{text}: error: {e}"));
                continue;
            }
        };
        let listed: Vec<&str> = code.listing.iter().map(|l| l.text.as_str()).collect();
        let listed = listed.join("; ");
        if listed != *text {
            failures.push(format!("{text}: listed as `{listed}`"));
        }
        let relocs: Vec<String> = code
            .relocs
            .iter()
            .map(|r| format!("{}:{}:{}", r.offset, kind_name(r.kind), r.symbol))
            .collect();
        let relocs = if relocs.is_empty() {
            "-".to_string()
        } else {
            relocs.join(",")
        };
        match golden.get(*text) {
            None => failures.push(format!(
                "{text}: not in golden.txt (run tests/gen_golden.py)"
            )),
            Some((h, r)) => {
                if hex(&code.bytes) != *h {
                    failures.push(format!(
                        "{text}: encoded {} but GNU as: {h}",
                        hex(&code.bytes)
                    ));
                }
                if relocs != *r {
                    failures.push(format!("{text}: relocations {relocs} but GNU as: {r}"));
                }
            }
        }
    }
    let texts: std::collections::HashSet<&str> = CASES.iter().map(|c| c.0).collect();
    for stale in golden.keys().filter(|t| !texts.contains(t.as_str())) {
        failures.push(format!(
            "{stale}: in golden.txt but no case (run tests/gen_golden.py)"
        ));
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

/// Re-runs GNU as on the cases and checks golden.txt is what it says.
#[test]
fn golden_table_is_current() {
    if Command::new("arm-none-eabi-as")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "\n*** SKIPPED golden_table_is_current: arm-none-eabi-as is not installed \
             (apt-get install binutils-arm-none-eabi); golden.txt was not re-checked ***\n"
        );
        return;
    }
    let out = Command::new("python3")
        .arg(dir().join("tests/gen_golden.py"))
        .arg("--stdout")
        .output()
        .expect("python3 runs tests/gen_golden.py");
    assert!(
        out.status.success(),
        "gen_golden.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(dir().join("tests/golden.txt")).unwrap();
    assert!(
        fresh == committed,
        "tests/golden.txt is stale: run codegen-arm/tests/gen_golden.py"
    );
}
