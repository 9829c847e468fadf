//! Expressions: `compiler_visit_expr` and the helpers it calls.

use rustpython_parser::ast::{self, BoolOp, CmpOp, Expr, ExprContext, Operator, Ranged, UnaryOp};

use super::fold::{self, const_tuple};
use super::ops::*;
use super::symtable::{self, BlockType, Comprehension, Scope};
use super::{Compiler, FBlock, Result, ScopeType, STACK_USE_GUIDELINE};
use crate::code::Constant;

/// Load, store or delete (`expr_context_ty`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    Load,
    Store,
    Del,
}

impl From<&ExprContext> for Ctx {
    fn from(c: &ExprContext) -> Ctx {
        match c {
            ExprContext::Load => Ctx::Load,
            ExprContext::Store => Ctx::Store,
            ExprContext::Del => Ctx::Del,
        }
    }
}

/// BINARY_OP argument (`NB_*`) of an operator.
pub fn binop_arg(op: Operator) -> u32 {
    match op {
        Operator::Add => 0,
        Operator::BitAnd => 1,
        Operator::FloorDiv => 2,
        Operator::LShift => 3,
        Operator::MatMult => 4,
        Operator::Mult => 5,
        Operator::Mod => 6,
        Operator::BitOr => 7,
        Operator::Pow => 8,
        Operator::RShift => 9,
        Operator::Sub => 10,
        Operator::Div => 11,
        Operator::BitXor => 12,
    }
}

fn is_starred(e: &Expr) -> bool {
    matches!(e, Expr::Starred(_))
}

/// ast_opt's `not (a is b)` -> `a is not b` (and `in`/`not in`).
fn flipped_compare(e: &Expr) -> Option<(&ast::ExprCompare, CmpOp)> {
    if let Expr::UnaryOp(u) = e {
        if u.op == UnaryOp::Not {
            if let Expr::Compare(c) = u.operand.as_ref() {
                if c.ops.len() == 1 {
                    let op = match c.ops[0] {
                        CmpOp::Is => CmpOp::IsNot,
                        CmpOp::IsNot => CmpOp::Is,
                        CmpOp::In => CmpOp::NotIn,
                        CmpOp::NotIn => CmpOp::In,
                        _ => return None,
                    };
                    return Some((c, op));
                }
            }
        }
    }
    None
}

impl<'a> Compiler<'a> {
    /// `compiler_visit_expr`: emit with the expression's location, then
    /// restore the enclosing one.
    pub fn visit_expr(&mut self, e: &'a Expr) -> Result<()> {
        let old = self.ur().loc;
        let loc = self.expr_loc(e);
        self.set_loc(loc);
        let r = self.visit_expr1(e);
        self.set_loc(old);
        r
    }

