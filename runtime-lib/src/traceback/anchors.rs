//! Finding the operator of a failing binary operation or subscript in a
//! source segment, for `~~^~~` carets (Python/traceback.c
//! `extract_anchors_from_line`). CPython parses the segment as a module;
//! when it is a single expression statement whose expression is a `BinOp`
//! or a `Subscript`, the anchors are derived from the node positions. This
//! is a small Python expression parser that computes the same positions
//! (byte offsets; the caller converts them to characters).

use alloc::vec::Vec;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Name,
    Number,
    Str,
    Op,
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Tok,
    text: &'a str,
    start: usize,
    end: usize,
}

/// What a parsed expression is, with its byte span.
#[derive(Clone, Copy, Debug)]
struct Node {
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    BinOp { left_end: usize, right_start: usize },
    Subscript { value_end: usize, slice_end: usize },
    Other,
}

fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\x0c'
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

const OPS3: [&str; 5] = ["**=", "//=", "<<=", ">>=", "..."];
const OPS2: [&str; 21] = [
    "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=", "+=", "-=", "*=", "/=", "%=", "&=",
    "|=", "^=", "@=", "<>", "::",
];

fn tokenize(s: &str) -> Option<Vec<Token<'_>>> {
    let b = s.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if is_ws(c) {
            i += 1;
            continue;
        }
        if c == b'#' || c == b'\n' || c == b'\r' || c == b'\\' {
            return None;
        }
        let start = i;
        let ch = s[i..].chars().next()?;
        let kind = if is_name_char(ch) && !ch.is_ascii_digit() {
            while let Some(ch) = s[i..].chars().next().filter(|&c| is_name_char(c)) {
                i += ch.len_utf8();
            }
            let prefix = &s[start..i];
            let is_prefix = prefix.len() <= 2
                && prefix.bytes().all(|c| b"rRbBuUfF".contains(&c))
                && matches!(b.get(i), Some(b'\'' | b'"'));
            if is_prefix {
                i = scan_string(b, i)?;
                Tok::Str
            } else {
                Tok::Name
            }
        } else if ch.is_ascii_digit()
            || (c == b'.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let hex = b[i..].starts_with(b"0x") || b[i..].starts_with(b"0X");
            i += 1;
            while i < b.len() {
                let d = b[i];
                let sign_after_exp =
                    (d == b'+' || d == b'-') && !hex && matches!(b[i - 1], b'e' | b'E');
                if d.is_ascii_alphanumeric() || d == b'_' || d == b'.' || sign_after_exp {
                    i += 1;
                } else {
                    break;
                }
            }
            Tok::Number
        } else if c == b'\'' || c == b'"' {
            i = scan_string(b, i)?;
            Tok::Str
        } else {
            let rest = &s[i..];
            let n = if OPS3.iter().any(|o| rest.starts_with(o)) {
                3
            } else if OPS2.iter().any(|o| rest.starts_with(o)) {
                2
            } else {
                ch.len_utf8()
            };
            i += n;
            Tok::Op
        };
        toks.push(Token {
            kind,
            text: &s[start..i],
            start,
            end: i,
        });
    }
    Some(toks)
}

