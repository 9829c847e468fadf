//! CPython's `marshal` format (version 4, Python/marshal.c of 3.11) and the
//! 3.11 `.pyc` container around it.
//!
//! The writer produces what `marshal.dumps` writes for the same values, except
//! that it never sets `FLAG_REF` (no back-references) and never uses the
//! interned string codes; CPython reads both forms alike. The reader is
//! complete for everything a `.pyc` can contain: back-references, interned
//! strings, short and long tuples, every number and string encoding.

use crate::code::{CodeObject, Constant};
use crate::opcode::MAGIC_NUMBER;
use num_bigint::{BigInt, BigUint, Sign};
use std::fmt;

// Type codes (Python/marshal.c).
const TYPE_NULL: u8 = b'0';
const TYPE_NONE: u8 = b'N';
const TYPE_FALSE: u8 = b'F';
const TYPE_TRUE: u8 = b'T';
const TYPE_STOPITER: u8 = b'S';
const TYPE_ELLIPSIS: u8 = b'.';
const TYPE_INT: u8 = b'i';
const TYPE_FLOAT: u8 = b'f';
const TYPE_BINARY_FLOAT: u8 = b'g';
const TYPE_COMPLEX: u8 = b'x';
const TYPE_BINARY_COMPLEX: u8 = b'y';
const TYPE_LONG: u8 = b'l';
const TYPE_STRING: u8 = b's';
const TYPE_INTERNED: u8 = b't';
const TYPE_REF: u8 = b'r';
const TYPE_TUPLE: u8 = b'(';
const TYPE_LIST: u8 = b'[';
const TYPE_DICT: u8 = b'{';
const TYPE_CODE: u8 = b'c';
const TYPE_UNICODE: u8 = b'u';
const TYPE_UNKNOWN: u8 = b'?';
const TYPE_SET: u8 = b'<';
const TYPE_FROZENSET: u8 = b'>';
const TYPE_ASCII: u8 = b'a';
const TYPE_ASCII_INTERNED: u8 = b'A';
const TYPE_SMALL_TUPLE: u8 = b')';
const TYPE_SHORT_ASCII: u8 = b'z';
const TYPE_SHORT_ASCII_INTERNED: u8 = b'Z';
const FLAG_REF: u8 = 0x80;

/// `PyLong_MARSHAL_SHIFT`: longs are stored as base-2**15 digits.
const LONG_SHIFT: u32 = 15;
/// Nesting limit. CPython's `MAX_MARSHAL_STACK_DEPTH` is 2000; pyaot stops
/// at 500 so that a hostile file cannot overflow a 2 MiB thread stack even in
/// a debug build. Code CPython compiles nests far less (at most 200 levels of
/// brackets and 100 of indentation).
const MAX_DEPTH: usize = 500;
/// Size of the 3.11 `.pyc` header (PEP 552).
pub const PYC_HEADER_LEN: usize = 16;

/// Why a marshal stream or `.pyc` could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarshalError {
    /// The data ends inside an object.
    Truncated { offset: usize },
    /// The first four bytes are not a `.pyc` magic number at all.
    NotPyc { found: [u8; 4] },
    /// A `.pyc` of another CPython version.
    OtherVersion { magic: u16, version: String },
    /// The `.pyc` header flags are not 0..=3 (PEP 552).
    BadFlags { flags: u32 },
    /// A type code marshal does not know.
    UnknownType { offset: usize, code: u8 },
    /// A `TYPE_REF` to an object that is not (yet) there.
    BadRef { offset: usize, index: i64 },
    /// A well-formed marshal object that cannot be a code-object constant
    /// (list, dict, set, NULL, StopIteration).
    NotAConstant { offset: usize, what: &'static str },
    /// Structurally wrong data, e.g. a negative length or a code object
    /// whose `co_names` is not a tuple of strings.
    BadData { offset: usize, what: String },
    /// Nesting deeper than CPython's limit.
    TooDeep { offset: usize },
    /// The object after the `.pyc` header is not a code object.
    NotCode { found: &'static str },
}

impl fmt::Display for MarshalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarshalError::Truncated { offset } => {
                write!(f, "bad marshal data: data ends unexpectedly at byte {offset}")
            }
            MarshalError::NotPyc { found } => write!(
                f,
                "not a .pyc file (first bytes {:02x} {:02x} {:02x} {:02x} are no CPython magic number)",
                found[0], found[1], found[2], found[3]
            ),
            MarshalError::OtherVersion { magic, version } => write!(
                f,
                ".pyc from CPython {version} (magic number {magic}); pyaot reads 3.11 bytecode (magic number {MAGIC_NUMBER})"
            ),
            MarshalError::BadFlags { flags } => write!(f, "invalid .pyc header flags {flags:#x}"),
            MarshalError::UnknownType { offset, code } => write!(
                f,
                "bad marshal data: unknown type code {:?} ({code:#04x}) at byte {offset}",
                *code as char
            ),
            MarshalError::BadRef { offset, index } => {
                write!(f, "bad marshal data: invalid reference {index} at byte {offset}")
            }
            MarshalError::NotAConstant { offset, what } => write!(
                f,
                "marshal data at byte {offset} holds a {what}, which cannot be a code-object constant"
            ),
            MarshalError::BadData { offset, what } => {
                write!(f, "bad marshal data at byte {offset}: {what}")
            }
            MarshalError::TooDeep { offset } => {
                write!(f, "bad marshal data: nesting deeper than {MAX_DEPTH} at byte {offset}")
            }
            MarshalError::NotCode { found } => {
                write!(f, "the .pyc holds a {found}, not a code object")
            }
        }
    }
}