    fn visit_expr1(&mut self, e: &'a Expr) -> Result<()> {
        if let Some(c) = fold::fold(e) {
            self.load_const(c);
            return Ok(());
        }
        if let Some((c, op)) = flipped_compare(e) {
            let l = self.expr_loc(&Expr::Compare(c.clone()));
            self.set_loc(l);
            self.visit_expr(&c.left)?;
            // ast_opt folded `in [..]` before flipping the operator.
            if matches!(op, CmpOp::In | CmpOp::NotIn) {
                self.visit_iter(&c.comparators[0])?;
            } else {
                self.visit_expr(&c.comparators[0])?;
            }
            self.addop_compare(op);
            return Ok(());
        }
        if let Some(parts) = self.percent_format(e) {
            return self.joined_str_parts(parts);
        }
        match e {
            Expr::NamedExpr(n) => {
                self.visit_expr(&n.value)?;
                self.addop_i(COPY, 1);
                self.visit_expr(&n.target)
            }
            Expr::BoolOp(b) => self.boolop(b),
            Expr::BinOp(b) => {
                self.visit_expr(&b.left)?;
                self.visit_expr(&b.right)?;
                self.addop_i(BINARY_OP, binop_arg(b.op));
                Ok(())
            }
            Expr::UnaryOp(u) => {
                self.visit_expr(&u.operand)?;
                self.addop(match u.op {
                    UnaryOp::Invert => UNARY_INVERT,
                    UnaryOp::Not => UNARY_NOT,
                    UnaryOp::UAdd => UNARY_POSITIVE,
                    UnaryOp::USub => UNARY_NEGATIVE,
                });
                Ok(())
            }
            Expr::Lambda(l) => self.lambda(e, l),
            Expr::IfExp(i) => {
                let end = self.new_block();
                let next = self.new_block();
                self.jump_if(&i.test, next, false)?;
                self.visit_expr(&i.body)?;
                self.addop_j_noline(JUMP, end);
                self.use_next_block(next);
                self.visit_expr(&i.orelse)?;
                self.use_next_block(end);
                Ok(())
            }
            Expr::Dict(d) => self.dict(d),
            Expr::Set(s) => self.starunpack(&s.elts, 0, BUILD_SET, SET_ADD, SET_UPDATE, false),
            Expr::GeneratorExp(g) => self.comprehension(
                e,
                "<genexpr>",
                Comprehension::Generator,
                &g.generators,
                &g.elt,
                None,
            ),
            Expr::ListComp(g) => self.comprehension(
                e,
                "<listcomp>",
                Comprehension::List,
                &g.generators,
                &g.elt,
                None,
            ),
            Expr::SetComp(g) => self.comprehension(
                e,
                "<setcomp>",
                Comprehension::Set,
                &g.generators,
                &g.elt,
                None,
            ),
            Expr::DictComp(g) => self.comprehension(
                e,
                "<dictcomp>",
                Comprehension::Dict,
                &g.generators,
                &g.key,
                Some(&g.value),
            ),
            Expr::Yield(y) => {
                if self.ste().typ != BlockType::Function {
                    return self.error("'yield' outside function");
                }
                match &y.value {
                    Some(v) => self.visit_expr(v)?,
                    None => self.load_const(Constant::None),
                }
                self.addop_yield();
                Ok(())
            }
            Expr::YieldFrom(y) => {
                if self.ste().typ != BlockType::Function {
                    return self.error("'yield' outside function");
                }
                if self.ur().scope_type == ScopeType::AsyncFunction {
                    return self.error("'yield from' inside async function");
                }
                self.visit_expr(&y.value)?;
                self.addop(GET_YIELD_FROM_ITER);
                self.load_const(Constant::None);
                self.add_yield_from(false);
                Ok(())
            }
            Expr::Await(_) => {
                let loc = self.expr_loc(e);
                match self.ur().scope_type {
                    ScopeType::Module | ScopeType::Class => {
                        self.syntax_error(loc, "'await' outside function")
                    }
                    ScopeType::AsyncFunction => {
                        let Expr::Await(a) = e else { unreachable!() };
                        self.visit_expr(&a.value)?;
                        self.addop_i(GET_AWAITABLE, 0);
                        self.load_const(Constant::None);
                        self.add_yield_from(true);
                        Ok(())
                    }
                    ScopeType::Comprehension => {
                        let Expr::Await(a) = e else { unreachable!() };
                        self.visit_expr(&a.value)?;
                        self.addop_i(GET_AWAITABLE, 0);
                        self.load_const(Constant::None);
                        self.add_yield_from(true);
                        Ok(())
                    }
                    _ => self.syntax_error(loc, "'await' outside async function"),
                }
            }
            Expr::Compare(c) => self.compare(c),
            Expr::Call(c) => self.call(c),
            Expr::Constant(c) => {
                self.load_const(fold::from_ast(&c.value));
                Ok(())
            }
            Expr::JoinedStr(j) => self.joined_str(j),
            Expr::FormattedValue(f) => self.formatted_value(f),
            Expr::Attribute(a) => {
                if matches!(a.ctx, ExprContext::Store) && a.attr.as_str() == "__debug__" {
                    return self.error("cannot assign to __debug__");
                }
                self.visit_expr(&a.value)?;
                self.update_start_location_to_match_attr(e);
                let op = match Ctx::from(&a.ctx) {
                    Ctx::Load => LOAD_ATTR,
                    Ctx::Store => STORE_ATTR,
                    Ctx::Del => DELETE_ATTR,
                };
                self.addop_name(op, a.attr.as_str());
                Ok(())
            }
            Expr::Subscript(s) => {
                let op = match Ctx::from(&s.ctx) {
                    Ctx::Load => BINARY_SUBSCR,
                    Ctx::Store => STORE_SUBSCR,
                    Ctx::Del => DELETE_SUBSCR,
                };
                self.visit_expr(&s.value)?;
                self.visit_subscript_index(&s.slice)?;
                self.addop(op);
                Ok(())
            }
            Expr::Starred(s) => match s.ctx {
                ExprContext::Store => {
                    self.error("starred assignment target must be in a list or tuple")
                }
                _ => self.error("can't use starred expression here"),
            },
            Expr::Slice(s) => {
                let mut n = 2;
                match &s.lower {
                    Some(l) => self.visit_expr(l)?,
                    None => self.load_const(Constant::None),
                }
                match &s.upper {
                    Some(u) => self.visit_expr(u)?,
                    None => self.load_const(Constant::None),
                }
                if let Some(st) = &s.step {
                    n += 1;
                    self.visit_expr(st)?;
                }
                self.addop_i(BUILD_SLICE, n);
                Ok(())
            }
            Expr::Name(n) => self.nameop(n.id.as_str(), Ctx::from(&n.ctx)),
            Expr::List(l) => match l.ctx {
                ExprContext::Store => self.assignment_helper(&l.elts),
                ExprContext::Load => {
                    self.starunpack(&l.elts, 0, BUILD_LIST, LIST_APPEND, LIST_EXTEND, false)
                }
                ExprContext::Del => {
                    for el in &l.elts {
                        self.visit_expr(el)?;
                    }
                    Ok(())
                }
            },
            Expr::Tuple(t) => match t.ctx {
                ExprContext::Store => self.assignment_helper(&t.elts),
                ExprContext::Load => {
                    self.starunpack(&t.elts, 0, BUILD_LIST, LIST_APPEND, LIST_EXTEND, true)
                }
                ExprContext::Del => {
                    for el in &t.elts {
                        self.visit_expr(el)?;
                    }
                    Ok(())
                }
            },
        }
    }

    /// The iterable of a `for` or the right side of `in`: ast_opt's
    /// `fold_iter` turns a list display into a tuple and a set display of
    /// constants into a frozenset.
    pub fn visit_iter(&mut self, e: &'a Expr) -> Result<()> {
        match e {
            Expr::List(l) if !l.elts.iter().any(is_starred) => {
                let old = self.ur().loc;
                let loc = self.expr_loc(e);
                self.set_loc(loc);
                let r = match const_tuple(&l.elts) {
                    Some(t) => {
                        self.load_const(t);
                        Ok(())
                    }
                    None => self.starunpack(&l.elts, 0, BUILD_LIST, LIST_APPEND, LIST_EXTEND, true),
                };
                self.set_loc(old);
                r
            }
            Expr::Set(s) => {
                if let Some(Constant::Tuple(items)) = const_tuple(&s.elts) {
                    let old = self.ur().loc;
                    let loc = self.expr_loc(e);
                    self.set_loc(loc);
                    self.load_const(frozenset(items));
                    self.set_loc(old);
                    return Ok(());
                }
                self.visit_expr(e)
            }
            _ => self.visit_expr(e),
        }
    }

    /// A subscript's index; `a[*b]` is a one-element tuple in CPython's
    /// AST (the parser here gives the bare starred expression).
    pub fn visit_subscript_index(&mut self, index: &'a Expr) -> Result<()> {
        if let Expr::Starred(_) = index {
            let old = self.ur().loc;
            let loc = self.expr_loc(index);
            self.set_loc(loc);
            let r = self.starunpack(
                std::slice::from_ref(index),
                0,
                BUILD_LIST,
                LIST_APPEND,
                LIST_EXTEND,
                true,
            );
            self.set_loc(old);
            return r;
        }
        self.visit_expr(index)
    }

    /// `update_start_location_to_match_attr`.
    pub fn update_start_location_to_match_attr(&mut self, e: &Expr) {
        let Expr::Attribute(a) = e else { return };
        let loc = self.expr_loc(e);
        let u = self.u();
        if u.loc.line != loc.end_line {
            u.loc.line = loc.end_line;
            let len = a.attr.as_str().chars().count() as i32;
            if len <= loc.end_col {
                u.loc.col = loc.end_col - len;
            } else {
                u.loc.col = -1;
                u.loc.end_col = -1;
            }
            u.loc.end_line = u.loc.end_line.max(u.loc.line);
            if u.loc.line == u.loc.end_line {
                u.loc.end_col = u.loc.end_col.max(u.loc.col);
            }
        }
    }

