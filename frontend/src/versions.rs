//! Opcode tables of CPython 3.8 to 3.14, and the coverage report that
//! `pyaot opcodes` prints: for every version, which real opcodes have a
//! template and how that version's opcode set differs from 3.11's, so that
//! supporting a new CPython release starts from a diff.
//!
//! The tables are the JSON files in `frontend/opcodes/` (copies of
//! `shared/cpython-opcodes/`, dumped from each release's own `opcode`/`dis`
//! modules), embedded with `include_str!` and parsed on first use by the
//! small JSON reader at the end of this file. A hand-written reader keeps
//! `frontend`, which every codegen links, free of a serde dependency for
//! seven fixed, trusted files; the tests check that all of them parse and
//! that the 3.11 table agrees with the generated `opcode.rs`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;

/// The embedded tables, oldest first.
const SOURCES: [(&str, &str); 7] = [
    ("3.8", include_str!("../opcodes/3.8.json")),
    ("3.9", include_str!("../opcodes/3.9.json")),
    ("3.10", include_str!("../opcodes/3.10.json")),
    ("3.11", include_str!("../opcodes/3.11.json")),
    ("3.12", include_str!("../opcodes/3.12.json")),
    ("3.13", include_str!("../opcodes/3.13.json")),
    ("3.14", include_str!("../opcodes/3.14.json")),
];

/// The version pyaot compiles for and its templates implement.
pub const NATIVE_VERSION: &str = "3.11";

/// What kind of entry an opcode is (see shared/cpython-opcodes/README.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// In `opcode.opmap`: may appear in a code object.
    Real,
    /// An adaptive form the interpreter writes at run time.
    Specialized,
    /// `INSTRUMENTED_*` (3.12+).
    Instrumented,
    /// Compiler-only, never in final bytecode (3.12+).
    Pseudo,
}

/// One opcode of one CPython version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpInfo {
    pub name: String,
    /// Codes of pseudo-instructions are >= 256.
    pub code: u16,
    pub kind: Kind,
    pub has_arg: bool,
    /// Inline CACHE code units after the instruction.
    pub cache_entries: u32,
    /// The `opcode.has*` lists holding it: "const", "name", "jrel",
    /// "jabs", "jump", "local", "free", "compare", "exc".
    pub flags: Vec<String>,
    /// Specialized: the base opcode.
    pub family: Option<String>,
}

/// The opcode table of one CPython version.
#[derive(Clone, Debug)]
pub struct OpTable {
    /// "3.8" … "3.14"
    pub version: String,
    /// The release the table was dumped from, e.g. "v3.11.7".
    pub source_tag: String,
    pub magic_number: u16,
    pub have_argument: u16,
    pub extended_arg: u16,
    /// Sorted by code.
    pub opcodes: Vec<OpInfo>,
}

impl OpTable {
    /// The opcodes that may appear in a code object.
    pub fn real(&self) -> impl Iterator<Item = &OpInfo> {
        self.opcodes.iter().filter(|o| o.kind == Kind::Real)
    }

    pub fn by_name(&self, name: &str) -> Option<&OpInfo> {
        self.opcodes.iter().find(|o| o.name == name)
    }

    fn real_by_name(&self) -> BTreeMap<&str, &OpInfo> {
        self.real().map(|o| (o.name.as_str(), o)).collect()
    }
}

/// All tables, 3.8 first.
pub fn tables() -> &'static [OpTable] {
    static TABLES: OnceLock<Vec<OpTable>> = OnceLock::new();
    TABLES.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(v, text)| {
                parse_table(text).unwrap_or_else(|e| {
                    panic!("embedded frontend/opcodes/{v}.json is malformed: {e}")
                })
            })
            .collect()
    })
}

/// The table of `version` ("3.12"), if pyaot has it.
pub fn table(version: &str) -> Option<&'static OpTable> {
    tables().iter().find(|t| t.version == version)
}