impl std::error::Error for MarshalError {}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

fn w_long(out: &mut Vec<u8>, x: i32) {
    out.extend_from_slice(&x.to_le_bytes());
}

/// A length as `W_SIZE` writes it. Lengths beyond `i32::MAX` cannot be
/// marshalled; nothing pyaot produces comes near that.
fn w_size(out: &mut Vec<u8>, n: usize) {
    let n = i32::try_from(n).expect("object too large for marshal (over 2**31 items)");
    w_long(out, n);
}

/// `w_pstring`: a 4-byte length, then the bytes.
fn w_pstring(out: &mut Vec<u8>, b: &[u8]) {
    w_size(out, b.len());
    out.extend_from_slice(b);
}

fn w_str(out: &mut Vec<u8>, s: &str) {
    if s.is_ascii() {
        if s.len() < 256 {
            out.push(TYPE_SHORT_ASCII);
            out.push(s.len() as u8);
            out.extend_from_slice(s.as_bytes());
        } else {
            out.push(TYPE_ASCII);
            w_pstring(out, s.as_bytes());
        }
    } else {
        out.push(TYPE_UNICODE);
        w_pstring(out, s.as_bytes());
    }
}

fn w_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.push(TYPE_STRING);
    w_pstring(out, b);
}

fn w_tuple_header(out: &mut Vec<u8>, n: usize) {
    if n < 256 {
        out.push(TYPE_SMALL_TUPLE);
        out.push(n as u8);
    } else {
        out.push(TYPE_TUPLE);
        w_size(out, n);
    }
}

fn w_str_tuple(out: &mut Vec<u8>, items: &[String]) {
    w_tuple_header(out, items.len());
    for s in items {
        w_str(out, s);
    }
}

/// `w_PyLong`: sign and count of 15-bit digits, then the digits, least
/// significant first.
fn w_pylong(out: &mut Vec<u8>, v: &BigInt) {
    let digits = long_digits(v.magnitude());
    let n = i32::try_from(digits.len()).expect("int too large for marshal");
    w_long(out, if v.sign() == Sign::Minus { -n } else { n });
    for d in digits {
        out.extend_from_slice(&d.to_le_bytes());
    }
}

