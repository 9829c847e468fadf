//! "Did you mean" for `NameError` (Python/suggestions.c of CPython 3.11):
//! the closest name by a Levenshtein distance where a case flip costs 1
//! and any other edit 2, among the innermost frame's local variables, then
//! the module's globals, then the builtins.

use crate::abi::CodeInfo;
use crate::{start, str, tuple};

const MAX_CANDIDATE_ITEMS: usize = 750;
const MAX_STRING_SIZE: usize = 40;
const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;

/// The keys of a `__main__` module's globals before the program's own
/// names, in dict order.
#[rustfmt::skip]
const MODULE_DUNDERS: [&str; 9] = [
    "__name__", "__doc__", "__package__", "__loader__", "__spec__", "__annotations__",
    "__builtins__", "__file__", "__cached__",
];

/// `list(builtins.__dict__)` of CPython 3.11.
#[rustfmt::skip]
const BUILTIN_NAMES: [&str; 157] = [
    "__name__", "__doc__", "__package__", "__loader__", "__spec__", "__build_class__", "__import__",
    "abs", "all", "any", "ascii", "bin", "breakpoint", "callable", "chr", "compile", "delattr",
    "dir", "divmod", "eval", "exec", "format", "getattr", "globals", "hasattr", "hash", "hex", "id",
    "input", "isinstance", "issubclass", "iter", "aiter", "len", "locals", "max", "min", "next",
    "anext", "oct", "ord", "pow", "print", "repr", "round", "setattr", "sorted", "sum", "vars",
    "None", "Ellipsis", "NotImplemented", "False", "True", "bool", "memoryview", "bytearray",
    "bytes", "classmethod", "complex", "dict", "enumerate", "filter", "float", "frozenset",
    "property", "int", "list", "map", "object", "range", "reversed", "set", "slice", "staticmethod",
    "str", "super", "tuple", "type", "zip", "__debug__", "BaseException", "BaseExceptionGroup",
    "Exception", "GeneratorExit", "KeyboardInterrupt", "SystemExit", "ArithmeticError",
    "AssertionError", "AttributeError", "BufferError", "EOFError", "ImportError", "LookupError",
    "MemoryError", "NameError", "OSError", "ReferenceError", "RuntimeError", "StopAsyncIteration",
    "StopIteration", "SyntaxError", "SystemError", "TypeError", "ValueError", "Warning",
    "FloatingPointError", "OverflowError", "ZeroDivisionError", "BytesWarning",
    "DeprecationWarning", "EncodingWarning", "FutureWarning", "ImportWarning",
    "PendingDeprecationWarning", "ResourceWarning", "RuntimeWarning", "SyntaxWarning",
    "UnicodeWarning", "UserWarning", "BlockingIOError", "ChildProcessError", "ConnectionError",
    "FileExistsError", "FileNotFoundError", "InterruptedError", "IsADirectoryError",
    "NotADirectoryError", "PermissionError", "ProcessLookupError", "TimeoutError",
    "IndentationError", "IndexError", "KeyError", "ModuleNotFoundError", "NotImplementedError",
    "RecursionError", "UnboundLocalError", "UnicodeError", "BrokenPipeError",
    "ConnectionAbortedError", "ConnectionRefusedError", "ConnectionResetError", "TabError",
    "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeTranslateError", "ExceptionGroup",
    "EnvironmentError", "IOError", "open", "quit", "exit", "copyright", "credits", "license",
    "help",
];

fn substitution_cost(a: u8, b: u8) -> usize {
    if a & 31 != b & 31 {
        return MOVE_COST;
    }
    if a == b {
        return 0;
    }
    if a.eq_ignore_ascii_case(&b) {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// `levenshtein_distance`: `max_cost + 1` when above `max_cost`.
fn levenshtein_distance<'a>(mut a: &'a [u8], mut b: &'a [u8], max_cost: usize) -> usize {
    while let (Some(x), Some(y)) = (a.first(), b.first()) {
        if x != y {
            break;
        }
        a = &a[1..];
        b = &b[1..];
    }
    while let (Some(x), Some(y)) = (a.last(), b.last()) {
        if x != y {
            break;
        }
        a = &a[..a.len() - 1];
        b = &b[..b.len() - 1];
    }
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    if b.len() < a.len() {
        core::mem::swap(&mut a, &mut b);
    }
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    let mut buffer = [0usize; MAX_STRING_SIZE];
    for (i, slot) in buffer.iter_mut().enumerate().take(a.len()) {
        *slot = (i + 1) * MOVE_COST;
    }
    let mut result = 0;
    for (b_index, &code) in b.iter().enumerate() {
        let mut distance = b_index * MOVE_COST;
        result = distance;
        let mut minimum = usize::MAX;
        for (index, &ac) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(code, ac);
            distance = buffer[index];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            buffer[index] = result;
            minimum = minimum.min(result);
        }
        if minimum > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// `calculate_suggestions`: the first closest candidate, if close enough.
fn calculate<'a>(candidates: impl Iterator<Item = &'a str> + Clone, name: &str) -> Option<&'a str> {
    if candidates.clone().count() >= MAX_CANDIDATE_ITEMS {
        return None;
    }
    let mut best: Option<(&str, usize)> = None;
    for item in candidates {
        if item == name {
            continue;
        }
        let mut max_distance = (name.len() + item.len() + 3) * MOVE_COST / 6;
        if let Some((_, d)) = best {
            max_distance = max_distance.min(d - 1);
        }
        let d = levenshtein_distance(name.as_bytes(), item.as_bytes(), max_distance);
        if d > max_distance {
            continue;
        }
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((item, d));
        }
    }
    best.map(|(s, _)| s)
}

/// The suggestion for an unbound `name` raised in a frame running `code`.
pub fn for_name_error(name: &str, code: &CodeInfo) -> Option<&'static str> {
    let varnames = tuple::items(start::constant(code.varnames));
    let locals = varnames[..code.nlocals.min(varnames.len())]
        .iter()
        .map(|&v| str::as_str(v));
    if let Some(s) = calculate(locals, name) {
        return Some(s);
    }
    let p = start::program();
    let bound = (0..p.nglobals).filter(|&slot| unsafe { *p.globals.add(slot) } != 0);
    let globals = MODULE_DUNDERS
        .iter()
        .copied()
        .chain(bound.map(|slot| str::as_str(start::global_name(slot))));
    if let Some(s) = calculate(globals, name) {
        return Some(s);
    }
    calculate(BUILTIN_NAMES.iter().copied(), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_choices() {
        assert_eq!(levenshtein_distance(b"len2", b"lenn", 10), 2);
        assert_eq!(levenshtein_distance(b"Len", b"len", 10), 1);
        let names = ["iter", "len", "print"];
        assert_eq!(calculate(names.iter().copied(), "later"), Some("iter"));
        assert_eq!(calculate(names.iter().copied(), "prnt"), Some("print"));
        assert_eq!(calculate(names.iter().copied(), "zzzzzz"), None);
        assert_eq!(
            calculate(BUILTIN_NAMES.iter().copied(), "value"),
            Some("False")
        );
    }
}