    /// `compiler_nameop`.
    pub fn nameop(&mut self, name: &str, ctx: Ctx) -> Result<()> {
        if matches!(ctx, Ctx::Store | Ctx::Del) && name == "__debug__" {
            return self.error(if ctx == Ctx::Store {
                "cannot assign to __debug__"
            } else {
                "cannot delete __debug__"
            });
        }
        let mangled = symtable::mangle(self.ur().private.as_deref(), name);
        let scope = self.ste().scope(&mangled);
        let is_function = self.ste().typ == BlockType::Function;
        enum Kind {
            Deref(u32),
            Fast,
            Global,
            Name,
        }
        let kind = match scope {
            Scope::Free => {
                let ncells = self.ur().cellvars.items.len() as u32;
                let i = self.u().freevars.add(&mangled);
                Kind::Deref(i + ncells)
            }
            Scope::Cell => Kind::Deref(self.u().cellvars.add(&mangled)),
            Scope::Local if is_function => Kind::Fast,
            Scope::GlobalImplicit if is_function => Kind::Global,
            Scope::GlobalExplicit => Kind::Global,
            _ => Kind::Name,
        };
        match kind {
            Kind::Deref(i) => {
                let op = match ctx {
                    Ctx::Load if self.ste().typ == BlockType::Class => LOAD_CLASSDEREF,
                    Ctx::Load => LOAD_DEREF,
                    Ctx::Store => STORE_DEREF,
                    Ctx::Del => DELETE_DEREF,
                };
                self.addop_i(op, i);
            }
            Kind::Fast => {
                let i = self.u().varnames.add(&mangled);
                let op = match ctx {
                    Ctx::Load => LOAD_FAST,
                    Ctx::Store => STORE_FAST,
                    Ctx::Del => DELETE_FAST,
                };
                self.addop_i(op, i);
            }
            Kind::Global => {
                let i = self.u().names.add(&mangled);
                match ctx {
                    Ctx::Load => self.addop_i(LOAD_GLOBAL, i << 1),
                    Ctx::Store => self.addop_i(STORE_GLOBAL, i),
                    Ctx::Del => self.addop_i(DELETE_GLOBAL, i),
                }
            }
            Kind::Name => {
                let i = self.u().names.add(&mangled);
                let op = match ctx {
                    Ctx::Load => LOAD_NAME,
                    Ctx::Store => STORE_NAME,
                    Ctx::Del => DELETE_NAME,
                };
                self.addop_i(op, i);
            }
        }
        Ok(())
    }

    fn addop_compare(&mut self, op: CmpOp) {
        match op {
            CmpOp::Eq => self.addop_i(COMPARE_OP, 2),
            CmpOp::NotEq => self.addop_i(COMPARE_OP, 3),
            CmpOp::Lt => self.addop_i(COMPARE_OP, 0),
            CmpOp::LtE => self.addop_i(COMPARE_OP, 1),
            CmpOp::Gt => self.addop_i(COMPARE_OP, 4),
            CmpOp::GtE => self.addop_i(COMPARE_OP, 5),
            CmpOp::Is => self.addop_i(IS_OP, 0),
            CmpOp::IsNot => self.addop_i(IS_OP, 1),
            CmpOp::In => self.addop_i(CONTAINS_OP, 0),
            CmpOp::NotIn => self.addop_i(CONTAINS_OP, 1),
        }
    }

    /// Visit comparator `i` of a comparison (the last one of an `in` test is
    /// folded like an iterable).
    fn visit_comparator(&mut self, c: &'a ast::ExprCompare, i: usize) -> Result<()> {
        let last = c.ops.len() - 1;
        if i == last && matches!(c.ops[last], CmpOp::In | CmpOp::NotIn) {
            self.visit_iter(&c.comparators[i])
        } else {
            self.visit_expr(&c.comparators[i])
        }
    }

    /// `compiler_jump_if`.
    pub fn jump_if(&mut self, e: &'a Expr, next: usize, cond: bool) -> Result<()> {
        if flipped_compare(e).is_none() {
            match e {
                Expr::UnaryOp(u) if u.op == UnaryOp::Not && fold::fold(e).is_none() => {
                    return self.jump_if(&u.operand, next, !cond);
                }
                Expr::BoolOp(b) => {
                    let n = b.values.len() - 1;
                    let cond2 = b.op == BoolOp::Or;
                    let next2 = if cond2 != cond {
                        self.new_block()
                    } else {
                        next
                    };
                    for v in &b.values[..n] {
                        self.jump_if(v, next2, cond2)?;
                    }
                    self.jump_if(&b.values[n], next, cond)?;
                    if next2 != next {
                        self.use_next_block(next2);
                    }
                    return Ok(());
                }
                Expr::IfExp(i) => {
                    let end = self.new_block();
                    let next2 = self.new_block();
                    self.jump_if(&i.test, next2, false)?;
                    self.jump_if(&i.body, next, cond)?;
                    self.addop_j_noline(JUMP, end);
                    self.use_next_block(next2);
                    self.jump_if(&i.orelse, next, cond)?;
                    self.use_next_block(end);
                    return Ok(());
                }
                Expr::Compare(c) if c.ops.len() > 1 => {
                    let eloc = self.expr_loc(e);
                    self.set_loc(eloc);
                    let n = c.ops.len() - 1;
                    let cleanup = self.new_block();
                    self.visit_expr(&c.left)?;
                    for i in 0..n {
                        self.visit_comparator(c, i)?;
                        self.addop_i(SWAP, 2);
                        self.addop_i(COPY, 2);
                        self.addop_compare(c.ops[i]);
                        self.addop_j(POP_JUMP_IF_FALSE, cleanup);
                        self.next_block();
                    }
                    self.visit_comparator(c, n)?;
                    self.addop_compare(c.ops[n]);
                    self.addop_j(
                        if cond {
                            POP_JUMP_IF_TRUE
                        } else {
                            POP_JUMP_IF_FALSE
                        },
                        next,
                    );
                    self.next_block();
                    let end = self.new_block();
                    self.addop_j_noline(JUMP, end);
                    self.use_next_block(cleanup);
                    self.addop(POP_TOP);
                    if !cond {
                        self.addop_j_noline(JUMP, next);
                    }
                    self.use_next_block(end);
                    // Like CPython 3.11, the comparison's location stays in
                    // force for what follows.
                    return Ok(());
                }
                _ => {}
            }
        }
        self.visit_expr(e)?;
        // A test that is a comparison lends its location to the jump and,
        // as in CPython 3.11, to what follows until the next location change.
        if matches!(e, Expr::Compare(_)) {
            let eloc = self.expr_loc(e);
            self.set_loc(eloc);
        } else if let Some((c, _)) = flipped_compare(e) {
            // ast_opt replaced `not (a in b)` by the comparison node itself.
            let eloc = self.range_loc(c.range);
            self.set_loc(eloc);
        }
        let op = if cond {
            POP_JUMP_IF_TRUE
        } else {
            POP_JUMP_IF_FALSE
        };
        self.addop_j(op, next);
        self.next_block();
        Ok(())
    }