/// The magnitude in base 2**15, least significant digit first.
fn long_digits(m: &BigUint) -> Vec<u16> {
    let mut digits = Vec::new();
    let mut acc: u64 = 0;
    let mut bits: u32 = 0;
    for word in m.iter_u32_digits() {
        acc |= (word as u64) << bits;
        bits += 32;
        while bits >= LONG_SHIFT {
            digits.push((acc & 0x7fff) as u16);
            acc >>= LONG_SHIFT;
            bits -= LONG_SHIFT;
        }
    }
    if bits > 0 {
        digits.push(acc as u16);
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    digits
}

/// Append one constant, as `marshal.dumps` (version 4) writes it, without
/// back-references.
pub fn write_constant(out: &mut Vec<u8>, c: &Constant) {
    match c {
        Constant::None => out.push(TYPE_NONE),
        Constant::Ellipsis => out.push(TYPE_ELLIPSIS),
        Constant::Bool(true) => out.push(TYPE_TRUE),
        Constant::Bool(false) => out.push(TYPE_FALSE),
        Constant::Int(v) => match i32::try_from(v) {
            Ok(x) => {
                out.push(TYPE_INT);
                w_long(out, x);
            }
            Err(_) => {
                out.push(TYPE_LONG);
                w_pylong(out, v);
            }
        },
        Constant::Float(x) => {
            out.push(TYPE_BINARY_FLOAT);
            out.extend_from_slice(&x.to_le_bytes());
        }
        Constant::Complex { re, im } => {
            out.push(TYPE_BINARY_COMPLEX);
            out.extend_from_slice(&re.to_le_bytes());
            out.extend_from_slice(&im.to_le_bytes());
        }
        Constant::Str(s) => w_str(out, s),
        Constant::Bytes(b) => w_bytes(out, b),
        Constant::Tuple(items) => {
            w_tuple_header(out, items.len());
            for item in items {
                write_constant(out, item);
            }
        }
        Constant::FrozenSet(items) => {
            out.push(TYPE_FROZENSET);
            w_size(out, items.len());
            for item in items {
                write_constant(out, item);
            }
        }
        Constant::Code(code) => write_code(out, code),
    }
}

/// Append a code object (`TYPE_CODE`, field order of 3.11's `w_object`).
pub fn write_code(out: &mut Vec<u8>, co: &CodeObject) {
    let field = |x: u32| i32::try_from(x).expect("code object field exceeds 2**31");
    out.push(TYPE_CODE);
    w_long(out, field(co.argcount));
    w_long(out, field(co.posonlyargcount));
    w_long(out, field(co.kwonlyargcount));
    w_long(out, field(co.stacksize));
    w_long(out, field(co.flags));
    w_bytes(out, &co.code);
    w_tuple_header(out, co.consts.len());
    for c in &co.consts {
        write_constant(out, c);
    }
    w_str_tuple(out, &co.names);
    w_str_tuple(out, &co.localsplusnames);
    w_bytes(out, &co.localspluskinds);
    w_str(out, &co.filename);
    w_str(out, &co.name);
    w_str(out, &co.qualname);
    w_long(out, field(co.firstlineno));
    w_bytes(out, &co.linetable);
    w_bytes(out, &co.exceptiontable);
}

/// `marshal.dumps(c)` without back-references.
pub fn dumps(c: &Constant) -> Vec<u8> {
    let mut out = Vec::new();
    write_constant(&mut out, c);
    out
}

/// A timestamp-based 3.11 `.pyc`: magic, flags 0, source mtime and size,
/// then the marshalled module code object.
pub fn write_pyc(code: &CodeObject, source_mtime: u32, source_size: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(PYC_HEADER_LEN + 4 * code.code.len());
    out.extend_from_slice(&MAGIC_NUMBER.to_le_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&source_mtime.to_le_bytes());
    out.extend_from_slice(&source_size.to_le_bytes());
    write_code(&mut out, code);
    out
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// A marshal stream being read.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// CPython's `p->refs` list: each object with its size in objects, or
    /// `None` while it is reserved but not finished yet.
    refs: Vec<Option<(Constant, usize)>>,
    depth: usize,
    /// Objects materialised so far. CPython shares back-referenced objects;
    /// pyaot copies them, so a hostile file could nest references to make
    /// the result exponentially large. `budget` caps that.
    objects: usize,
    budget: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            refs: Vec::new(),
            depth: 0,
            objects: 0,
            budget: (1 << 20) + 16 * data.len(),
        }
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], MarshalError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or(MarshalError::Truncated {
                offset: self.data.len(),
            })?;
        let b = &self.data[self.pos..end];
        self.pos = end;
        Ok(b)
    }

    fn byte(&mut self) -> Result<u8, MarshalError> {
        Ok(self.bytes(1)?[0])
    }

    fn r_long(&mut self) -> Result<i32, MarshalError> {
        let b = self.bytes(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn r_f64(&mut self) -> Result<f64, MarshalError> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    fn bad(&self, at: usize, what: impl Into<String>) -> MarshalError {
        MarshalError::BadData {
            offset: at,
            what: what.into(),
        }
    }

    /// A non-negative 4-byte length (`r_long` + the `n < 0` check).
    fn r_size(&mut self, what: &str) -> Result<usize, MarshalError> {
        let at = self.pos;
        let n = self.r_long()?;
        usize::try_from(n).map_err(|_| self.bad(at, format!("negative {what} length {n}")))
    }

    /// A length-prefixed byte string (`r_string` after `r_long`).
    fn r_pstring(&mut self, what: &str) -> Result<&'a [u8], MarshalError> {
        let n = self.r_size(what)?;
        self.bytes(n)
    }

    /// The old text float format (`TYPE_FLOAT`, `TYPE_COMPLEX`): one length
    /// byte, then the decimal text.
    fn r_text_float(&mut self) -> Result<f64, MarshalError> {
        let at = self.pos;
        let n = self.byte()? as usize;
        let text = self.bytes(n)?;
        std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.trim().parse::<f64>().ok())
            .ok_or_else(|| self.bad(at, "float text is not a number"))
    }

    fn r_pylong(&mut self, at: usize) -> Result<BigInt, MarshalError> {
        let n = self.r_long()?;
        let count = n.unsigned_abs() as usize;
        let raw = self.bytes(count.checked_mul(2).ok_or(MarshalError::Truncated {
            offset: self.data.len(),
        })?)?;
        let mut bytes = Vec::with_capacity(count * 2);
        let mut acc: u32 = 0;
        let mut bits: u32 = 0;
        for (i, pair) in raw.chunks_exact(2).enumerate() {
            let d = u16::from_le_bytes([pair[0], pair[1]]);
            if d >= 1 << LONG_SHIFT {
                return Err(self.bad(at, "digit out of range in long"));
            }
            if d == 0 && i + 1 == count {
                return Err(self.bad(at, "unnormalized long data"));
            }
            acc |= (d as u32) << bits;
            bits += LONG_SHIFT;
            while bits >= 8 {
                bytes.push(acc as u8);
                acc >>= 8;
                bits -= 8;
            }
        }
        if bits > 0 {
            bytes.push(acc as u8);
        }
        let sign = match n {
            0 => Sign::NoSign,
            n if n < 0 => Sign::Minus,
            _ => Sign::Plus,
        };
        Ok(BigInt::from_bytes_le(sign, &bytes))
    }

    fn r_str(&mut self, short: bool, latin1: bool) -> Result<String, MarshalError> {
        let at = self.pos;
        let raw = if short {
            let n = self.byte()? as usize;
            self.bytes(n)?
        } else {
            self.r_pstring("string")?
        };
        if latin1 {
            // TYPE_ASCII*: one byte per character (PyUnicode_1BYTE_KIND).
            Ok(raw.iter().map(|&b| b as char).collect())
        } else {
            String::from_utf8(raw.to_vec()).map_err(|_| {
                self.bad(
                    at,
                    "string is not valid UTF-8 (lone surrogates are not supported)",
                )
            })
        }
    }

    /// Read one object (`r_object`).
    fn object(&mut self) -> Result<Constant, MarshalError> {
        let at = self.pos;
        let code = self.byte()?;
        if self.depth >= MAX_DEPTH {
            return Err(MarshalError::TooDeep { offset: at });
        }
        self.depth += 1;
        self.objects += 1;
        let result = self.object_body(at, code & !FLAG_REF, code & FLAG_REF != 0);
        self.depth -= 1;
        result
    }

    fn object_body(&mut self, at: usize, ty: u8, flag: bool) -> Result<Constant, MarshalError> {
        if !matches!(
            ty,
            TYPE_SMALL_TUPLE | TYPE_TUPLE | TYPE_FROZENSET | TYPE_CODE
        ) {
            return self.leaf(at, ty, flag);
        }
        // Containers and code objects take their refs slot before their
        // contents (r_ref_reserve).
        let slot = self.reserve(flag);
        let value = match ty {
            TYPE_SMALL_TUPLE => {
                let n = self.byte()? as usize;
                Constant::Tuple(self.items(n)?)
            }
            TYPE_TUPLE => {
                let n = self.r_size("tuple")?;
                Constant::Tuple(self.items(n)?)
            }
            TYPE_FROZENSET => {
                let n = self.r_size("frozenset")?;
                Constant::FrozenSet(self.items(n)?)
            }
            _ => Constant::Code(Box::new(self.code()?)),
        };
        self.fill(slot, &value);
        Ok(value)
    }

    /// Take a refs slot for the object being read: (index, objects so far).
    fn reserve(&mut self, flag: bool) -> Option<(usize, usize)> {
        flag.then(|| {
            self.refs.push(None);
            (self.refs.len() - 1, self.objects)
        })
    }

    fn fill(&mut self, slot: Option<(usize, usize)>, value: &Constant) {
        if let Some((i, objects_before)) = slot {
            self.refs[i] = Some((value.clone(), self.objects - objects_before + 1));
        }
    }

    /// Objects without contents. Kept out of `object_body` so that the
    /// recursion through containers uses little stack.
    #[inline(never)]
    fn leaf(&mut self, at: usize, ty: u8, flag: bool) -> Result<Constant, MarshalError> {
        let not_constant = |what| Err(MarshalError::NotAConstant { offset: at, what });
        // Singletons are never entered into the refs list, flag or not.
        match ty {
            TYPE_NONE => return Ok(Constant::None),
            TYPE_TRUE => return Ok(Constant::Bool(true)),
            TYPE_FALSE => return Ok(Constant::Bool(false)),
            TYPE_ELLIPSIS => return Ok(Constant::Ellipsis),
            TYPE_REF => {
                let n = self.r_long()?;
                let (value, size) = usize::try_from(n)
                    .ok()
                    .and_then(|i| self.refs.get(i))
                    .and_then(|r| r.as_ref())
                    .ok_or(MarshalError::BadRef {
                        offset: at,
                        index: n as i64,
                    })?;
                let (value, size) = (value.clone(), *size);
                self.objects += size;
                if self.objects > self.budget {
                    return Err(self.bad(at, "back-references expand to too many objects"));
                }
                return Ok(value);
            }
            TYPE_NULL => return not_constant("NULL"),
            TYPE_STOPITER => return not_constant("StopIteration"),
            TYPE_LIST => return not_constant("list"),
            TYPE_DICT => return not_constant("dict"),
            TYPE_SET => return not_constant("set"),
            TYPE_UNKNOWN => return not_constant("unmarshallable object"),
            _ => {}
        }
        let slot = self.reserve(flag);
        let value = match ty {
            TYPE_INT => Constant::Int(BigInt::from(self.r_long()?)),
            TYPE_LONG => Constant::Int(self.r_pylong(at)?),
            TYPE_BINARY_FLOAT => Constant::Float(self.r_f64()?),
            TYPE_FLOAT => Constant::Float(self.r_text_float()?),
            TYPE_BINARY_COMPLEX => {
                let re = self.r_f64()?;
                let im = self.r_f64()?;
                Constant::Complex { re, im }
            }
            TYPE_COMPLEX => {
                let re = self.r_text_float()?;
                let im = self.r_text_float()?;
                Constant::Complex { re, im }
            }
            TYPE_STRING => Constant::Bytes(self.r_pstring("bytes")?.to_vec()),
            TYPE_UNICODE | TYPE_INTERNED => Constant::Str(self.r_str(false, false)?),
            TYPE_ASCII | TYPE_ASCII_INTERNED => Constant::Str(self.r_str(false, true)?),
            TYPE_SHORT_ASCII | TYPE_SHORT_ASCII_INTERNED => Constant::Str(self.r_str(true, true)?),
            code => return Err(MarshalError::UnknownType { offset: at, code }),
        };
        self.fill(slot, &value);
        Ok(value)
    }

    fn items(&mut self, n: usize) -> Result<Vec<Constant>, MarshalError> {
        // Every item takes at least one byte: cap the allocation by what is left.
        let mut v = Vec::with_capacity(n.min(self.data.len() - self.pos));
        for _ in 0..n {
            v.push(self.object()?);
        }
        Ok(v)
    }

    fn u32_field(&mut self, what: &str) -> Result<u32, MarshalError> {
        let at = self.pos;
        let x = self.r_long()?;
        u32::try_from(x).map_err(|_| self.bad(at, format!("negative {what} {x}")))
    }

    fn bytes_field(&mut self, what: &str) -> Result<Vec<u8>, MarshalError> {
        let at = self.pos;
        match self.object()? {
            Constant::Bytes(b) => Ok(b),
            other => Err(self.bad(at, format!("{what} is a {}, not bytes", kind_name(&other)))),
        }
    }

    fn str_field(&mut self, what: &str) -> Result<String, MarshalError> {
        let at = self.pos;
        match self.object()? {
            Constant::Str(s) => Ok(s),
            other => Err(self.bad(at, format!("{what} is a {}, not str", kind_name(&other)))),
        }
    }

    fn str_tuple_field(&mut self, what: &str) -> Result<Vec<String>, MarshalError> {
        let at = self.pos;
        match self.object()? {
            Constant::Tuple(items) => items
                .into_iter()
                .map(|c| match c {
                    Constant::Str(s) => Ok(s),
                    other => Err(self.bad(
                        at,
                        format!("{what} holds a {}, not only str", kind_name(&other)),
                    )),
                })
                .collect(),
            other => Err(self.bad(
                at,
                format!("{what} is a {}, not a tuple", kind_name(&other)),
            )),
        }
    }

    /// The fields of a `TYPE_CODE` object, in 3.11 order.
    #[inline(never)]
    fn code(&mut self) -> Result<CodeObject, MarshalError> {
        let argcount = self.u32_field("co_argcount")?;
        let posonlyargcount = self.u32_field("co_posonlyargcount")?;
        let kwonlyargcount = self.u32_field("co_kwonlyargcount")?;
        let stacksize = self.u32_field("co_stacksize")?;
        let flags = self.u32_field("co_flags")?;
        let code = self.bytes_field("co_code")?;
        let at = self.pos;
        let consts = match self.object()? {
            Constant::Tuple(items) => items,
            other => {
                return Err(self.bad(
                    at,
                    format!("co_consts is a {}, not a tuple", kind_name(&other)),
                ))
            }
        };
        let names = self.str_tuple_field("co_names")?;
        let localsplusnames = self.str_tuple_field("co_localsplusnames")?;
        let at = self.pos;
        let localspluskinds = self.bytes_field("co_localspluskinds")?;
        if localspluskinds.len() != localsplusnames.len() {
            return Err(self.bad(
                at,
                format!(
                    "co_localspluskinds has {} entries for {} names",
                    localspluskinds.len(),
                    localsplusnames.len()
                ),
            ));
        }
        let filename = self.str_field("co_filename")?;
        let name = self.str_field("co_name")?;
        let qualname = self.str_field("co_qualname")?;
        let firstlineno = self.u32_field("co_firstlineno")?;
        let linetable = self.bytes_field("co_linetable")?;
        let exceptiontable = self.bytes_field("co_exceptiontable")?;
        Ok(CodeObject {
            argcount,
            posonlyargcount,
            kwonlyargcount,
            stacksize,
            flags,
            code,
            consts,
            names,
            localsplusnames,
            localspluskinds,
            filename,
            name,
            qualname,
            firstlineno,
            linetable,
            exceptiontable,
        })
    }
}

