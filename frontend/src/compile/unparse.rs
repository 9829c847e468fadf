//! Expressions back to source text, as CPython 3.11's Python/ast_unparse.c
//! writes them: the string an annotation becomes under
//! `from __future__ import annotations`.

use rustpython_parser::ast::{self, BoolOp, CmpOp, Expr, Operator, UnaryOp};

const PR_TUPLE: u8 = 0;
const PR_TEST: u8 = 1;
const PR_OR: u8 = 2;
const PR_AND: u8 = 3;
const PR_NOT: u8 = 4;
const PR_CMP: u8 = 5;
const PR_EXPR: u8 = 6;
const PR_BOR: u8 = PR_EXPR;
const PR_BXOR: u8 = 7;
const PR_BAND: u8 = 8;
const PR_SHIFT: u8 = 9;
const PR_ARITH: u8 = 10;
const PR_TERM: u8 = 11;
const PR_FACTOR: u8 = 12;
const PR_POWER: u8 = 13;
const PR_AWAIT: u8 = 14;
const PR_ATOM: u8 = 15;

/// `_PyAST_ExprAsUnicode`; `None` for expressions this port does not
/// write (f-strings, comprehensions, lambdas, yields).
pub fn expr_as_string(e: &Expr) -> Option<String> {
    let mut out = String::new();
    write_expr(&mut out, e, PR_TEST)?;
    Some(out)
}

fn paren_if(out: &mut String, cond: bool, s: &str) {
    if cond {
        out.push_str(s);
    }
}

fn write_expr(out: &mut String, e: &Expr, level: u8) -> Option<()> {
    match e {
        Expr::BoolOp(b) => {
            let (op, pr) = match b.op {
                BoolOp::And => (" and ", PR_AND),
                BoolOp::Or => (" or ", PR_OR),
            };
            paren_if(out, level > pr, "(");
            for (i, v) in b.values.iter().enumerate() {
                if i > 0 {
                    out.push_str(op);
                }
                write_expr(out, v, pr + 1)?;
            }
            paren_if(out, level > pr, ")");
        }
        Expr::BinOp(b) => {
            let (op, pr, rassoc) = match b.op {
                Operator::Add => (" + ", PR_ARITH, false),
                Operator::Sub => (" - ", PR_ARITH, false),
                Operator::Mult => (" * ", PR_TERM, false),
                Operator::MatMult => (" @ ", PR_TERM, false),
                Operator::Div => (" / ", PR_TERM, false),
                Operator::Mod => (" % ", PR_TERM, false),
                Operator::LShift => (" << ", PR_SHIFT, false),
                Operator::RShift => (" >> ", PR_SHIFT, false),
                Operator::BitOr => (" | ", PR_BOR, false),
                Operator::BitXor => (" ^ ", PR_BXOR, false),
                Operator::BitAnd => (" & ", PR_BAND, false),
                Operator::FloorDiv => (" // ", PR_TERM, false),
                Operator::Pow => (" ** ", PR_POWER, true),
            };
            paren_if(out, level > pr, "(");
            write_expr(out, &b.left, pr + rassoc as u8)?;
            out.push_str(op);
            write_expr(out, &b.right, pr + !rassoc as u8)?;
            paren_if(out, level > pr, ")");
        }
        Expr::UnaryOp(u) => {
            let (op, pr) = match u.op {
                UnaryOp::Invert => ("~", PR_FACTOR),
                UnaryOp::Not => ("not ", PR_NOT),
                UnaryOp::UAdd => ("+", PR_FACTOR),
                UnaryOp::USub => ("-", PR_FACTOR),
            };
            paren_if(out, level > pr, "(");
            out.push_str(op);
            write_expr(out, &u.operand, pr)?;
            paren_if(out, level > pr, ")");
        }
        Expr::IfExp(i) => {
            paren_if(out, level > PR_TEST, "(");
            write_expr(out, &i.body, PR_TEST + 1)?;
            out.push_str(" if ");
            write_expr(out, &i.test, PR_TEST + 1)?;
            out.push_str(" else ");
            write_expr(out, &i.orelse, PR_TEST)?;
            paren_if(out, level > PR_TEST, ")");
        }
        Expr::Dict(d) => {
            out.push('{');
            for (i, (k, v)) in d.keys.iter().zip(&d.values).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match k {
                    Some(k) => {
                        write_expr(out, k, PR_TEST)?;
                        out.push_str(": ");
                        write_expr(out, v, PR_TEST)?;
                    }
                    None => {
                        out.push_str("**");
                        write_expr(out, v, PR_EXPR)?;
                    }
                }
            }
            out.push('}');
        }
        Expr::Set(s) => {
            out.push('{');
            write_list(out, &s.elts)?;
            out.push('}');
        }
        Expr::List(l) => {
            out.push('[');
            write_list(out, &l.elts)?;
            out.push(']');
        }
        Expr::Tuple(t) => {
            if t.elts.is_empty() {
                out.push_str("()");
                return Some(());
            }
            paren_if(out, level > PR_TUPLE, "(");
            write_list(out, &t.elts)?;
            if t.elts.len() == 1 {
                out.push(',');
            }
            paren_if(out, level > PR_TUPLE, ")");
        }
        Expr::Compare(c) => {
            paren_if(out, level > PR_CMP, "(");
            write_expr(out, &c.left, PR_CMP + 1)?;
            for (op, right) in c.ops.iter().zip(&c.comparators) {
                out.push_str(match op {
                    CmpOp::Eq => " == ",
                    CmpOp::NotEq => " != ",
                    CmpOp::Lt => " < ",
                    CmpOp::LtE => " <= ",
                    CmpOp::Gt => " > ",
                    CmpOp::GtE => " >= ",
                    CmpOp::Is => " is ",
                    CmpOp::IsNot => " is not ",
                    CmpOp::In => " in ",
                    CmpOp::NotIn => " not in ",
                });
                write_expr(out, right, PR_CMP + 1)?;
            }
            paren_if(out, level > PR_CMP, ")");
        }
        Expr::Call(c) => {
            write_expr(out, &c.func, PR_ATOM)?;
            if c.args.len() == 1
                && c.keywords.is_empty()
                && matches!(c.args[0], Expr::GeneratorExp(_))
            {
                return None;
            }
            out.push('(');
            let mut first = true;
            for a in &c.args {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                write_expr(out, a, PR_TEST)?;
            }
            for k in &c.keywords {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                match &k.arg {
                    Some(a) => {
                        out.push_str(a.as_str());
                        out.push('=');
                    }
                    None => out.push_str("**"),
                }
                write_expr(out, &k.value, PR_TEST)?;
            }
            out.push(')');
        }
        Expr::Constant(c) => {
            if c.kind.as_deref() == Some("u") {
                out.push('u');
            }
            write_constant(out, &c.value)?;
        }
        Expr::Attribute(a) => {
            write_expr(out, &a.value, PR_ATOM)?;
            let int_value = matches!(a.value.as_ref(), Expr::Constant(c) if matches!(c.value, ast::Constant::Int(_)));
            out.push_str(if int_value { " ." } else { "." });
            out.push_str(a.attr.as_str());
        }
        Expr::Subscript(s) => {
            write_expr(out, &s.value, PR_ATOM)?;
            out.push('[');
            write_expr(out, &s.slice, PR_TUPLE)?;
            out.push(']');
        }
        Expr::Starred(s) => {
            out.push('*');
            write_expr(out, &s.value, PR_EXPR)?;
        }
        Expr::Name(n) => out.push_str(n.id.as_str()),
        Expr::Slice(s) => {
            if let Some(l) = &s.lower {
                write_expr(out, l, PR_TEST)?;
            }
            out.push(':');
            if let Some(u) = &s.upper {
                write_expr(out, u, PR_TEST)?;
            }
            if let Some(st) = &s.step {
                out.push(':');
                write_expr(out, st, PR_TEST)?;
            }
        }
        Expr::Await(a) => {
            paren_if(out, level > PR_AWAIT, "(");
            out.push_str("await ");
            write_expr(out, &a.value, PR_ATOM)?;
            paren_if(out, level > PR_AWAIT, ")");
        }
        Expr::NamedExpr(n) => {
            paren_if(out, level > PR_TUPLE, "(");
            write_expr(out, &n.target, PR_ATOM)?;
            out.push_str(" := ");
            write_expr(out, &n.value, PR_ATOM)?;
            paren_if(out, level > PR_TUPLE, ")");
        }
        _ => return None,
    }
    Some(())
}