    fn boolop(&mut self, b: &'a ast::ExprBoolOp) -> Result<()> {
        let jumpi = if b.op == BoolOp::And {
            JUMP_IF_FALSE_OR_POP
        } else {
            JUMP_IF_TRUE_OR_POP
        };
        let end = self.new_block();
        let n = b.values.len() - 1;
        for v in &b.values[..n] {
            self.visit_expr(v)?;
            self.addop_j(jumpi, end);
            let next = self.new_block();
            self.use_next_block(next);
        }
        self.visit_expr(&b.values[n])?;
        self.use_next_block(end);
        Ok(())
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> Result<()> {
        self.visit_expr(&c.left)?;
        let n = c.ops.len() - 1;
        if n == 0 {
            self.visit_comparator(c, 0)?;
            self.addop_compare(c.ops[0]);
            return Ok(());
        }
        let cleanup = self.new_block();
        for i in 0..n {
            self.visit_comparator(c, i)?;
            self.addop_i(SWAP, 2);
            self.addop_i(COPY, 2);
            self.addop_compare(c.ops[i]);
            self.addop_j(JUMP_IF_FALSE_OR_POP, cleanup);
            self.next_block();
        }
        self.visit_comparator(c, n)?;
        self.addop_compare(c.ops[n]);
        let end = self.new_block();
        self.addop_j_noline(JUMP, end);
        self.use_next_block(cleanup);
        self.addop_i(SWAP, 2);
        self.addop(POP_TOP);
        self.use_next_block(end);
        Ok(())
    }

    /// `starunpack_helper`.
    pub fn starunpack(
        &mut self,
        elts: &'a [Expr],
        pushed: u32,
        build: Op,
        add: Op,
        extend: Op,
        tuple: bool,
    ) -> Result<()> {
        let n = elts.len();
        if n > 2 {
            if let Some(Constant::Tuple(items)) = const_tuple(elts) {
                if tuple && pushed == 0 {
                    self.load_const(Constant::Tuple(items));
                } else {
                    let folded = if add == SET_ADD {
                        frozenset(items)
                    } else {
                        Constant::Tuple(items)
                    };
                    self.addop_i(build, pushed);
                    self.load_const(folded);
                    self.addop_i(extend, 1);
                    if tuple {
                        self.addop(LIST_TO_TUPLE);
                    }
                }
                return Ok(());
            }
        }
        let big = n + pushed as usize > STACK_USE_GUIDELINE;
        let seen_star = elts.iter().any(is_starred);
        if !seen_star && !big {
            for e in elts {
                self.visit_expr(e)?;
            }
            self.addop_i(if tuple { BUILD_TUPLE } else { build }, n as u32 + pushed);
            return Ok(());
        }
        let mut built = false;
        if big {
            self.addop_i(build, pushed);
            built = true;
        }
        for (i, e) in elts.iter().enumerate() {
            if let Expr::Starred(s) = e {
                if !built {
                    self.addop_i(build, i as u32 + pushed);
                    built = true;
                }
                self.visit_expr(&s.value)?;
                self.addop_i(extend, 1);
            } else {
                self.visit_expr(e)?;
                if built {
                    self.addop_i(add, 1);
                }
            }
        }
        if tuple {
            self.addop(LIST_TO_TUPLE);
        }
        Ok(())
    }

    /// `assignment_helper` (with `unpack_helper`).
    fn assignment_helper(&mut self, elts: &'a [Expr]) -> Result<()> {
        let n = elts.len();
        let mut seen_star = false;
        for (i, e) in elts.iter().enumerate() {
            if is_starred(e) {
                if seen_star {
                    return self.error("multiple starred expressions in assignment");
                }
                if i >= (1 << 8) || n - i > (i32::MAX >> 8) as usize {
                    return self.error("too many expressions in star-unpacking assignment");
                }
                self.addop_i(UNPACK_EX, (i + ((n - i - 1) << 8)) as u32);
                seen_star = true;
            }
        }
        if !seen_star {
            self.addop_i(UNPACK_SEQUENCE, n as u32);
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.visit_expr(&s.value)?,
                _ => self.visit_expr(e)?,
            }
        }
        Ok(())
    }

    fn subdict(&mut self, d: &'a ast::ExprDict, begin: usize, end: usize) -> Result<()> {
        let n = end - begin;
        let big = n * 2 > STACK_USE_GUIDELINE;
        if n > 1 && !big {
            let keys: Option<Vec<Constant>> = d.keys[begin..end]
                .iter()
                .map(|k| k.as_ref().and_then(fold::fold))
                .collect();
            if let Some(keys) = keys {
                for v in &d.values[begin..end] {
                    self.visit_expr(v)?;
                }
                self.load_const(Constant::Tuple(keys));
                self.addop_i(BUILD_CONST_KEY_MAP, n as u32);
                return Ok(());
            }
        }
        if big {
            self.addop_i(BUILD_MAP, 0);
        }
        for i in begin..end {
            self.visit_expr(d.keys[i].as_ref().unwrap())?;
            self.visit_expr(&d.values[i])?;
            if big {
                self.addop_i(MAP_ADD, 1);
            }
        }
        if !big {
            self.addop_i(BUILD_MAP, n as u32);
        }
        Ok(())
    }