fn kind_name(c: &Constant) -> &'static str {
    match c {
        Constant::None => "None",
        Constant::Ellipsis => "Ellipsis",
        Constant::Bool(_) => "bool",
        Constant::Int(_) => "int",
        Constant::Float(_) => "float",
        Constant::Complex { .. } => "complex",
        Constant::Str(_) => "str",
        Constant::Bytes(_) => "bytes",
        Constant::Tuple(_) => "tuple",
        Constant::FrozenSet(_) => "frozenset",
        Constant::Code(_) => "code object",
    }
}

/// `marshal.loads(data)`: the first object of a marshal stream (trailing
/// bytes are ignored, as CPython does).
pub fn read_object(data: &[u8]) -> Result<Constant, MarshalError> {
    Reader::new(data).object()
}

/// The CPython release a `.pyc` magic number belongs to
/// (Lib/importlib/_bootstrap_external.py), for error messages.
pub fn magic_version(magic: u16) -> Option<String> {
    let v = match magic {
        20121 => "1.5",
        50428 => "1.6",
        50823 => "2.0",
        60202 => "2.1",
        60717 => "2.2",
        62011..=62021 => "2.3",
        62041..=62061 => "2.4",
        62071..=62131 => "2.5",
        62151..=62161 => "2.6",
        62171..=62211 => "2.7",
        3000..=3131 => "3.0",
        3141..=3151 => "3.1",
        3160..=3180 => "3.2",
        3190..=3230 => "3.3",
        3250..=3310 => "3.4",
        3320..=3351 => "3.5",
        3360..=3379 => "3.6",
        3390..=3394 => "3.7",
        3400..=3413 => "3.8",
        3420..=3425 => "3.9",
        3430..=3439 => "3.10",
        3450..=3494 => return Some(format!("3.11 pre-release (magic {magic})")),
        3495 => "3.11",
        3500..=3549 => "3.12",
        3550..=3599 => "3.13",
        3600..=3649 => "3.14",
        3650..=3699 => "3.15",
        _ => return None,
    };
    Some(v.to_string())
}