fn write_list(out: &mut String, elts: &[Expr]) -> Option<()> {
    for (i, e) in elts.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(out, e, PR_TEST)?;
    }
    Some(())
}

fn write_constant(out: &mut String, c: &ast::Constant) -> Option<()> {
    match c {
        ast::Constant::None => out.push_str("None"),
        ast::Constant::Bool(true) => out.push_str("True"),
        ast::Constant::Bool(false) => out.push_str("False"),
        ast::Constant::Ellipsis => out.push_str("..."),
        ast::Constant::Int(i) => out.push_str(&i.to_string()),
        ast::Constant::Float(f) => out.push_str(&float_repr(*f)),
        ast::Constant::Complex { real, imag } => {
            if *real == 0.0 && real.is_sign_positive() {
                out.push_str(&float_repr_trim(*imag));
                out.push('j');
            } else {
                return None;
            }
        }
        ast::Constant::Str(s) => out.push_str(&str_repr(s)),
        ast::Constant::Bytes(b) => out.push_str(&bytes_repr(b)),
        ast::Constant::Tuple(_) => return None,
    }
    Some(())
}

/// `repr(float)` with infinities written as `1e309` (`_str_replace_inf`).
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "1e309".into()
        } else {
            "-1e309".into()
        };
    }
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-5..16).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else if exp < 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exp - 1) as usize));
        out.push_str(&digits);
    } else {
        let point = exp as usize + 1;
        if digits.len() <= point {
            out.push_str(&digits);
            out.push_str(&"0".repeat(point - digits.len()));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

/// The imaginary part of a complex repr: no trailing `.0`.
fn float_repr_trim(f: f64) -> String {
    let r = float_repr(f);
    r.strip_suffix(".0").map(str::to_string).unwrap_or(r)
}

fn printable(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{ad}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}' | '\u{a0}'
        ))
}

/// `repr(str)`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (c as u32) < 0x7f || printable(c) => out.push(c),
            c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// `repr(bytes)`.
fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::from("b");
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote as char);
    out
}