    fn dict(&mut self, d: &'a ast::ExprDict) -> Result<()> {
        let n = d.values.len();
        let mut have_dict = false;
        let mut elements = 0;
        for i in 0..n {
            if d.keys[i].is_none() {
                if elements > 0 {
                    self.subdict(d, i - elements, i)?;
                    if have_dict {
                        self.addop_i(DICT_UPDATE, 1);
                    }
                    have_dict = true;
                    elements = 0;
                }
                if !have_dict {
                    self.addop_i(BUILD_MAP, 0);
                    have_dict = true;
                }
                self.visit_expr(&d.values[i])?;
                self.addop_i(DICT_UPDATE, 1);
            } else if elements * 2 > STACK_USE_GUIDELINE {
                self.subdict(d, i - elements, i + 1)?;
                if have_dict {
                    self.addop_i(DICT_UPDATE, 1);
                }
                have_dict = true;
                elements = 0;
            } else {
                elements += 1;
            }
        }
        if elements > 0 {
            self.subdict(d, n - elements, n)?;
            if have_dict {
                self.addop_i(DICT_UPDATE, 1);
            }
            have_dict = true;
        }
        if !have_dict {
            self.addop_i(BUILD_MAP, 0);
        }
        Ok(())
    }

    /// `f(x for x in y)`: CPython's generator expression node spans the
    /// call's parentheses.
    fn note_genexp_argument(&mut self, c: &'a ast::ExprCall) {
        if c.args.len() != 1 || !c.keywords.is_empty() {
            return;
        }
        let Expr::GeneratorExp(_) = &c.args[0] else {
            return;
        };
        let func_end: u32 = c.func.range().end().into();
        let gen_start: u32 = c.args[0].range().start().into();
        let Some(between) = self.source.get(func_end as usize..gen_start as usize) else {
            return;
        };
        let Some(paren) = between.find('(') else {
            return;
        };
        // Only whitespace and comments may separate `(` from the element.
        let rest_clean = between[paren + 1..]
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .collect::<String>();
        if !rest_clean.trim().is_empty() {
            return;
        }
        // Already parenthesized on its own: `f((x for x in y))`.
        let gen_end: u32 = c.args[0].range().end().into();
        if let Some(text) = self.source.get(gen_start as usize..gen_end as usize) {
            if text.starts_with('(')
                && text.ends_with(')')
                && matching_paren(text) == Some(text.len() - 1)
            {
                return;
            }
        }
        let open = func_end + paren as u32;
        let close: u32 = c.range.end().into();
        let range = rustpython_parser::text_size::TextRange::new(open.into(), close.into());
        let loc = self.range_loc(range);
        self.loc_override
            .insert(symtable::node_key(&c.args[0]), loc);
    }

    fn call(&mut self, c: &'a ast::ExprCall) -> Result<()> {
        self.note_genexp_argument(c);
        if self.maybe_method_call(c)? {
            return Ok(());
        }
        let old = self.ur().loc;
        let floc = self.expr_loc(&c.func);
        self.set_loc(floc);
        self.addop(PUSH_NULL);
        self.set_loc(old);
        self.visit_expr(&c.func)?;
        self.call_helper(0, &c.args, &c.keywords)
    }

    /// `maybe_optimize_method_call`: `obj.meth(args)` with LOAD_METHOD.
    fn maybe_method_call(&mut self, c: &'a ast::ExprCall) -> Result<bool> {
        self.note_genexp_argument(c);
        let Expr::Attribute(meth) = c.func.as_ref() else {
            return Ok(false);
        };
        if !matches!(meth.ctx, ExprContext::Load) {
            return Ok(false);
        }
        let argsl = c.args.len();
        let kwdsl = c.keywords.len();
        if argsl + kwdsl + (kwdsl != 0) as usize >= STACK_USE_GUIDELINE {
            return Ok(false);
        }
        if c.args.iter().any(is_starred) || c.keywords.iter().any(|k| k.arg.is_none()) {
            return Ok(false);
        }
        // `is_import_originated`: calls on a module imported at top level
        // keep LOAD_ATTR.
        if let Expr::Name(n) = meth.value.as_ref() {
            if self.st.entries[0].flags(n.id.as_str()) & symtable::DEF_IMPORT != 0 {
                return Ok(false);
            }
        }
        self.visit_expr(&meth.value)?;
        let old = self.ur().loc;
        let mloc = self.expr_loc(&c.func);
        self.set_loc(mloc);
        self.update_start_location_to_match_attr(&c.func);
        self.addop_name(LOAD_METHOD, meth.attr.as_str());
        for a in &c.args {
            self.visit_expr(a)?;
        }
        if kwdsl > 0 {
            for k in &c.keywords {
                self.visit_expr(&k.value)?;
            }
            self.kw_names(&c.keywords);
        }
        self.set_loc(old);
        self.update_start_location_to_match_attr(&c.func);
        self.addop_i(PRECALL, (argsl + kwdsl) as u32);
        self.addop_i(CALL, (argsl + kwdsl) as u32);
        self.set_loc(old);
        Ok(true)
    }

    /// `compiler_call_simple_kw_helper`.
    fn kw_names(&mut self, kws: &'a [ast::Keyword]) {
        let names: Vec<Constant> = kws
            .iter()
            .map(|k| Constant::Str(k.arg.as_ref().map_or(String::new(), |a| a.to_string())))
            .collect();
        let i = self.add_const(Constant::Tuple(names));
        self.addop_i(KW_NAMES, i);
    }

    fn validate_keywords(&mut self, kws: &'a [ast::Keyword]) -> Result<()> {
        for (i, k) in kws.iter().enumerate() {
            let Some(a) = &k.arg else { continue };
            if a.as_str() == "__debug__" {
                return self.error("cannot assign to __debug__");
            }
            if kws[i + 1..]
                .iter()
                .any(|o| o.arg.as_ref().map(|x| x.as_str()) == Some(a.as_str()))
            {
                let loc = self.range_loc(
                    kws[i + 1..]
                        .iter()
                        .find(|o| o.arg.as_ref().map(|x| x.as_str()) == Some(a.as_str()))
                        .unwrap()
                        .range,
                );
                return self.syntax_error(loc, &format!("keyword argument repeated: {a}"));
            }
        }
        Ok(())
    }