/// Read a 3.11 `.pyc` file: check the 16-byte header, return the module's
/// code object.
pub fn read_pyc(bytes: &[u8]) -> Result<CodeObject, MarshalError> {
    if bytes.len() < 4 {
        let mut found = [0u8; 4];
        found[..bytes.len()].copy_from_slice(bytes);
        return Err(if bytes.is_empty() {
            MarshalError::Truncated { offset: 0 }
        } else {
            MarshalError::NotPyc { found }
        });
    }
    let magic = u16::from_le_bytes([bytes[0], bytes[1]]);
    if &bytes[2..4] != b"\r\n" {
        return Err(MarshalError::NotPyc {
            found: [bytes[0], bytes[1], bytes[2], bytes[3]],
        });
    }
    if magic != MAGIC_NUMBER {
        return Err(match magic_version(magic) {
            Some(version) => MarshalError::OtherVersion { magic, version },
            None => MarshalError::NotPyc {
                found: [bytes[0], bytes[1], bytes[2], bytes[3]],
            },
        });
    }
    if bytes.len() < PYC_HEADER_LEN {
        return Err(MarshalError::Truncated {
            offset: bytes.len(),
        });
    }
    let flags = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if flags & !0b11 != 0 {
        return Err(MarshalError::BadFlags { flags });
    }
    let mut r = Reader::new(&bytes[PYC_HEADER_LEN..]);
    match r.object() {
        Ok(Constant::Code(code)) => Ok(*code),
        Ok(other) => Err(MarshalError::NotCode {
            found: kind_name(&other),
        }),
        Err(e) => Err(shift_offset(e, PYC_HEADER_LEN)),
    }
}