/// The end of the string literal whose opening quote is at `i`.
fn scan_string(b: &[u8], mut i: usize) -> Option<usize> {
    let q = b[i];
    let triple = b.len() >= i + 3 && b[i + 1] == q && b[i + 2] == q;
    i += if triple { 3 } else { 1 };
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if !triple {
                return Some(i + 1);
            }
            if b.len() >= i + 3 && b[i + 1] == q && b[i + 2] == q {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

struct Parser<'a> {
    toks: Vec<Token<'a>>,
    pos: usize,
}

type P = Option<Node>;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.toks.get(self.pos).copied()
    }

    fn at(&self, text: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.text == text && matches!(t.kind, Tok::Op | Tok::Name))
    }

    fn eat(&mut self, text: &str) -> Option<Token<'a>> {
        if self.at(text) {
            self.pos += 1;
            self.toks.get(self.pos - 1).copied()
        } else {
            None
        }
    }

    fn expect(&mut self, text: &str) -> Option<Token<'a>> {
        self.eat(text)
    }

    fn other(start: usize, end: usize) -> Node {
        Node {
            start,
            end,
            kind: Kind::Other,
        }
    }

    /// `test: or_test ['if' or_test 'else' test] | lambdef`
    fn test(&mut self) -> P {
        if self.at("lambda") || self.at("yield") || self.at("await") {
            return None;
        }
        let n = self.or_test()?;
        if self.eat("if").is_some() {
            self.or_test()?;
            self.expect("else")?;
            let e = self.test()?;
            return Some(Self::other(n.start, e.end));
        }
        if self.at(":=") {
            return None;
        }
        Some(n)
    }

    fn or_test(&mut self) -> P {
        let mut n = self.and_test()?;
        while self.eat("or").is_some() {
            let r = self.and_test()?;
            n = Self::other(n.start, r.end);
        }
        Some(n)
    }

    fn and_test(&mut self) -> P {
        let mut n = self.not_test()?;
        while self.eat("and").is_some() {
            let r = self.not_test()?;
            n = Self::other(n.start, r.end);
        }
        Some(n)
    }

    fn not_test(&mut self) -> P {
        if let Some(t) = self.eat("not") {
            let e = self.not_test()?;
            return Some(Self::other(t.start, e.end));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> P {
        let mut n = self.binary(0)?;
        loop {
            let op = ["<", ">", "==", ">=", "<=", "!=", "in", "is"]
                .iter()
                .any(|o| self.at(o))
                || self.at("not");
            if !op {
                break;
            }
            if self.eat("not").is_some() {
                self.expect("in")?;
            } else if self.eat("is").is_some() {
                self.eat("not");
            } else {
                self.pos += 1;
            }
            let r = self.binary(0)?;
            n = Self::other(n.start, r.end);
        }
        Some(n)
    }

    /// Binary operators by precedence level, lowest first.
    fn binary(&mut self, level: usize) -> P {
        const LEVELS: [&[&str]; 6] = [
            &["|"],
            &["^"],
            &["&"],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "//", "%", "@"],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut n = self.binary(level + 1)?;
        while LEVELS[level].iter().any(|o| self.at(o)) {
            self.pos += 1;
            let r = self.binary(level + 1)?;
            n = Node {
                start: n.start,
                end: r.end,
                kind: Kind::BinOp {
                    left_end: n.end,
                    right_start: r.start,
                },
            };
        }
        Some(n)
    }

    fn unary(&mut self) -> P {
        if ["-", "+", "~"].iter().any(|o| self.at(o)) {
            let t = self.peek()?;
            self.pos += 1;
            let e = self.unary()?;
            return Some(Self::other(t.start, e.end));
        }
        self.power()
    }

    /// `power: primary ['**' factor]`
    fn power(&mut self) -> P {
        let n = self.primary()?;
        if self.eat("**").is_some() {
            let r = self.unary()?;
            return Some(Node {
                start: n.start,
                end: r.end,
                kind: Kind::BinOp {
                    left_end: n.end,
                    right_start: r.start,
                },
            });
        }
        Some(n)
    }

    fn primary(&mut self) -> P {
        let mut n = self.atom()?;
        loop {
            if self.eat(".").is_some() {
                let t = self.peek().filter(|t| t.kind == Tok::Name)?;
                self.pos += 1;
                n = Self::other(n.start, t.end);
            } else if self.at("(") {
                self.pos += 1;
                let close = self.call_args()?;
                n = Self::other(n.start, close);
            } else if self.eat("[").is_some() {
                let slice = self.subscript_list()?;
                let close = self.expect("]")?;
                n = Node {
                    start: n.start,
                    end: close.end,
                    kind: Kind::Subscript {
                        value_end: n.end,
                        slice_end: slice.end,
                    },
                };
            } else {
                return Some(n);
            }
        }
    }

    /// Arguments up to and including `)`; returns the end of `)`.
    fn call_args(&mut self) -> Option<usize> {
        loop {
            if let Some(t) = self.eat(")") {
                return Some(t.end);
            }
            if self.eat("*").is_some() || self.eat("**").is_some() {
                self.test()?;
            } else {
                let save = self.pos;
                if self.peek()?.kind == Tok::Name
                    && self.toks.get(self.pos + 1).is_some_and(|t| t.text == "=")
                {
                    self.pos += 2;
                } else {
                    self.pos = save;
                }
                self.test()?;
                if self.eat("for").is_some() {
                    self.comp_tail()?;
                }
            }
            if self.eat(",").is_none() {
                return Some(self.expect(")")?.end);
            }
        }
    }

    /// After `for`: `targets in or_test (for ... | if ...)*`.
    fn comp_tail(&mut self) -> Option<()> {
        self.target_list()?;
        self.expect("in")?;
        self.or_test()?;
        loop {
            if self.eat("for").is_some() {
                self.target_list()?;
                self.expect("in")?;
                self.or_test()?;
            } else if self.eat("if").is_some() {
                self.or_test()?;
            } else {
                return Some(());
            }
        }
    }

    fn target_list(&mut self) -> Option<()> {
        self.binary(0)?;
        while self.eat(",").is_some() {
            if self.at("in") {
                break;
            }
            self.binary(0)?;
        }
        Some(())
    }

    /// The slice of a subscript: one item, or a tuple of items without
    /// brackets (whose span covers the items).
    fn subscript_list(&mut self) -> P {
        let first = self.slice_item()?;
        let mut n = first;
        while self.eat(",").is_some() {
            if self.at("]") {
                break;
            }
            let r = self.slice_item()?;
            n = Self::other(first.start, r.end);
        }
        Some(n)
    }

    fn slice_item(&mut self) -> P {
        let start_tok = self.peek()?;
        let mut lower = None;
        if !self.at(":") {
            lower = Some(self.test()?);
            if !self.at(":") {
                return lower;
            }
        }
        let mut end = self.eat(":")?.end;
        if !self.at(":") && !self.at("]") && !self.at(",") {
            end = self.test()?.end;
        }
        if let Some(t) = self.eat(":") {
            end = t.end;
            if !self.at("]") && !self.at(",") {
                end = self.test()?.end;
            }
        }
        let start = lower.map_or(start_tok.start, |l| l.start);
        Some(Self::other(start, end))
    }

    fn atom(&mut self) -> P {
        let t = self.peek()?;
        match t.kind {
            Tok::Number => {
                self.pos += 1;
                Some(Self::other(t.start, t.end))
            }
            Tok::Str => {
                let mut end = t.end;
                while let Some(s) = self.peek().filter(|s| s.kind == Tok::Str) {
                    end = s.end;
                    self.pos += 1;
                }
                Some(Self::other(t.start, end))
            }
            Tok::Name => {
                const KEYWORDS: [&str; 16] = [
                    "and", "or", "not", "in", "is", "if", "else", "for", "lambda", "yield",
                    "await", "def", "return", "class", "import", "from",
                ];
                if KEYWORDS.contains(&t.text) {
                    return None;
                }
                self.pos += 1;
                Some(Self::other(t.start, t.end))
            }
            Tok::Op => match t.text {
                "(" => {
                    self.pos += 1;
                    if let Some(c) = self.eat(")") {
                        return Some(Self::other(t.start, c.end));
                    }
                    let inner = self.test()?;
                    if self.eat("for").is_some() {
                        self.comp_tail()?;
                        let c = self.expect(")")?;
                        return Some(Self::other(t.start, c.end));
                    }
                    if self.at(",") {
                        while self.eat(",").is_some() {
                            if self.at(")") {
                                break;
                            }
                            self.test()?;
                        }
                        let c = self.expect(")")?;
                        return Some(Self::other(t.start, c.end));
                    }
                    self.expect(")")?;
                    // A parenthesised expression keeps its own span.
                    Some(inner)
                }
                "[" | "{" => {
                    let close = if t.text == "[" { "]" } else { "}" };
                    self.pos += 1;
                    loop {
                        if let Some(c) = self.eat(close) {
                            return Some(Self::other(t.start, c.end));
                        }
                        if self.eat("*").is_none() {
                            self.eat("**");
                        }
                        self.test()?;
                        if self.eat(":").is_some() {
                            self.test()?;
                        }
                        if self.eat("for").is_some() {
                            self.comp_tail()?;
                        }
                        if self.eat(",").is_none() {
                            let c = self.expect(close)?;
                            return Some(Self::other(t.start, c.end));
                        }
                    }
                }
                "..." => {
                    self.pos += 1;
                    Some(Self::other(t.start, t.end))
                }
                _ => None,
            },
        }
    }
}

/// `(left, right)` byte offsets in `segment` of the part to mark with `^`
/// (the operator, or the subscript's brackets and index), when the
/// segment is one expression statement that is a binary operation or a
/// subscript.
pub fn find(segment: &str) -> Option<(usize, usize)> {
    let toks = tokenize(segment)?;
    let mut p = Parser { toks, pos: 0 };
    let n = p.test()?;
    if p.pos != p.toks.len() {
        // A tuple, an assignment, or something this parser does not know.
        return None;
    }
    let b = segment.as_bytes();
    match n.kind {
        Kind::BinOp {
            left_end,
            right_start,
        } => {
            // The operator: the first character after the left operand that
            // is not blank or a closing parenthesis; two characters wide if
            // the next one is not blank (`//`, `**`, but also `+(`).
            let i = (left_end..right_start).find(|&i| !is_ws(b[i]) && b[i] != b')')?;
            let right = if i + 1 < right_start && !is_ws(b[i + 1]) {
                i + 2
            } else {
                i + 1
            };
            Some((i, right))
        }
        Kind::Subscript {
            value_end,
            slice_end,
        } => {
            // From the `[` to the `]`, both included.
            let mut left = value_end;
            while left < b.len() && b[left] != b'[' {
                left += 1;
            }
            let mut right = slice_end + 1;
            while right < b.len() && b[right] != b']' {
                right += 1;
            }
            if right < b.len() {
                right += 1;
            }
            Some((left, right))
        }
        Kind::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn binary_operators() {
        // Expected values: the carets python3 3.11 prints for `r = <segment>`.
        assert_eq!(find("1 // x"), Some((2, 4)));
        assert_eq!(find("(a) + b"), Some((4, 5)));
        assert_eq!(find("(a)+b"), Some((3, 4)));
        assert_eq!(find("a+(b)"), Some((1, 3)));
        assert_eq!(find("x  +  'a'"), Some((3, 4)));
        assert_eq!(find("a + b"), Some((2, 3)));
        assert_eq!(find("a+b"), Some((1, 2)));
        assert_eq!(find("f(a) * g(b)[1]"), Some((5, 6)));
        assert_eq!(find("a + b * c"), Some((2, 3)));
        assert_eq!(find("a * b + c"), Some((6, 7)));
        assert_eq!(find("-x ** 2"), None);
        assert_eq!(find("x ** -2"), Some((2, 4)));
        assert_eq!(find("(a + b) * c"), Some((8, 9)));
        assert_eq!(find("'a' + 1"), Some((4, 5)));
    }

    #[test]
    fn subscripts_and_others() {
        assert_eq!(find("lst[5]"), Some((3, 6)));
        assert_eq!(find("a[i][j]"), Some((4, 7)));
        assert_eq!(find("a[1:2]"), Some((1, 6)));
        assert_eq!(find("a[i ]"), Some((1, 5)));
        assert_eq!(find("a [i]"), Some((2, 5)));
        assert_eq!(find("a[(i) ]"), Some((1, 7)));
        assert_eq!(find("(a) [i]"), Some((4, 7)));
        assert_eq!(find("f(x)"), None);
        assert_eq!(find("a, b"), None);
        assert_eq!(find("x < y"), None);
        assert_eq!(find("a if b else c"), None);
        assert_eq!(find("x = 1"), None);
        assert_eq!(find("(1 +"), None);
    }
}