    /// `compiler_call_helper`.
    pub fn call_helper(
        &mut self,
        n: u32,
        args: &'a [Expr],
        keywords: &'a [ast::Keyword],
    ) -> Result<()> {
        self.validate_keywords(keywords)?;
        let nelts = args.len();
        let nkwelts = keywords.len();
        let ex_call = nelts + nkwelts * 2 > STACK_USE_GUIDELINE
            || args.iter().any(is_starred)
            || keywords.iter().any(|k| k.arg.is_none());
        if !ex_call {
            for a in args {
                self.visit_expr(a)?;
            }
            if nkwelts > 0 {
                for k in keywords {
                    self.visit_expr(&k.value)?;
                }
                self.kw_names(keywords);
            }
            let total = n + (nelts + nkwelts) as u32;
            self.addop_i(PRECALL, total);
            self.addop_i(CALL, total);
            return Ok(());
        }
        if n == 0 && nelts == 1 {
            if let Expr::Starred(s) = &args[0] {
                self.visit_expr(&s.value)?;
            } else {
                self.starunpack(args, n, BUILD_LIST, LIST_APPEND, LIST_EXTEND, true)?;
            }
        } else {
            self.starunpack(args, n, BUILD_LIST, LIST_APPEND, LIST_EXTEND, true)?;
        }
        if nkwelts > 0 {
            let mut have_dict = false;
            let mut nseen = 0;
            for (i, kw) in keywords.iter().enumerate() {
                if kw.arg.is_none() {
                    if nseen > 0 {
                        self.subkwargs(keywords, i - nseen, i)?;
                        if have_dict {
                            self.addop_i(DICT_MERGE, 1);
                        }
                        have_dict = true;
                        nseen = 0;
                    }
                    if !have_dict {
                        self.addop_i(BUILD_MAP, 0);
                        have_dict = true;
                    }
                    self.visit_expr(&kw.value)?;
                    self.addop_i(DICT_MERGE, 1);
                } else {
                    nseen += 1;
                }
            }
            if nseen > 0 {
                self.subkwargs(keywords, nkwelts - nseen, nkwelts)?;
                if have_dict {
                    self.addop_i(DICT_MERGE, 1);
                }
            }
        }
        self.addop_i(CALL_FUNCTION_EX, (nkwelts > 0) as u32);
        Ok(())
    }

    /// `compiler_subkwargs`.
    fn subkwargs(&mut self, kws: &'a [ast::Keyword], begin: usize, end: usize) -> Result<()> {
        let n = end - begin;
        let big = n * 2 > STACK_USE_GUIDELINE;
        if n > 1 && !big {
            for k in &kws[begin..end] {
                self.visit_expr(&k.value)?;
            }
            let keys: Vec<Constant> = kws[begin..end]
                .iter()
                .map(|k| Constant::Str(k.arg.as_ref().map_or(String::new(), |a| a.to_string())))
                .collect();
            self.load_const(Constant::Tuple(keys));
            self.addop_i(BUILD_CONST_KEY_MAP, n as u32);
            return Ok(());
        }
        if big {
            self.addop_noline_i(BUILD_MAP, 0);
        }
        for k in &kws[begin..end] {
            self.load_const(Constant::Str(
                k.arg.as_ref().map_or(String::new(), |a| a.to_string()),
            ));
            self.visit_expr(&k.value)?;
            if big {
                self.addop_noline_i(MAP_ADD, 1);
            }
        }
        if !big {
            self.addop_i(BUILD_MAP, n as u32);
        }
        Ok(())
    }

    fn addop_noline_i(&mut self, op: Op, arg: u32) {
        let mut ins = super::cfg::Instr::new(op, arg, super::cfg::Loc::NONE);
        ins.target = None;
        let saved = self.ur().loc;
        self.u().loc = super::cfg::Loc::NONE;
        self.addop_i(ins.op, ins.arg);
        self.u().loc = saved;
    }

    /// `compiler_add_yield_from`.
    pub fn add_yield_from(&mut self, is_await: bool) {
        let start = self.new_block();
        let resume = self.new_block();
        let exit = self.new_block();
        self.use_next_block(start);
        self.addop_j(SEND, exit);
        self.use_next_block(resume);
        self.addop_i(YIELD_VALUE, 0);
        self.addop_i(RESUME, if is_await { 3 } else { 2 });
        self.addop_j(JUMP_NO_INTERRUPT, start);
        self.use_next_block(exit);
    }

    /// `compiler_check_debug_args`: no parameter may be named `__debug__`.
    pub fn check_debug_args(&self, args: &ast::Arguments) -> Result<()> {
        let named = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
            .map(|a| a.def.arg.as_str())
            .chain(args.vararg.iter().map(|a| a.arg.as_str()))
            .chain(args.kwarg.iter().map(|a| a.arg.as_str()));
        for n in named {
            if n == "__debug__" {
                return self.error("cannot assign to __debug__");
            }
        }
        Ok(())
    }

    fn lambda(&mut self, e: &'a Expr, l: &'a ast::ExprLambda) -> Result<()> {
        self.check_debug_args(&l.args)?;
        let funcflags = self.default_arguments(&l.args)?;
        let loc = self.expr_loc(e);
        self.enter_scope(
            "<lambda>",
            ScopeType::Lambda,
            symtable::node_key(e),
            loc.line,
        )?;
        self.add_const(Constant::None);
        self.u().argcount = l.args.args.len() as u32;
        self.u().posonlyargcount = l.args.posonlyargs.len() as u32;
        self.u().kwonlyargcount = l.args.kwonlyargs.len() as u32;
        self.visit_expr(&l.body)?;
        let co = if self.ste().generator {
            self.exit_scope(false)
        } else {
            self.addop(RETURN_VALUE);
            self.exit_scope(true)
        };
        self.make_closure(co, funcflags)
    }

    #[allow(clippy::too_many_arguments)]
    fn comprehension(
        &mut self,
        e: &'a Expr,
        name: &str,
        kind: Comprehension,
        generators: &'a [ast::Comprehension],
        elt: &'a Expr,
        val: Option<&'a Expr>,
    ) -> Result<()> {
        let loc = self.expr_loc(e);
        let outer_scope = self.ur().scope_type;
        self.enter_scope(
            name,
            ScopeType::Comprehension,
            symtable::node_key(e),
            loc.line,
        )?;
        self.set_loc(loc);
        let is_async_generator = self.ste().coroutine;
        if is_async_generator
            && kind != Comprehension::Generator
            && !matches!(
                outer_scope,
                ScopeType::AsyncFunction | ScopeType::Comprehension
            )
        {
            self.units.pop();
            return self.syntax_error(
                loc,
                "asynchronous comprehension outside of an asynchronous function",
            );
        }
        if kind != Comprehension::Generator {
            let op = match kind {
                Comprehension::List => BUILD_LIST,
                Comprehension::Set => BUILD_SET,
                _ => BUILD_MAP,
            };
            self.addop_i(op, 0);
        }
        self.comprehension_generator(generators, 0, 0, elt, val, kind)?;
        if kind != Comprehension::Generator {
            self.addop(RETURN_VALUE);
        }
        let co = self.exit_scope(true);
        self.make_closure(co, 0)?;
        self.visit_iter(&generators[0].iter)?;
        self.addop(if generators[0].is_async {
            GET_AITER
        } else {
            GET_ITER
        });
        self.addop_i(PRECALL, 0);
        self.addop_i(CALL, 0);
        if is_async_generator && kind != Comprehension::Generator {
            self.addop_i(GET_AWAITABLE, 0);
            self.load_const(Constant::None);
            self.add_yield_from(true);
        }
        Ok(())
    }

