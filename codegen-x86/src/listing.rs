//! `--emit asm`: the machine code grouped by code object, then by bytecode
//! instruction, in AT&T syntax (iced-x86's GAS formatter).

use crate::asm::SymRef;
use crate::OpMark;
use frontend::bytecode::Instr;
use frontend::code::{CodeObject, Constant};
use frontend::opcode::Opcode::*;
use iced_x86::{Decoder, DecoderOptions, Formatter, GasFormatter};
use std::fmt::Write;

const CMP_OP: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];
const NB_OP: [&str; 13] = [
    "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
];

/// `BINARY_OP 0 (+)`, `LOAD_FAST 0 (n)`, ... as `dis` shows them.
pub fn describe(code: &CodeObject, ins: &Instr) -> String {
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

/// One function's listing: `bytes` placed at `address` in .text.
pub fn function(
    out: &mut String,
    symbol: &str,
    address: u64,
    bytes: &[u8],
    offsets: &[u32],
    marks: &[OpMark],
    relocs: &[SymRef],
) {
    let _ = writeln!(out, "{symbol}:");
    let mut heads: Vec<(u64, &str)> = marks
        .iter()
        .map(|m| {
            let off = offsets.get(m.index).copied().unwrap_or(bytes.len() as u32);
            (off as u64, m.header.as_str())
        })
        .collect();
    heads.sort_by_key(|h| h.0);
    let mut heads = heads.into_iter().peekable();
    let mut decoder = Decoder::with_ip(64, bytes, address, DecoderOptions::NONE);
    let mut formatter = GasFormatter::new();
    // Symbol operands are zero until linked: show `sym(%rip)`, not an address.
    formatter.options_mut().set_rip_relative_addresses(true);
    let mut text = String::new();
    while decoder.can_decode() {
        let ins = decoder.decode();
        let start = ins.ip() - address;
        while let Some(&(off, h)) = heads.peek() {
            if off > start {
                break;
            }
            let _ = writeln!(out, "  {h}");
            heads.next();
        }
        text.clear();
        formatter.format(&ins, &mut text);
        let end = start + ins.len() as u64;
        if let Some(r) = relocs.iter().find(|r| r.field >= start && r.field < end) {
            if r.is_call {
                text = format!("{} {}", text.split(' ').next().unwrap_or("call"), r.symbol);
            } else {
                // The displacement field reads 0; the addend holds the offset.
                let trailing = end - (r.field + 4);
                let off = r.addend + 4 + trailing as i64;
                let name = if off == 0 {
                    r.symbol.clone()
                } else {
                    format!("{}{:+}", r.symbol, off)
                };
                text = text.replacen("(%rip)", &format!("<{name}>(%rip)"), 1);
            }
        }
        let hex: String = bytes[start as usize..end as usize]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let _ = writeln!(out, "    {:6x}: {:<24} {}", ins.ip(), hex, text);
    }
    for (_, h) in heads {
        let _ = writeln!(out, "  {h}");
    }
    out.push('\n');
}