/// What `pyaot opcodes` prints. `supported(name)` says whether the codegen
/// has a template for the 3.11 opcode `name`.
///
/// For each version: how many of its real opcodes have a template (an
/// opcode counts when a 3.11 opcode of the same name has one), the missing
/// ones, and against 3.11: opcodes new in that version, 3.11 opcodes it
/// does not have (removed or renamed), renumbered ones, and ones whose
/// argument, cache size or `has*` lists differ — the templates a port to
/// that version has to revisit.
pub fn coverage_report(supported: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let Some(native) = table(NATIVE_VERSION) else {
        return out;
    };
    let native_real = native.real_by_name();
    for t in tables() {
        let real = t.real_by_name();
        let covered = |name: &str| native_real.contains_key(name) && supported(name);
        let n_covered = real.keys().filter(|n| covered(n)).count();
        let _ = writeln!(
            out,
            "CPython {} ({}, magic {}): {}/{} real opcodes have a template",
            t.version,
            t.source_tag,
            t.magic_number,
            n_covered,
            real.len()
        );
        let missing: Vec<&str> = real.keys().copied().filter(|n| !covered(n)).collect();
        list(&mut out, "missing", &missing);
        if t.version == NATIVE_VERSION {
            out.push('\n');
            continue;
        }
        let added: Vec<&str> = real
            .keys()
            .copied()
            .filter(|n| !native_real.contains_key(n))
            .collect();
        let gone: Vec<&str> = native_real
            .keys()
            .copied()
            .filter(|n| !real.contains_key(n))
            .collect();
        let mut renumbered = Vec::new();
        let mut changed = Vec::new();
        for (name, o) in &real {
            let Some(n) = native_real.get(name) else {
                continue;
            };
            if o.code != n.code {
                renumbered.push(format!("{name} {}->{}", n.code, o.code));
            }
            let mut diffs = Vec::new();
            if o.has_arg != n.has_arg {
                diffs.push(format!("has_arg {}->{}", n.has_arg, o.has_arg));
            }
            if o.cache_entries != n.cache_entries {
                diffs.push(format!("caches {}->{}", n.cache_entries, o.cache_entries));
            }
            if o.flags != n.flags {
                diffs.push(format!(
                    "flags [{}]->[{}]",
                    n.flags.join(","),
                    o.flags.join(",")
                ));
            }
            if !diffs.is_empty() {
                changed.push(format!("{name} ({})", diffs.join(", ")));
            }
        }
        let vs = format!("vs {NATIVE_VERSION}");
        list(&mut out, &format!("new {vs}"), &added);
        list(
            &mut out,
            &format!("{NATIVE_VERSION} opcodes absent (removed or renamed)"),
            &gone,
        );
        list(&mut out, &format!("renumbered {vs}"), &renumbered);
        list(&mut out, &format!("changed {vs}"), &changed);
        out.push('\n');
    }
    out
}

/// `  label (n): a, b, c` wrapped at 100 columns; nothing for an empty list.
fn list<S: AsRef<str>>(out: &mut String, label: &str, items: &[S]) {
    if items.is_empty() {
        return;
    }
    let mut line = format!("  {label} ({}):", items.len());
    for (i, item) in items.iter().enumerate() {
        let item = item.as_ref();
        let sep = if i + 1 < items.len() { "," } else { "" };
        if line.len() + 1 + item.len() + sep.len() > 100 {
            out.push_str(&line);
            out.push('\n');
            line = "     ".to_string();
        }
        line.push(' ');
        line.push_str(item);
        line.push_str(sep);
    }
    out.push_str(&line);
    out.push('\n');
}

// ---------------------------------------------------------------------------
// From JSON to tables
// ---------------------------------------------------------------------------