    /// `compiler_addop_yield`.
    fn addop_yield(&mut self) {
        if self.ste().generator && self.ste().coroutine {
            self.addop(ASYNC_GEN_WRAP);
        }
        self.addop(YIELD_VALUE);
        self.addop_i(RESUME, 1);
    }

    /// The element of a comprehension, after its last `for` and `if`s.
    fn comprehension_element(
        &mut self,
        elt: &'a Expr,
        val: Option<&'a Expr>,
        kind: Comprehension,
        depth: u32,
    ) -> Result<()> {
        match kind {
            Comprehension::Generator => {
                self.visit_expr(elt)?;
                self.addop_yield();
                self.addop(POP_TOP);
            }
            Comprehension::List => {
                self.visit_expr(elt)?;
                self.addop_i(LIST_APPEND, depth + 1);
            }
            Comprehension::Set => {
                self.visit_expr(elt)?;
                self.addop_i(SET_ADD, depth + 1);
            }
            Comprehension::Dict => {
                self.visit_expr(elt)?;
                if let Some(v) = val {
                    self.visit_expr(v)?;
                }
                self.addop_i(MAP_ADD, depth + 1);
            }
            Comprehension::None => {}
        }
        Ok(())
    }

    /// `compiler_async_comprehension_generator`.
    fn async_comprehension_generator(
        &mut self,
        generators: &'a [ast::Comprehension],
        gen_index: usize,
        mut depth: u32,
        elt: &'a Expr,
        val: Option<&'a Expr>,
        kind: Comprehension,
    ) -> Result<()> {
        let start = self.new_block();
        let except = self.new_block();
        let if_cleanup = self.new_block();
        let gen = &generators[gen_index];
        if gen_index == 0 {
            self.u().argcount = 1;
            self.addop_i(LOAD_FAST, 0);
        } else {
            self.visit_expr(&gen.iter)?;
            self.addop(GET_AITER);
        }
        self.use_next_block(start);
        self.u().fblocks.push(FBlock::AsyncComprehensionGenerator);
        self.addop_j(SETUP_FINALLY, except);
        self.addop(GET_ANEXT);
        self.load_const(Constant::None);
        self.add_yield_from(true);
        self.addop(POP_BLOCK);
        self.visit_expr(&gen.target)?;
        for cond in &gen.ifs {
            self.jump_if(cond, if_cleanup, false)?;
            self.next_block();
        }
        depth += 1;
        if gen_index + 1 < generators.len() {
            self.comprehension_generator(generators, gen_index + 1, depth, elt, val, kind)?;
        } else {
            self.comprehension_element(elt, val, kind, depth)?;
        }
        self.use_next_block(if_cleanup);
        self.addop_j(JUMP, start);
        self.u().fblocks.pop();
        self.use_next_block(except);
        self.addop(END_ASYNC_FOR);
        Ok(())
    }

    /// `compiler_sync_comprehension_generator`.
    fn comprehension_generator(
        &mut self,
        generators: &'a [ast::Comprehension],
        gen_index: usize,
        mut depth: u32,
        elt: &'a Expr,
        val: Option<&'a Expr>,
        kind: Comprehension,
    ) -> Result<()> {
        if generators[gen_index].is_async {
            return self
                .async_comprehension_generator(generators, gen_index, depth, elt, val, kind);
        }
        let mut start = Some(self.new_block());
        let if_cleanup = self.new_block();
        let anchor = self.new_block();
        let gen = &generators[gen_index];
        if gen_index == 0 {
            self.u().argcount = 1;
            self.addop_i(LOAD_FAST, 0);
        } else {
            let elts = match &gen.iter {
                Expr::List(l) => Some(&l.elts),
                Expr::Tuple(t) => Some(&t.elts),
                _ => None,
            };
            if let Some(elts) = elts {
                if elts.len() == 1 && !is_starred(&elts[0]) && fold::fold(&gen.iter).is_none() {
                    self.visit_expr(&elts[0])?;
                    start = None;
                }
            }
            if start.is_some() {
                self.visit_iter(&gen.iter)?;
                self.addop(GET_ITER);
            }
        }
        if let Some(s) = start {
            depth += 1;
            self.use_next_block(s);
            self.addop_j(FOR_ITER, anchor);
            self.next_block();
        }
        self.visit_expr(&gen.target)?;
        for cond in &gen.ifs {
            self.jump_if(cond, if_cleanup, false)?;
            self.next_block();
        }
        if gen_index + 1 < generators.len() {
            self.comprehension_generator(generators, gen_index + 1, depth, elt, val, kind)?;
        } else {
            self.comprehension_element(elt, val, kind, depth)?;
        }
        self.use_next_block(if_cleanup);
        if let Some(s) = start {
            self.addop_j(JUMP, s);
            self.use_next_block(anchor);
        }
        Ok(())
    }

    fn joined_str(&mut self, j: &'a ast::ExprJoinedStr) -> Result<()> {
        // CPython gives the parts of an f-string the location of the whole
        // (implicitly concatenated) string.
        let whole = self.range_loc(j.range);
        for v in &j.values {
            self.loc_override.insert(symtable::node_key(v), whole);
        }
        let parts: Vec<Part<'a>> = j.values.iter().map(Part::Expr).collect();
        self.joined_str_parts(parts)
    }

    fn joined_str_parts(&mut self, parts: Vec<Part<'a>>) -> Result<()> {
        let n = parts.len();
        if n > STACK_USE_GUIDELINE {
            self.load_const(Constant::Str(String::new()));
            self.addop_name(LOAD_METHOD, "join");
            self.addop_i(BUILD_LIST, 0);
            for p in parts {
                self.visit_part(p)?;
                self.addop_i(LIST_APPEND, 1);
            }
            self.addop_i(PRECALL, 1);
            self.addop_i(CALL, 1);
            return Ok(());
        }
        for p in parts {
            self.visit_part(p)?;
        }
        if n != 1 {
            self.addop_i(BUILD_STRING, n as u32);
        }
        Ok(())
    }

