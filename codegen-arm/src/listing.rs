//! `--emit asm`: the Thumb-2 code grouped by code object, then by bytecode
//! instruction, in the GNU as text the encoder writes for each instruction.

use crate::thumb::{Code, Reloc};
use crate::OpMark;
use std::fmt::Write;

/// One function's listing: `code` placed at `address` in .text.
pub fn function(out: &mut String, symbol: &str, address: u32, code: &Code, marks: &[OpMark]) {
    let _ = writeln!(out, "{symbol}:");
    let mut heads = marks.iter().peekable();
    let lines = &code.listing;
    for (k, line) in lines.iter().enumerate() {
        while let Some(m) = heads.peek() {
            if m.offset > line.offset {
                break;
            }
            let _ = writeln!(out, "  {}", m.header);
            heads.next();
        }
        if line.is_label() {
            let _ = writeln!(out, "  {}", line.text);
            continue;
        }
        let end = lines[k + 1..]
            .iter()
            .map(|l| l.offset)
            .find(|&o| o > line.offset)
            .unwrap_or(code.bytes.len() as u32);
        let hex: String = code.bytes[line.offset as usize..end as usize]
            .chunks(2)
            .map(|h| format!("{:02x}{:02x}", h.get(1).copied().unwrap_or(0), h[0]))
            .collect::<Vec<_>>()
            .join(" ");
        let reloc = code
            .relocs
            .iter()
            .find(|r: &&Reloc| r.offset >= line.offset && r.offset < end);
        let note = match reloc {
            Some(r) if !line.text.contains(&r.symbol) => format!("  @ {}", r.symbol),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "    {:6x}: {:<10} {}{}",
            address + line.offset,
            hex,
            line.text,
            note
        );
    }
    for m in heads {
        let _ = writeln!(out, "  {}", m.header);
    }
    out.push('\n');
}