fn parse_table(text: &str) -> Result<OpTable, String> {
    let doc = Json::parse(text)?;
    let field = |k: &str| doc.get(k).ok_or(format!("missing field {k:?}"));
    let string = |k: &str| -> Result<String, String> {
        field(k)?
            .as_str()
            .map(str::to_string)
            .ok_or(format!("{k:?} is not a string"))
    };
    let small = |v: &Json, k: &str| -> Result<u16, String> {
        v.as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .ok_or(format!("{k:?} is not a small number"))
    };
    let mut opcodes = Vec::new();
    for o in field("opcodes")?
        .as_array()
        .ok_or("\"opcodes\" is not an array")?
    {
        let get = |k: &str| o.get(k).ok_or(format!("opcode without {k:?}"));
        let name = get("name")?.as_str().ok_or("opcode name is not a string")?;
        let kind = match get("kind")?.as_str() {
            Some("real") => Kind::Real,
            Some("specialized") => Kind::Specialized,
            Some("instrumented") => Kind::Instrumented,
            Some("pseudo") => Kind::Pseudo,
            _ => return Err(format!("{name}: unknown kind")),
        };
        let flags = get("flags")?
            .as_array()
            .ok_or(format!("{name}: flags is not an array"))?
            .iter()
            .map(|f| f.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or(format!("{name}: a flag is not a string"))?;
        opcodes.push(OpInfo {
            name: name.to_string(),
            code: small(get("code")?, "code")?,
            kind,
            has_arg: get("has_arg")?
                .as_bool()
                .ok_or(format!("{name}: has_arg"))?,
            cache_entries: small(get("cache_entries")?, "cache_entries")? as u32,
            flags,
            family: o.get("family").and_then(Json::as_str).map(str::to_string),
        });
    }
    Ok(OpTable {
        version: string("version")?,
        source_tag: string("source_tag")?,
        magic_number: small(field("magic_number")?, "magic_number")?,
        have_argument: small(field("have_argument")?, "have_argument")?,
        extended_arg: small(field("extended_arg")?, "extended_arg")?,
        opcodes,
    })
}

/// A parsed JSON value. Numbers keep their text; objects keep their order.
#[derive(Clone, Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn parse(text: &str) -> Result<Json, String> {
        let mut p = JsonParser {
            s: text.as_bytes(),
            pos: 0,
        };
        let v = p.value(0)?;
        p.ws();
        if p.pos != p.s.len() {
            return Err(p.err("trailing characters"));
        }
        Ok(v)
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }
}

