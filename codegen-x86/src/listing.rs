//! `--emit asm`: the machine code grouped by code object, then by bytecode
//! instruction, in AT&T syntax (iced-x86's GAS formatter).

use crate::asm::SymRef;
use crate::OpMark;
use iced_x86::{Decoder, DecoderOptions, Formatter, GasFormatter};
use std::fmt::Write;

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
