//! `co_consts` of one unit: constants are merged by CPython's
//! `_PyCode_ConstantKey` (type-aware equality: `1`, `1.0` and `True` stay
//! distinct, as do `0.0` and `-0.0`).

use std::collections::HashMap;

use crate::code::Constant;

/// The constant table of a unit under construction.
#[derive(Clone, Debug, Default)]
pub struct ConstTable {
    pub items: Vec<Constant>,
    index: HashMap<String, u32>,
}

/// A string that is equal for two constants exactly when CPython's
/// constant key is.
pub fn const_key(c: &Constant) -> Option<String> {
    Some(match c {
        Constant::None => "N".into(),
        Constant::Ellipsis => "E".into(),
        Constant::Bool(b) => format!("B{}", *b as u8),
        Constant::Int(i) => format!("I{i}"),
        Constant::Float(f) => format!("F{:x}", f.to_bits()),
        Constant::Complex { re, im } => format!("C{:x},{:x}", re.to_bits(), im.to_bits()),
        Constant::Str(s) => format!("S{s}"),
        Constant::Bytes(b) => format!(
            "Y{}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        ),
        Constant::Tuple(items) => {
            let mut k = String::from("T(");
            for it in items {
                k.push_str(&const_key(it)?);
                k.push('\u{0}');
            }
            k.push(')');
            k
        }
        Constant::FrozenSet(items) => {
            let mut keys = items.iter().map(const_key).collect::<Option<Vec<_>>>()?;
            keys.sort();
            format!("Z({})", keys.join("\u{0}"))
        }
        // Code objects compare by value (`code_richcompare`), so compiling
        // the same definition twice (a `finally` body) yields one constant.
        Constant::Code(co) => {
            let mut k = format!(
                "K{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}",
                co.name,
                co.argcount,
                co.posonlyargcount,
                co.kwonlyargcount,
                co.flags,
                co.firstlineno
            );
            for part in [&co.code, &co.linetable, &co.exceptiontable] {
                k.extend(part.iter().map(|b| format!("{b:02x}")));
                k.push('\u{0}');
            }
            for c in &co.consts {
                k.push_str(&const_key(c)?);
                k.push('\u{1}');
            }
            k.push_str(&co.names.join("\u{1}"));
            k.push('\u{0}');
            k.push_str(&co.localsplusnames.join("\u{1}"));
            k
        }
    })
}

/// `PyObject_IsTrue` of a constant.
pub fn const_truth(c: &Constant) -> bool {
    match c {
        Constant::None => false,
        Constant::Ellipsis => true,
        Constant::Bool(b) => *b,
        Constant::Int(i) => i.sign() != num_bigint::Sign::NoSign,
        Constant::Float(f) => *f != 0.0,
        Constant::Complex { re, im } => *re != 0.0 || *im != 0.0,
        Constant::Str(s) => !s.is_empty(),
        Constant::Bytes(b) => !b.is_empty(),
        Constant::Tuple(t) => !t.is_empty(),
        Constant::FrozenSet(t) => !t.is_empty(),
        Constant::Code(_) => true,
    }
}

impl ConstTable {
    pub fn get(&self, i: u32) -> &Constant {
        &self.items[i as usize]
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// `compiler_add_const`: the index of an equal constant, or a new one.
    pub fn add(&mut self, c: Constant) -> u32 {
        match const_key(&c) {
            Some(k) => {
                if let Some(&i) = self.index.get(&k) {
                    return i;
                }
                let i = self.items.len() as u32;
                self.items.push(c);
                self.index.insert(k, i);
                i
            }
            None => {
                self.items.push(c);
                (self.items.len() - 1) as u32
            }
        }
    }

    /// Drop every constant from `keep` on (`trim_unused_consts`).
    pub fn truncate(&mut self, keep: usize) {
        if keep < self.items.len() {
            self.items.truncate(keep);
            self.index.retain(|_, v| (*v as usize) < keep);
        }
    }
}