struct JsonParser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl JsonParser<'_> {
    fn err(&self, what: &str) -> String {
        format!("{what} at byte {}", self.pos)
    }

    fn ws(&mut self) {
        while matches!(self.s.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str, v: Json) -> Result<Json, String> {
        if self.s[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.err("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > 64 {
            return Err(self.err("nesting too deep"));
        }
        self.ws();
        match self.s.get(self.pos) {
            None => Err(self.err("unexpected end")),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Ok(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.err("expected ',' or ']'"));
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut fields = Vec::new();
                if self.eat(b'}') {
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return Err(self.err("expected ':'"));
                    }
                    fields.push((key, self.value(depth + 1)?));
                    if self.eat(b'}') {
                        return Ok(Json::Object(fields));
                    }
                    if !self.eat(b',') {
                        return Err(self.err("expected ',' or '}'"));
                    }
                }
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.pos;
                while matches!(
                    self.s.get(self.pos),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.pos += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
                if text.parse::<f64>().is_err() {
                    return Err(self.err("bad number"));
                }
                Ok(Json::Number(text.to_string()))
            }
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .s
            .get(self.pos..self.pos + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("bad \\u escape"))?;
        self.pos += 4;
        Ok(h)
    }

    fn string(&mut self) -> Result<String, String> {
        if self.s.get(self.pos) != Some(&b'"') {
            return Err(self.err("expected a string"));
        }
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let c = *self
                .s
                .get(self.pos)
                .ok_or_else(|| self.err("unterminated string"))?;
            self.pos += 1;
            match c {
                b'"' => return String::from_utf8(out).map_err(|_| self.err("invalid UTF-8")),
                b'\\' => {
                    let e = *self
                        .s
                        .get(self.pos)
                        .ok_or_else(|| self.err("unterminated string"))?;
                    self.pos += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut u = self.hex4()?;
                            if (0xd800..0xdc00).contains(&u)
                                && self.s[self.pos..].starts_with(b"\\u")
                            {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                u = 0x10000
                                    + ((u - 0xd800) << 10)
                                    + (lo.wrapping_sub(0xdc00) & 0x3ff);
                            }
                            char::from_u32(u).ok_or_else(|| self.err("bad \\u escape"))?
                        }
                        _ => return Err(self.err("bad escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcode::{Opcode, EXTENDED_ARG, HAVE_ARGUMENT, MAGIC_NUMBER};

    #[test]
    fn all_tables_parse() {
        let t = tables();
        assert_eq!(
            t.iter().map(|t| t.version.as_str()).collect::<Vec<_>>(),
            ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]
        );
        let magics: Vec<u16> = t.iter().map(|t| t.magic_number).collect();
        assert_eq!(magics, [3413, 3425, 3439, 3495, 3531, 3571, 3627]);
        for t in t {
            assert!(t.real().count() > 100, "{}", t.version);
            // Every magic number names its own version in marshal's errors.
            let v = crate::marshal::magic_version(t.magic_number).unwrap();
            assert_eq!(v, t.version);
        }
    }

    #[test]
    fn table_311_matches_generated_opcodes() {
        let t = table("3.11").unwrap();
        assert_eq!(t.magic_number, MAGIC_NUMBER);
        assert_eq!(t.have_argument, HAVE_ARGUMENT as u16);
        assert_eq!(t.extended_arg, EXTENDED_ARG as u16);
        let real: Vec<&OpInfo> = t.real().collect();
        assert_eq!(real.len(), Opcode::ALL.len());
        for (o, op) in real.iter().zip(Opcode::ALL) {
            assert_eq!((o.name.as_str(), o.code), (op.name(), *op as u16));
            assert_eq!(o.has_arg, op.has_arg(), "{}", o.name);
            assert_eq!(o.cache_entries as usize, op.cache_entries(), "{}", o.name);
            let has = |f: &str| o.flags.iter().any(|x| x == f);
            assert_eq!(has("const"), op.has_const(), "{}", o.name);
            assert_eq!(has("name"), op.has_name(), "{}", o.name);
            assert_eq!(has("jrel"), op.has_jrel(), "{}", o.name);
            assert_eq!(has("local"), op.has_local(), "{}", o.name);
            assert_eq!(has("free"), op.has_free(), "{}", o.name);
        }
    }

    #[test]
    fn table_311_matches_running_python() {
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import opcode\nfor n, c in sorted(opcode.opmap.items(), key=lambda x: x[1]): \
                 print(n, c, opcode._inline_cache_entries[c])",
            ])
            .output()
            .expect("python3 must be installed");
        let t = table("3.11").unwrap();
        let ours: Vec<String> = t
            .real()
            .map(|o| format!("{} {} {}", o.name, o.code, o.cache_entries))
            .collect();
        let want: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(ours, want);
    }

    #[test]
    fn coverage_report_shape() {
        let supported = |n: &str| matches!(n, "LOAD_CONST" | "RETURN_VALUE" | "PRECALL");
        let r = coverage_report(&supported);
        assert!(
            r.contains("CPython 3.11 (v3.11.7, magic 3495): 3/110 real opcodes have a template")
        );
        // PRECALL is gone in 3.12; LOAD_CONST and RETURN_VALUE remain until 3.14
        // (RETURN_CONST and friends aside).
        assert!(
            r.contains("CPython 3.12 (v3.12.1, magic 3531): 2/111 real opcodes"),
            "{r}"
        );
        let s312 = r
            .split("CPython 3.12")
            .nth(1)
            .unwrap()
            .split("CPython 3.13")
            .next()
            .unwrap();
        assert!(s312.contains("3.11 opcodes absent (removed or renamed)"));
        assert!(s312.contains("PRECALL"));
        assert!(s312.contains("LOAD_ATTR (caches 4->9"), "{s312}");
        assert!(r.contains("CPython 3.8 "));
        // Long lists are wrapped.
        assert!(r.lines().all(|l| l.len() <= 100));
    }

    #[test]
    fn json_reader() {
        let v =
            Json::parse(r#" {"a": [1, -2.5e3, true, null, "x\"\u00e9\ud83d\ude00"], "b": {}} "#)
                .unwrap();
        assert_eq!(
            v.get("a").unwrap().as_array().unwrap()[4].as_str(),
            Some("x\"\u{e9}\u{1f600}")
        );
        assert!(Json::parse("[1, 2").is_err());
        assert!(Json::parse("{\"a\" 1}").is_err());
        assert!(Json::parse("[1] x").is_err());
        assert!(Json::parse("\"\\q\"").is_err());
    }
}