/// Make a reader error's offset count from the start of the file.
fn shift_offset(e: MarshalError, by: usize) -> MarshalError {
    use MarshalError::*;
    match e {
        Truncated { offset } => Truncated {
            offset: offset + by,
        },
        UnknownType { offset, code } => UnknownType {
            offset: offset + by,
            code,
        },
        BadRef { offset, index } => BadRef {
            offset: offset + by,
            index,
        },
        NotAConstant { offset, what } => NotAConstant {
            offset: offset + by,
            what,
        },
        BadData { offset, what } => BadData {
            offset: offset + by,
            what,
        },
        TooDeep { offset } => TooDeep {
            offset: offset + by,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::process::Command;

    /// Run `python3 -c script args...`, return stdout; the test fails on error.
    fn python(script: &str, args: &[&str]) -> String {
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(args)
            .output()
            .expect("python3 must be installed");
        assert!(
            out.status.success(),
            "python3 failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pyaot-marshal-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// `marshal.dumps` of each expression, on fresh objects whose reference
    /// count is 1 so that CPython sets no FLAG_REF either.
    const FRESH: &str = r#"
import marshal, sys
def fresh(o):
    t = type(o)
    if t is int: return int(str(o))
    if t is float: return float(repr(o))
    if t is complex: return complex(fresh(o.real), fresh(o.imag))
    if t is str: return ''.join([c for c in o])
    if t is bytes: return bytes(bytearray(o))
    if t is tuple: return tuple([fresh(x) for x in o])
    if t is frozenset: return frozenset([fresh(x) for x in o])
    return o
for e in sys.argv[1:]:
    print(marshal.dumps(fresh(eval(e))).hex())
"#;

    #[test]
    fn writes_constants_like_cpython() {
        let big = |s: &str| Constant::Int(s.parse::<BigInt>().unwrap());
        let cases: Vec<(&str, Constant)> = vec![
            ("None", Constant::None),
            ("True", Constant::Bool(true)),
            ("False", Constant::Bool(false)),
            ("...", Constant::Ellipsis),
            ("1000", big("1000")),
            ("-1000", big("-1000")),
            ("2**31-1", big("2147483647")),
            ("-2**31", big("-2147483648")),
            ("2**31", big("2147483648")),
            ("-2**31-1", big("-2147483649")),
            ("2**64", big("18446744073709551616")),
            (
                "-(10**40)+7",
                big("-9999999999999999999999999999999999999993"),
            ),
            ("1.5", Constant::Float(1.5)),
            ("-0.0", Constant::Float(-0.0)),
            ("1e300", Constant::Float(1e300)),
            ("float('inf')", Constant::Float(f64::INFINITY)),
            (
                "complex(1.5, -2.0)",
                Constant::Complex { re: 1.5, im: -2.0 },
            ),
            ("'hello'", Constant::Str("hello".into())),
            ("'x'*300", Constant::Str("x".repeat(300))),
            (
                "'h\u{e9}llo \u{20ac}'",
                Constant::Str("h\u{e9}llo \u{20ac}".into()),
            ),
            ("b'ab\\x00\\xff'", Constant::Bytes(b"ab\x00\xff".to_vec())),
            (
                "(1000, 'ab', (None, 2.5))",
                Constant::Tuple(vec![
                    big("1000"),
                    Constant::Str("ab".into()),
                    Constant::Tuple(vec![Constant::None, Constant::Float(2.5)]),
                ]),
            ),
            (
                "tuple(range(1000, 1300))",
                Constant::Tuple((1000..1300).map(|i| big(&i.to_string())).collect()),
            ),
            // CPython iterates a set with new references, so set items
            // always carry FLAG_REF there; refs are covered by the next test.
            (
                "frozenset({None})",
                Constant::FrozenSet(vec![Constant::None]),
            ),
        ];
        let exprs: Vec<&str> = cases.iter().map(|c| c.0).collect();
        let expected = python(FRESH, &exprs);
        for ((expr, c), want) in cases.iter().zip(expected.lines()) {
            assert_eq!(hex(&dumps(c)), want, "marshal.dumps({expr})");
        }
    }

    /// Values CPython writes with back-references and interned strings: we
    /// read them, write them back without refs, and CPython loads an equal
    /// value.
    #[test]
    fn reads_cpython_refs_and_round_trips() {
        let exprs = [
            "0",
            "-5",
            "256",
            "''",
            "'a'",
            "()",
            "('spam', 'spam', ('spam', 7, 7), frozenset({1, 2, 3, 'eggs'}))",
            "(b'', b'x', 1j, -1.0e-300, float('nan'))",
            "compile('def f(a, *b, c=1, **d):\\n    return [a, b, c, d]\\n', 'm.py', 'exec')",
            "compile('class C:\\n  def g(self):\\n    try:\\n      return self\\n    except E as e:\\n      raise', 'c.py', 'exec')",
        ];
        let dumps_script =
            "import marshal, sys\nfor e in sys.argv[1:]: print(marshal.dumps(eval(e)).hex())";
        let ours: Vec<String> = python(dumps_script, &exprs)
            .lines()
            .map(|h| {
                let c = read_object(&unhex(h)).unwrap();
                hex(&dumps(&c))
            })
            .collect();
        let check = r#"
import marshal, sys
n = len(sys.argv) // 2
def same(a, b):
    if type(a) is not type(b): return False
    if type(a) is type(same.__code__):
        return all(same(getattr(a, f), getattr(b, f)) for f in dir(a)
                   if f.startswith('co_') and f not in ('co_lines', 'co_positions', 'co_lnotab'))
    if type(a) is tuple: return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is frozenset: return a == b  # order varies with the hash seed
    return repr(a) == repr(b)
for e, h in zip(sys.argv[1:n+1], sys.argv[n+1:]):
    print(e, same(marshal.loads(bytes.fromhex(h)), eval(e)))
"#;
        let mut args: Vec<&str> = exprs.to_vec();
        args.extend(ours.iter().map(|s| s.as_str()));
        for line in python(check, &args).lines() {
            assert!(line.ends_with(" True"), "round trip differs: {line}");
        }
    }

    /// CPython's own `.pyc` files: read, write back, CPython runs ours with
    /// the same output; every truncation is an error, never a panic.
    #[test]
    fn pyc_round_trip_and_truncations() {
        let dir = temp_dir("pyc");
        let src = dir.join("app.py");
        std::fs::write(
            &src,
            "import sys\n\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n\
             class P:\n    def __init__(self, x):\n        self.x = x\n    def __repr__(self):\n        \
             return f'P({self.x!r})'\n\ntry:\n    print([fib(i) for i in range(15)], P('é'), 2**100, {1.5, 2j})\n\
             except Exception as e:\n    print(e)\nprint(sys.version_info[:2])\n",
        )
        .unwrap();
        let pyc = dir.join("app.pyc");
        python(
            "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
            &[src.to_str().unwrap(), pyc.to_str().unwrap()],
        );
        let orig = std::fs::read(&pyc).unwrap();
        let code = read_pyc(&orig).unwrap();
        assert_eq!(code.name, "<module>");
        let ours = write_pyc(&code, 0, 0);
        // Same 16-byte header apart from mtime and size.
        assert_eq!(ours[..8], orig[..8]);
        let ours_path = dir.join("ours.pyc");
        std::fs::write(&ours_path, &ours).unwrap();
        let run = |p: &PathBuf| {
            let o = Command::new("python3").arg(p).output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            String::from_utf8(o.stdout).unwrap()
        };
        assert_eq!(run(&ours_path), run(&pyc));
        // Re-reading what we wrote gives the same bytes again.
        assert_eq!(write_pyc(&read_pyc(&ours).unwrap(), 0, 0), ours);

        for n in 0..orig.len() {
            assert!(
                read_pyc(&orig[..n]).is_err(),
                "truncated at {n} was accepted"
            );
        }
        // Corrupt single bytes: any result is fine, a panic is not.
        for i in PYC_HEADER_LEN..orig.len() {
            let mut bad = orig.clone();
            bad[i] ^= 0xa5;
            let _ = read_pyc(&bad);
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn stdlib_pyc_round_trips() {
        // A large module with many refs, compiled by CPython itself.
        let dir = temp_dir("stdlib");
        let pyc = dir.join("m.pyc");
        python(
            "import py_compile, sys, dis, json.decoder as j\n\
             for m in (dis, j): py_compile.compile(m.__file__, cfile=sys.argv[1] + m.__name__, doraise=True)",
            &[pyc.to_str().unwrap()],
        );
        for m in ["dis", "json.decoder"] {
            let path = format!("{}{m}", pyc.to_str().unwrap());
            let orig = std::fs::read(&path).unwrap();
            let ours = write_pyc(&read_pyc(&orig).unwrap(), 0, 0);
            let same = python(
                "import marshal, sys\n\
                 a, b = (marshal.loads(open(p, 'rb').read()[16:]) for p in sys.argv[1:])\n\
                 print(a == b)",
                &[&path, &{
                    let p = format!("{path}.ours");
                    std::fs::write(&p, &ours).unwrap();
                    p
                }],
            );
            assert_eq!(same.trim(), "True", "{m}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn clear_errors() {
        let header = |magic: u16| {
            let mut h = magic.to_le_bytes().to_vec();
            h.extend_from_slice(b"\r\n\0\0\0\0\0\0\0\0\0\0\0\0");
            h
        };
        let e = read_pyc(&header(3531)).unwrap_err();
        assert_eq!(
            e,
            MarshalError::OtherVersion {
                magic: 3531,
                version: "3.12".into()
            }
        );
        assert!(e.to_string().contains("CPython 3.12"), "{e}");
        assert!(matches!(
            read_pyc(b"#!/usr/bin/python3\n"),
            Err(MarshalError::NotPyc { .. })
        ));
        let mut p = header(3495);
        p.push(b'i');
        assert!(matches!(
            read_pyc(&p),
            Err(MarshalError::Truncated { offset: 17 })
        ));
        p.extend_from_slice(&[1, 0, 0, 0]);
        assert_eq!(
            read_pyc(&p).unwrap_err(),
            MarshalError::NotCode { found: "int" }
        );
        assert!(matches!(
            read_object(b"Q"),
            Err(MarshalError::UnknownType { code: b'Q', .. })
        ));
        assert!(matches!(
            read_object(b"r\0\0\0\0"),
            Err(MarshalError::BadRef { index: 0, .. })
        ));
        // A tuple that refers to itself while being read.
        assert!(matches!(
            read_object(b"\xa9\x01r\0\0\0\0"),
            Err(MarshalError::BadRef { .. })
        ));
        assert!(matches!(
            read_object(b"[\0\0\0\0"),
            Err(MarshalError::NotAConstant { what: "list", .. })
        ));
        assert!(matches!(
            read_object(b"l\x01\0\0\0\0\0"),
            Err(MarshalError::BadData { .. })
        ));
        let deep = [b')', 1].repeat(5000);
        assert!(matches!(
            read_object(&deep),
            Err(MarshalError::TooDeep { .. })
        ));
        // A tuple of 61 levels, each a pair of references to the level
        // below: 2**61 objects if copied naively.
        let mut bomb = b")\x3d\xa9\x02NN".to_vec();
        for i in 0..60u32 {
            bomb.extend_from_slice(b"\xa9\x02r");
            bomb.extend_from_slice(&i.to_le_bytes());
            bomb.push(b'r');
            bomb.extend_from_slice(&i.to_le_bytes());
        }
        assert!(matches!(
            read_object(&bomb),
            Err(MarshalError::BadData { .. })
        ));
    }
}