    fn visit_part(&mut self, p: Part<'a>) -> Result<()> {
        match p {
            Part::Expr(e) => self.visit_expr(e),
            Part::Literal(s) => {
                let old = self.ur().loc;
                self.u().loc.line = -1;
                self.load_const(Constant::Str(s));
                self.set_loc(old);
                Ok(())
            }
            Part::Format { value, conv, spec } => {
                let old = self.ur().loc;
                let l = self.expr_loc(value);
                self.set_loc(l);
                self.visit_expr(value)?;
                let mut oparg = match conv {
                    's' => 1,
                    'r' => 2,
                    'a' => 3,
                    _ => 0,
                };
                if let Some(spec) = spec {
                    let saved = self.ur().loc;
                    self.u().loc.line = -1;
                    self.load_const(Constant::Str(spec));
                    self.set_loc(saved);
                    oparg |= 4;
                }
                self.addop_i(FORMAT_VALUE, oparg);
                self.set_loc(old);
                Ok(())
            }
        }
    }

    fn formatted_value(&mut self, f: &'a ast::ExprFormattedValue) -> Result<()> {
        self.visit_expr(&f.value)?;
        let mut oparg = match f.conversion {
            ast::ConversionFlag::Str => 1,
            ast::ConversionFlag::Repr => 2,
            ast::ConversionFlag::Ascii => 3,
            ast::ConversionFlag::None => 0,
        };
        if let Some(spec) = &f.format_spec {
            self.visit_expr(spec)?;
            oparg |= 4;
        }
        self.addop_i(FORMAT_VALUE, oparg);
        Ok(())
    }

    /// ast_opt's `optimize_format`: `"%s-%r" % (a, b)` becomes an f-string.
    fn percent_format(&self, e: &'a Expr) -> Option<Vec<Part<'a>>> {
        let Expr::BinOp(b) = e else { return None };
        if b.op != Operator::Mod {
            return None;
        }
        let Some(Constant::Str(fmt)) = fold::fold(&b.left) else {
            return None;
        };
        let Expr::Tuple(t) = b.right.as_ref() else {
            return None;
        };
        if t.elts.iter().any(is_starred) || fold::fold(&b.right).is_some() {
            return None;
        }
        let chars: Vec<char> = fmt.chars().collect();
        let mut pos = 0;
        let mut cnt = 0;
        let mut parts = Vec::new();
        loop {
            // parse_literal
            let start = pos;
            let mut lit = String::new();
            while pos < chars.len() {
                if chars[pos] != '%' {
                    lit.push(chars[pos]);
                    pos += 1;
                } else if pos + 1 < chars.len() && chars[pos + 1] == '%' {
                    lit.push('%');
                    pos += 2;
                } else {
                    break;
                }
            }
            if pos != start {
                parts.push(Part::Literal(lit));
            }
            if pos >= chars.len() {
                break;
            }
            if cnt >= t.elts.len() {
                return None;
            }
            pos += 1;
            let (spec, ljust, width, prec) = simple_format_arg_parse(&chars, &mut pos)?;
            if !matches!(spec, 's' | 'r' | 'a') {
                return None;
            }
            let mut buf = String::new();
            if !ljust && width.is_some_and(|w| w > 0) {
                buf.push('>');
            }
            if let Some(w) = width {
                buf.push_str(&w.to_string());
            }
            if let Some(p) = prec {
                buf.push('.');
                buf.push_str(&p.to_string());
            }
            parts.push(Part::Format {
                value: &t.elts[cnt],
                conv: spec,
                spec: if buf.is_empty() { None } else { Some(buf) },
            });
            cnt += 1;
        }
        if cnt < t.elts.len() {
            return None;
        }
        Some(parts)
    }
}

/// A piece of an f-string made by `optimize_format`.
pub enum Part<'a> {
    Expr(&'a Expr),
    Literal(String),
    Format {
        value: &'a Expr,
        conv: char,
        spec: Option<String>,
    },
}

/// `simple_format_arg_parse`: flags, width and precision of a `%` unit.
fn simple_format_arg_parse(
    chars: &[char],
    pos: &mut usize,
) -> Option<(char, bool, Option<u32>, Option<u32>)> {
    const MAXDIGITS: u32 = 3;
    let mut p = *pos;
    let next = |p: &mut usize| -> Option<char> {
        let c = *chars.get(*p)?;
        *p += 1;
        Some(c)
    };
    let mut ljust = false;
    let mut ch;
    loop {
        ch = next(&mut p)?;
        match ch {
            '-' => ljust = true,
            '+' | ' ' | '#' | '0' => {}
            _ => break,
        }
    }
    let mut width = None;
    if ch.is_ascii_digit() {
        let mut w = 0;
        let mut digits = 0;
        while ch.is_ascii_digit() {
            w = w * 10 + ch.to_digit(10).unwrap();
            ch = next(&mut p)?;
            digits += 1;
            if digits >= MAXDIGITS {
                return None;
            }
        }
        width = Some(w);
    }
    let mut prec = None;
    if ch == '.' {
        ch = next(&mut p)?;
        let mut pr = 0;
        if ch.is_ascii_digit() {
            let mut digits = 0;
            while ch.is_ascii_digit() {
                pr = pr * 10 + ch.to_digit(10).unwrap();
                ch = next(&mut p)?;
                digits += 1;
                if digits >= MAXDIGITS {
                    return None;
                }
            }
        }
        prec = Some(pr);
    }
    *pos = p;
    Some((ch, ljust, width, prec))
}

/// Byte index of the bracket closing the one at the start of `text`
/// (string literals are skipped roughly, which is enough for this use).
fn matching_paren(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                b'\'' | b'"' => quote = Some(c),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

fn frozenset(items: Vec<Constant>) -> Constant {
    // Keep the first of equal items, like building a set would.
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for it in items {
        let key = super::consts::const_key(&it).unwrap_or_default();
        let key = match &it {
            // 1, 1.0 and True are equal as set members.
            Constant::Bool(b) => format!("I{}", *b as u8),
            Constant::Float(f) if f.fract() == 0.0 && f.is_finite() && f.abs() < 1e18 => {
                format!("I{}", *f as i64)
            }
            _ => key,
        };
        if seen.insert(key) {
            out.push(it);
        }
    }
    Constant::FrozenSet(out)
}
