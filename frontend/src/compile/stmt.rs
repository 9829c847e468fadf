//! Statements: `compiler_visit_stmt` and the helpers it calls.

use rustpython_parser::ast::{self, Expr, Ranged, Stmt};

use super::expr::Ctx;
use super::fold;
use super::ops::*;
use super::symtable::{self, node_key};
use super::{Compiler, FBlock, Result, ScopeType};
use crate::code::Constant;

/// `_PyAST_GetDocString`.
pub fn docstring(body: &[Stmt]) -> Option<String> {
    if let Some(Stmt::Expr(e)) = body.first() {
        if let Some(Constant::Str(s)) = fold::fold(&e.value) {
            if matches!(e.value.as_ref(), Expr::Constant(_)) {
                return Some(s);
            }
        }
    }
    None
}

/// `find_ann`: does this body (not nested definitions) annotate a name?
pub fn find_ann(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::AnnAssign(_) => true,
        Stmt::For(f) => find_ann(&f.body) || find_ann(&f.orelse),
        Stmt::AsyncFor(f) => find_ann(&f.body) || find_ann(&f.orelse),
        Stmt::While(w) => find_ann(&w.body) || find_ann(&w.orelse),
        Stmt::If(i) => find_ann(&i.body) || find_ann(&i.orelse),
        Stmt::With(w) => find_ann(&w.body),
        Stmt::AsyncWith(w) => find_ann(&w.body),
        Stmt::Try(t) => {
            find_ann(&t.body)
                || find_ann(&t.orelse)
                || find_ann(&t.finalbody)
                || t.handlers.iter().any(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    find_ann(&h.body)
                })
        }
        Stmt::TryStar(t) => find_ann(&t.body) || find_ann(&t.orelse) || find_ann(&t.finalbody),
        Stmt::Match(m) => m.cases.iter().any(|c| find_ann(&c.body)),
        _ => false,
    })
}

/// `CO_FUTURE_BARRY_AS_BDFL` and `CO_FUTURE_ANNOTATIONS`.
pub const CO_FUTURE_BARRY_AS_BDFL: u32 = 0x40_0000;
pub const CO_FUTURE_ANNOTATIONS: u32 = 0x100_0000;

/// `future_parse`: the `from __future__` imports at the top of a module
/// (after an optional docstring). Returns the feature flags they turn on
/// and the offset where the leading run ends, or an unknown feature.
pub fn future_features(body: &[Stmt]) -> std::result::Result<(u32, u32), (u32, String)> {
    let mut flags = 0;
    let mut end = 0u32;
    for (i, s) in body.iter().enumerate() {
        match s {
            Stmt::ImportFrom(f)
                if f.module.as_ref().map(|m| m.as_str()) == Some("__future__")
                    && f.level.map_or(0, |l| l.to_u32()) == 0 =>
            {
                for a in &f.names {
                    match a.name.as_str() {
                        "nested_scopes" | "generators" | "division" | "absolute_import"
                        | "with_statement" | "print_function" | "unicode_literals"
                        | "generator_stop" => {}
                        "barry_as_FLUFL" => flags |= CO_FUTURE_BARRY_AS_BDFL,
                        "annotations" => flags |= CO_FUTURE_ANNOTATIONS,
                        "braces" => {
                            return Err((s.range().start().into(), "not a chance".to_string()))
                        }
                        other => {
                            return Err((
                                s.range().start().into(),
                                format!("future feature {other} is not defined"),
                            ))
                        }
                    }
                }
                end = s.range().end().into();
            }
            Stmt::Expr(e)
                if i == 0 && matches!(e.value.as_ref(), Expr::Constant(c) if c.value.is_str()) => {}
            _ => break,
        }
    }
    Ok((flags, end))
}

/// The parts of a `try` statement (`try`/`except` or `try`/`except*`).
#[derive(Clone, Copy)]
struct TryParts<'a> {
    body: &'a [Stmt],
    handlers: &'a [ast::ExceptHandler],
    orelse: &'a [Stmt],
    finalbody: &'a [Stmt],
    star: bool,
}

impl<'a> Compiler<'a> {
    pub fn visit_stmts(&mut self, body: &'a [Stmt]) -> Result<()> {
        for s in body {
            self.visit_stmt(s)?;
        }
        Ok(())
    }

    /// `compiler_visit_stmt`.
    pub fn visit_stmt(&mut self, s: &'a Stmt) -> Result<()> {
        let loc = self.stmt_loc(s);
        self.set_loc(loc);
        match s {
            Stmt::FunctionDef(f) => self.function(
                s,
                f.name.as_str(),
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
                node_key(f),
                false,
            ),
            Stmt::AsyncFunctionDef(f) => self.function(
                s,
                f.name.as_str(),
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
                node_key(f),
                true,
            ),
            Stmt::ClassDef(c) => self.class(s, c),
            Stmt::Return(r) => self.return_(s, r),
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.visit_expr(t)?;
                }
                Ok(())
            }
            Stmt::Assign(a) => {
                self.visit_expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i < n - 1 {
                        self.addop_i(COPY, 1);
                    }
                    self.visit_expr(t)?;
                }
                Ok(())
            }
            Stmt::AugAssign(a) => self.augassign(a),
            Stmt::AnnAssign(a) => self.annassign(a),
            Stmt::For(f) => self.for_(f),
            Stmt::While(w) => self.while_(s, w),
            Stmt::If(i) => self.if_(i),
            Stmt::With(w) => self.with(s, w, 0),
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.visit_expr(e)?;
                    n += 1;
                    if let Some(c) = &r.cause {
                        self.visit_expr(c)?;
                        n += 1;
                    }
                }
                self.addop_i(RAISE_VARARGS, n);
                Ok(())
            }
            Stmt::Try(t) => self.try_stmt(TryParts {
                body: &t.body,
                handlers: &t.handlers,
                orelse: &t.orelse,
                finalbody: &t.finalbody,
                star: false,
            }),
            Stmt::TryStar(t) => self.try_stmt(TryParts {
                body: &t.body,
                handlers: &t.handlers,
                orelse: &t.orelse,
                finalbody: &t.finalbody,
                star: true,
            }),
            Stmt::Assert(a) => self.assert(a),
            Stmt::Import(i) => self.import(i),
            Stmt::ImportFrom(i) => self.import_from(s, i),
            Stmt::Global(_) | Stmt::Nonlocal(_) => Ok(()),
            Stmt::Expr(e) => {
                if fold::fold(&e.value).is_some() {
                    self.addop(NOP);
                    return Ok(());
                }
                self.visit_expr(&e.value)?;
                self.unset_loc();
                self.addop(POP_TOP);
                Ok(())
            }
            Stmt::Pass(_) => {
                self.addop(NOP);
                Ok(())
            }
            Stmt::Break(_) => self.break_(),
            Stmt::Continue(_) => self.continue_(),
            Stmt::AsyncFor(f) => self.async_for(f),
            Stmt::AsyncWith(w) => self.async_with(s, w, 0),
            Stmt::Match(m) => self.match_stmt(m),
            Stmt::TypeAlias(_) => self.unsupported(loc, "type alias statements"),
        }
    }

    /// `compiler_unwind_fblock`.
    fn unwind_fblock(&mut self, fb: &FBlock<'a>, preserve_tos: bool) -> Result<()> {
        match fb {
            FBlock::WhileLoop { .. }
            | FBlock::ExceptionHandler
            | FBlock::ExceptionGroupHandler
            | FBlock::AsyncComprehensionGenerator => {}
            FBlock::ForLoop { .. } => {
                if preserve_tos {
                    self.addop_i(SWAP, 2);
                }
                self.addop(POP_TOP);
            }
            FBlock::TryExcept => self.addop(POP_BLOCK),
            FBlock::FinallyTry { body } => {
                self.addop(POP_BLOCK);
                if preserve_tos {
                    self.u().fblocks.push(FBlock::PopValue);
                }
                self.visit_stmts(body)?;
                if preserve_tos {
                    self.u().fblocks.pop();
                }
                self.unset_loc();
            }
            FBlock::FinallyEnd => {
                if preserve_tos {
                    self.addop_i(SWAP, 2);
                }
                self.addop(POP_TOP);
                if preserve_tos {
                    self.addop_i(SWAP, 2);
                }
                self.addop(POP_BLOCK);
                self.addop(POP_EXCEPT);
            }
            FBlock::With { stmt, is_async } => {
                self.set_loc(*stmt);
                self.addop(POP_BLOCK);
                if preserve_tos {
                    self.addop_i(SWAP, 2);
                }
                self.call_exit_with_nones();
                if *is_async {
                    self.addop_i(GET_AWAITABLE, 2);
                    self.load_const(Constant::None);
                    self.add_yield_from(true);
                }
                self.addop(POP_TOP);
                self.unset_loc();
            }
            FBlock::HandlerCleanup { name } => {
                if name.is_some() {
                    self.addop(POP_BLOCK);
                }
                if preserve_tos {
                    self.addop_i(SWAP, 2);
                }
                self.addop(POP_BLOCK);
                self.addop(POP_EXCEPT);
                if let Some(n) = name {
                    self.load_const(Constant::None);
                    self.nameop(n, Ctx::Store)?;
                    self.nameop(n, Ctx::Del)?;
                }
            }
            FBlock::PopValue => {
                if preserve_tos {
                    self.addop_i(SWAP, 2);
                }
                self.addop(POP_TOP);
            }
        }
        Ok(())
    }

    /// `compiler_unwind_fblock_stack`: unwind up to (not including) the
    /// innermost loop if `want_loop`, else everything. Returns the loop.
    fn unwind_fblock_stack(
        &mut self,
        preserve_tos: bool,
        want_loop: bool,
    ) -> Result<Option<FBlock<'a>>> {
        let Some(top) = self.u().fblocks.last().cloned() else {
            return Ok(None);
        };
        if matches!(top, FBlock::ExceptionGroupHandler) {
            return self
                .error("'break', 'continue' and 'return' cannot appear in an except* block");
        }
        if want_loop && matches!(top, FBlock::WhileLoop { .. } | FBlock::ForLoop { .. }) {
            return Ok(Some(top));
        }
        self.u().fblocks.pop();
        self.unwind_fblock(&top, preserve_tos)?;
        let r = self.unwind_fblock_stack(preserve_tos, want_loop)?;
        self.u().fblocks.push(top);
        Ok(r)
    }

    fn return_(&mut self, s: &'a Stmt, r: &'a ast::StmtReturn) -> Result<()> {
        let is_const = r.value.as_deref().and_then(fold::fold);
        let preserve_tos = r.value.is_some() && is_const.is_none();
        if self.ste().typ != symtable::BlockType::Function {
            return self.error("'return' outside function");
        }
        if r.value.is_some() && self.ste().coroutine && self.ste().generator {
            return self.error("'return' with value in async generator");
        }
        let sloc = self.stmt_loc(s);
        if preserve_tos {
            self.visit_expr(r.value.as_ref().unwrap())?;
        } else if let Some(v) = &r.value {
            let l = self.expr_loc(v);
            self.set_loc(l);
            self.addop(NOP);
        }
        let value_line = r.value.as_ref().map(|v| self.expr_loc(v).line);
        if value_line != Some(sloc.line) {
            self.set_loc(sloc);
            self.addop(NOP);
        }
        self.unwind_fblock_stack(preserve_tos, false)?;
        if r.value.is_none() {
            self.load_const(Constant::None);
        } else if let Some(c) = is_const {
            self.load_const(c);
        }
        // As in CPython 3.11, code after `return` stays in this block (it
        // is dead and dropped by the assembler) and the block keeps its
        // `b_return` mark.
        self.addop(RETURN_VALUE);
        Ok(())
    }

    fn break_(&mut self) -> Result<()> {
        self.addop(NOP);
        let lp = self.unwind_fblock_stack(false, true)?;
        let Some(lp) = lp else {
            return self.error("'break' outside loop");
        };
        self.unwind_fblock(&lp, false)?;
        let exit = match lp {
            FBlock::WhileLoop { exit, .. } | FBlock::ForLoop { exit, .. } => exit,
            _ => unreachable!("loop block"),
        };
        self.addop_j(JUMP, exit);
        self.next_block();
        Ok(())
    }

    fn continue_(&mut self) -> Result<()> {
        self.addop(NOP);
        let lp = self.unwind_fblock_stack(false, true)?;
        let Some(lp) = lp else {
            return self.error("'continue' not properly in loop");
        };
        let start = match lp {
            FBlock::WhileLoop { start, .. } | FBlock::ForLoop { start, .. } => start,
            _ => unreachable!("loop block"),
        };
        self.addop_j(JUMP, start);
        self.next_block();
        Ok(())
    }

    fn if_(&mut self, s: &'a ast::StmtIf) -> Result<()> {
        let end = self.new_block();
        let next = if !s.orelse.is_empty() {
            self.new_block()
        } else {
            end
        };
        self.jump_if(&s.test, next, false)?;
        self.visit_stmts(&s.body)?;
        if !s.orelse.is_empty() {
            self.addop_j_noline(JUMP, end);
            self.use_next_block(next);
            self.visit_stmts(&s.orelse)?;
        }
        self.use_next_block(end);
        Ok(())
    }

    fn while_(&mut self, stmt: &'a Stmt, s: &'a ast::StmtWhile) -> Result<()> {
        let loop_ = self.new_block();
        let body = self.new_block();
        let anchor = self.new_block();
        let end = self.new_block();
        self.use_next_block(loop_);
        self.u().fblocks.push(FBlock::WhileLoop {
            start: loop_,
            exit: end,
        });
        self.jump_if(&s.test, anchor, false)?;
        self.use_next_block(body);
        self.visit_stmts(&s.body)?;
        let loc = self.stmt_loc(stmt);
        self.set_loc(loc);
        self.jump_if(&s.test, body, true)?;
        self.u().fblocks.pop();
        self.use_next_block(anchor);
        self.visit_stmts(&s.orelse)?;
        self.use_next_block(end);
        Ok(())
    }

    fn for_(&mut self, s: &'a ast::StmtFor) -> Result<()> {
        let start = self.new_block();
        let body = self.new_block();
        let cleanup = self.new_block();
        let end = self.new_block();
        self.u().fblocks.push(FBlock::ForLoop { start, exit: end });
        self.visit_iter(&s.iter)?;
        self.addop(GET_ITER);
        self.use_next_block(start);
        self.addop_j(FOR_ITER, cleanup);
        self.use_next_block(body);
        self.visit_expr(&s.target)?;
        self.visit_stmts(&s.body)?;
        self.unset_loc();
        self.addop_j(JUMP, start);
        self.use_next_block(cleanup);
        self.u().fblocks.pop();
        self.visit_stmts(&s.orelse)?;
        self.use_next_block(end);
        Ok(())
    }

    fn assert(&mut self, s: &'a ast::StmtAssert) -> Result<()> {
        let end = self.new_block();
        self.jump_if(&s.test, end, true)?;
        self.addop(LOAD_ASSERTION_ERROR);
        if let Some(m) = &s.msg {
            self.visit_expr(m)?;
            self.addop_i(PRECALL, 0);
            self.addop_i(CALL, 0);
        }
        self.addop_i(RAISE_VARARGS, 1);
        self.use_next_block(end);
        Ok(())
    }

    fn augassign(&mut self, s: &'a ast::StmtAugAssign) -> Result<()> {
        let e = s.target.as_ref();
        let old = self.ur().loc;
        let tloc = self.expr_loc(e);
        self.set_loc(tloc);
        match e {
            Expr::Attribute(a) => {
                self.visit_expr(&a.value)?;
                self.addop_i(COPY, 1);
                self.update_start_location_to_match_attr(e);
                self.addop_name(LOAD_ATTR, a.attr.as_str());
            }
            Expr::Subscript(sub) => {
                self.visit_expr(&sub.value)?;
                self.visit_subscript_index(&sub.slice)?;
                self.addop_i(COPY, 2);
                self.addop_i(COPY, 2);
                self.addop(BINARY_SUBSCR);
            }
            Expr::Name(n) => self.nameop(n.id.as_str(), Ctx::Load)?,
            _ => return self.error("illegal expression for augmented assignment"),
        }
        self.set_loc(old);
        self.visit_expr(&s.value)?;
        self.addop_i(BINARY_OP, super::expr::binop_arg(s.op) + 13);
        self.set_loc(tloc);
        match e {
            Expr::Attribute(a) => {
                self.update_start_location_to_match_attr(e);
                self.addop_i(SWAP, 2);
                self.addop_name(STORE_ATTR, a.attr.as_str());
            }
            Expr::Subscript(_) => {
                self.addop_i(SWAP, 3);
                self.addop_i(SWAP, 2);
                self.addop(STORE_SUBSCR);
            }
            Expr::Name(n) => self.nameop(n.id.as_str(), Ctx::Store)?,
            _ => {}
        }
        Ok(())
    }

    fn check_ann_expr(&mut self, e: &'a Expr) -> Result<()> {
        self.visit_expr(e)?;
        self.addop(POP_TOP);
        Ok(())
    }

    fn annassign(&mut self, s: &'a ast::StmtAnnAssign) -> Result<()> {
        let targ = s.target.as_ref();
        if let Some(v) = &s.value {
            self.visit_expr(v)?;
            self.visit_expr(targ)?;
        }
        let module_or_class = matches!(self.ur().scope_type, ScopeType::Module | ScopeType::Class);
        match targ {
            Expr::Name(n) => {
                if s.simple && module_or_class {
                    if self.future_annotations {
                        self.annotation_string(&s.annotation)?;
                    } else {
                        self.visit_expr(&s.annotation)?;
                    }
                    self.addop_name(LOAD_NAME, "__annotations__");
                    let mangled = symtable::mangle(self.ur().private.as_deref(), n.id.as_str());
                    self.load_const(Constant::Str(mangled));
                    self.addop(STORE_SUBSCR);
                }
            }
            Expr::Attribute(a) => {
                if s.value.is_none() {
                    self.check_ann_expr(&a.value)?;
                }
            }
            Expr::Subscript(sub) => {
                if s.value.is_none() {
                    self.check_ann_expr(&sub.value)?;
                    self.check_ann_subscr(&sub.slice)?;
                }
            }
            _ => return self.error("invalid node type for annotated assignment"),
        }
        if !s.simple && !self.future_annotations && module_or_class {
            self.check_ann_expr(&s.annotation)?;
        }
        Ok(())
    }

    fn check_ann_subscr(&mut self, e: &'a Expr) -> Result<()> {
        match e {
            Expr::Slice(sl) => {
                for p in [&sl.lower, &sl.upper, &sl.step].into_iter().flatten() {
                    self.check_ann_expr(p)?;
                }
                Ok(())
            }
            Expr::Tuple(t) => {
                for el in &t.elts {
                    self.check_ann_subscr(el)?;
                }
                Ok(())
            }
            _ => self.check_ann_expr(e),
        }
    }

    fn import(&mut self, s: &'a ast::StmtImport) -> Result<()> {
        for alias in &s.names {
            self.load_const(Constant::Int(0.into()));
            self.load_const(Constant::None);
            self.addop_name_raw(IMPORT_NAME, alias.name.as_str());
            let name = alias.name.as_str();
            if let Some(asname) = &alias.asname {
                let parts: Vec<&str> = name.split('.').collect();
                if parts.len() > 1 {
                    for (i, attr) in parts[1..].iter().enumerate() {
                        self.addop_name_raw(IMPORT_FROM, attr);
                        if i + 2 < parts.len() {
                            self.addop_i(SWAP, 2);
                            self.addop(POP_TOP);
                        }
                    }
                    self.nameop(asname.as_str(), Ctx::Store)?;
                    self.addop(POP_TOP);
                } else {
                    self.nameop(asname.as_str(), Ctx::Store)?;
                }
            } else {
                let first = name.split('.').next().unwrap_or(name);
                self.nameop(first, Ctx::Store)?;
            }
        }
        Ok(())
    }

    fn import_from(&mut self, stmt: &'a Stmt, s: &'a ast::StmtImportFrom) -> Result<()> {
        let level = s.level.map_or(0, |l| l.to_u32());
        self.load_const(Constant::Int(level.into()));
        let names: Vec<Constant> = s
            .names
            .iter()
            .map(|a| Constant::Str(a.name.to_string()))
            .collect();
        if s.module.as_ref().map(|m| m.as_str()) == Some("__future__") {
            let start: u32 = stmt.range().start().into();
            if start >= self.future_end {
                let loc = self.stmt_loc(stmt);
                return self.syntax_error(
                    loc,
                    "from __future__ imports must occur at the beginning of the file",
                );
            }
        }
        self.load_const(Constant::Tuple(names));
        let module = s.module.as_ref().map_or("", |m| m.as_str());
        self.addop_name_raw(IMPORT_NAME, module);
        for (i, alias) in s.names.iter().enumerate() {
            if i == 0 && alias.name.as_str().starts_with('*') {
                self.addop(IMPORT_STAR);
                return Ok(());
            }
            self.addop_name_raw(IMPORT_FROM, alias.name.as_str());
            let store = alias.asname.as_ref().unwrap_or(&alias.name);
            self.nameop(store.as_str(), Ctx::Store)?;
        }
        self.addop(POP_TOP);
        Ok(())
    }

    /// `compiler_call_exit_with_nones`.
    pub fn call_exit_with_nones(&mut self) {
        self.load_const(Constant::None);
        self.load_const(Constant::None);
        self.load_const(Constant::None);
        self.addop_i(PRECALL, 2);
        self.addop_i(CALL, 2);
    }

    fn pop_except_and_reraise(&mut self) {
        self.addop_i(COPY, 3);
        self.addop(POP_EXCEPT);
        self.addop_i(RERAISE, 1);
    }

    fn with(&mut self, stmt: &'a Stmt, s: &'a ast::StmtWith, pos: usize) -> Result<()> {
        let item = &s.items[pos];
        let block = self.new_block();
        let final_ = self.new_block();
        let exit = self.new_block();
        let cleanup = self.new_block();
        self.visit_expr(&item.context_expr)?;
        self.addop(BEFORE_WITH);
        self.addop_j(SETUP_WITH, final_);
        self.use_next_block(block);
        let sloc = self.stmt_loc(stmt);
        self.u().fblocks.push(FBlock::With {
            stmt: sloc,
            is_async: false,
        });
        if let Some(v) = &item.optional_vars {
            self.visit_expr(v)?;
        } else {
            self.addop(POP_TOP);
        }
        if pos + 1 == s.items.len() {
            self.visit_stmts(&s.body)?;
        } else {
            self.with(stmt, s, pos + 1)?;
        }
        self.unset_loc();
        self.addop(POP_BLOCK);
        self.u().fblocks.pop();
        self.set_loc(sloc);
        self.call_exit_with_nones();
        self.addop(POP_TOP);
        self.addop_j(JUMP, exit);
        self.use_next_block(final_);
        self.addop_j(SETUP_CLEANUP, cleanup);
        self.addop(PUSH_EXC_INFO);
        self.addop(WITH_EXCEPT_START);
        self.with_except_finish(cleanup);
        self.use_next_block(exit);
        Ok(())
    }

    /// `compiler_async_with`.
    fn async_with(&mut self, stmt: &'a Stmt, s: &'a ast::StmtAsyncWith, pos: usize) -> Result<()> {
        if self.ur().scope_type != ScopeType::AsyncFunction {
            return self.error("'async with' outside async function");
        }
        let item = &s.items[pos];
        let block = self.new_block();
        let final_ = self.new_block();
        let exit = self.new_block();
        let cleanup = self.new_block();
        self.visit_expr(&item.context_expr)?;
        self.addop(BEFORE_ASYNC_WITH);
        self.addop_i(GET_AWAITABLE, 1);
        self.load_const(Constant::None);
        self.add_yield_from(true);
        self.addop_j(SETUP_WITH, final_);
        self.use_next_block(block);
        let sloc = self.stmt_loc(stmt);
        self.u().fblocks.push(FBlock::With {
            stmt: sloc,
            is_async: true,
        });
        if let Some(v) = &item.optional_vars {
            self.visit_expr(v)?;
        } else {
            self.addop(POP_TOP);
        }
        if pos + 1 == s.items.len() {
            self.visit_stmts(&s.body)?;
        } else {
            self.async_with(stmt, s, pos + 1)?;
        }
        self.u().fblocks.pop();
        self.addop(POP_BLOCK);
        self.set_loc(sloc);
        self.call_exit_with_nones();
        self.addop_i(GET_AWAITABLE, 2);
        self.load_const(Constant::None);
        self.add_yield_from(true);
        self.addop(POP_TOP);
        self.addop_j(JUMP, exit);
        self.use_next_block(final_);
        self.addop_j(SETUP_CLEANUP, cleanup);
        self.addop(PUSH_EXC_INFO);
        self.addop(WITH_EXCEPT_START);
        self.addop_i(GET_AWAITABLE, 2);
        self.load_const(Constant::None);
        self.add_yield_from(true);
        self.with_except_finish(cleanup);
        self.use_next_block(exit);
        Ok(())
    }

    /// `compiler_async_for`.
    fn async_for(&mut self, s: &'a ast::StmtAsyncFor) -> Result<()> {
        if self.ur().scope_type != ScopeType::AsyncFunction {
            return self.error("'async for' outside async function");
        }
        let start = self.new_block();
        let except = self.new_block();
        let end = self.new_block();
        self.visit_expr(&s.iter)?;
        self.addop(GET_AITER);
        self.use_next_block(start);
        self.u().fblocks.push(FBlock::ForLoop { start, exit: end });
        self.addop_j(SETUP_FINALLY, except);
        self.addop(GET_ANEXT);
        self.load_const(Constant::None);
        self.add_yield_from(true);
        self.addop(POP_BLOCK);
        self.visit_expr(&s.target)?;
        self.visit_stmts(&s.body)?;
        self.unset_loc();
        self.addop_j(JUMP, start);
        self.u().fblocks.pop();
        self.use_next_block(except);
        let iloc = self.expr_loc(&s.iter);
        self.set_loc(iloc);
        self.addop(END_ASYNC_FOR);
        self.visit_stmts(&s.orelse)?;
        self.use_next_block(end);
        Ok(())
    }

    /// `compiler_with_except_finish`.
    fn with_except_finish(&mut self, cleanup: usize) {
        self.unset_loc();
        let exit = self.new_block();
        self.addop_j(POP_JUMP_IF_TRUE, exit);
        self.next_block();
        self.addop_i(RERAISE, 2);
        self.use_next_block(cleanup);
        self.pop_except_and_reraise();
        self.use_next_block(exit);
        self.addop(POP_TOP);
        self.addop(POP_BLOCK);
        self.addop(POP_EXCEPT);
        self.addop(POP_TOP);
        self.addop(POP_TOP);
    }

    /// `compiler_try` / `compiler_try_star`.
    fn try_stmt(&mut self, s: TryParts<'a>) -> Result<()> {
        if !s.finalbody.is_empty() {
            self.try_finally(s)
        } else if s.star {
            self.try_star_except(s)
        } else {
            self.try_except(s)
        }
    }

    fn try_finally(&mut self, s: TryParts<'a>) -> Result<()> {
        let body = self.new_block();
        let end = self.new_block();
        let exit = self.new_block();
        let cleanup = self.new_block();
        self.addop_j(SETUP_FINALLY, end);
        self.use_next_block(body);
        self.u()
            .fblocks
            .push(FBlock::FinallyTry { body: s.finalbody });
        if s.handlers.is_empty() {
            self.visit_stmts(s.body)?;
        } else if s.star {
            self.try_star_except(s)?;
        } else {
            self.try_except(s)?;
        }
        self.addop_noline(POP_BLOCK);
        self.u().fblocks.pop();
        self.visit_stmts(s.finalbody)?;
        self.addop_j_noline(JUMP, exit);
        self.use_next_block(end);
        self.unset_loc();
        self.addop_j(SETUP_CLEANUP, cleanup);
        self.addop(PUSH_EXC_INFO);
        self.u().fblocks.push(FBlock::FinallyEnd);
        self.visit_stmts(s.finalbody)?;
        self.u().fblocks.pop();
        self.addop_i(RERAISE, 0);
        self.use_next_block(cleanup);
        self.pop_except_and_reraise();
        self.use_next_block(exit);
        Ok(())
    }

    fn try_except(&mut self, s: TryParts<'a>) -> Result<()> {
        let body = self.new_block();
        let mut except = self.new_block();
        let end = self.new_block();
        let cleanup = self.new_block();
        self.addop_j(SETUP_FINALLY, except);
        self.use_next_block(body);
        self.u().fblocks.push(FBlock::TryExcept);
        self.visit_stmts(s.body)?;
        self.u().fblocks.pop();
        self.addop_noline(POP_BLOCK);
        self.visit_stmts(s.orelse)?;
        self.addop_j_noline(JUMP, end);
        let n = s.handlers.len();
        self.use_next_block(except);
        self.unset_loc();
        self.addop_j(SETUP_CLEANUP, cleanup);
        self.addop(PUSH_EXC_INFO);
        self.u().fblocks.push(FBlock::ExceptionHandler);
        for (i, h) in s.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let hloc = self.range_loc(h.range);
            self.set_loc(hloc);
            if h.type_.is_none() && i < n - 1 {
                return self.error("default 'except:' must be last");
            }
            except = self.new_block();
            if let Some(t) = &h.type_ {
                self.visit_expr(t)?;
                self.addop(CHECK_EXC_MATCH);
                self.addop_j(POP_JUMP_IF_FALSE, except);
                self.next_block();
            }
            if let Some(name) = &h.name {
                let cleanup_end = self.new_block();
                let cleanup_body = self.new_block();
                self.nameop(name.as_str(), Ctx::Store)?;
                self.addop_j(SETUP_CLEANUP, cleanup_end);
                self.use_next_block(cleanup_body);
                self.u().fblocks.push(FBlock::HandlerCleanup {
                    name: Some(name.to_string()),
                });
                self.visit_stmts(&h.body)?;
                self.u().fblocks.pop();
                self.unset_loc();
                self.addop(POP_BLOCK);
                self.addop(POP_BLOCK);
                self.addop(POP_EXCEPT);
                self.load_const(Constant::None);
                self.nameop(name.as_str(), Ctx::Store)?;
                self.nameop(name.as_str(), Ctx::Del)?;
                self.addop_j(JUMP, end);
                self.use_next_block(cleanup_end);
                self.unset_loc();
                self.load_const(Constant::None);
                self.nameop(name.as_str(), Ctx::Store)?;
                self.nameop(name.as_str(), Ctx::Del)?;
                self.addop_i(RERAISE, 1);
            } else {
                let cleanup_body = self.new_block();
                self.addop(POP_TOP);
                self.use_next_block(cleanup_body);
                self.u().fblocks.push(FBlock::HandlerCleanup { name: None });
                self.visit_stmts(&h.body)?;
                self.u().fblocks.pop();
                self.unset_loc();
                self.addop(POP_BLOCK);
                self.addop(POP_EXCEPT);
                self.addop_j(JUMP, end);
            }
            self.use_next_block(except);
        }
        self.unset_loc();
        self.u().fblocks.pop();
        self.addop_i(RERAISE, 0);
        self.use_next_block(cleanup);
        self.pop_except_and_reraise();
        self.use_next_block(end);
        Ok(())
    }

    /// `compiler_try_star_except`: `try` with `except*` clauses.
    fn try_star_except(&mut self, s: TryParts<'a>) -> Result<()> {
        let body = self.new_block();
        let mut except = self.new_block();
        let orelse = self.new_block();
        let end = self.new_block();
        let cleanup = self.new_block();
        let reraise_star = self.new_block();
        self.addop_j(SETUP_FINALLY, except);
        self.use_next_block(body);
        self.u().fblocks.push(FBlock::TryExcept);
        self.visit_stmts(s.body)?;
        self.u().fblocks.pop();
        self.addop_noline(POP_BLOCK);
        self.addop_j_noline(JUMP, orelse);
        let n = s.handlers.len();
        self.use_next_block(except);
        self.unset_loc();
        self.addop_j(SETUP_CLEANUP, cleanup);
        self.addop(PUSH_EXC_INFO);
        self.u().fblocks.push(FBlock::ExceptionGroupHandler);
        for (i, h) in s.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let hloc = self.range_loc(h.range);
            self.set_loc(hloc);
            except = self.new_block();
            let except_with_error = self.new_block();
            let no_match = self.new_block();
            if i == 0 {
                self.addop_i(COPY, 1);
                self.addop_i(BUILD_LIST, 0);
                self.addop_i(SWAP, 2);
            }
            if let Some(t) = &h.type_ {
                self.visit_expr(t)?;
                self.addop(CHECK_EG_MATCH);
                self.addop_i(COPY, 1);
                self.addop_j(POP_JUMP_IF_NONE, no_match);
            }
            let cleanup_end = self.new_block();
            let cleanup_body = self.new_block();
            match &h.name {
                Some(name) => self.nameop(name.as_str(), Ctx::Store)?,
                None => self.addop(POP_TOP),
            }
            self.addop_j(SETUP_CLEANUP, cleanup_end);
            self.use_next_block(cleanup_body);
            self.u().fblocks.push(FBlock::HandlerCleanup {
                name: h.name.as_ref().map(|n| n.to_string()),
            });
            self.visit_stmts(&h.body)?;
            self.u().fblocks.pop();
            self.unset_loc();
            self.addop(POP_BLOCK);
            if let Some(name) = &h.name {
                self.load_const(Constant::None);
                self.nameop(name.as_str(), Ctx::Store)?;
                self.nameop(name.as_str(), Ctx::Del)?;
            }
            self.addop_j(JUMP, except);
            self.use_next_block(cleanup_end);
            self.unset_loc();
            if let Some(name) = &h.name {
                self.load_const(Constant::None);
                self.nameop(name.as_str(), Ctx::Store)?;
                self.nameop(name.as_str(), Ctx::Del)?;
            }
            self.addop_i(LIST_APPEND, 3);
            self.addop(POP_TOP);
            self.addop_j(JUMP, except_with_error);
            self.use_next_block(except);
            self.addop(NOP);
            self.addop_j(JUMP, except_with_error);
            self.use_next_block(no_match);
            self.addop(POP_TOP);
            self.use_next_block(except_with_error);
            if i == n - 1 {
                self.addop_i(LIST_APPEND, 1);
                self.addop_j(JUMP, reraise_star);
            }
        }
        self.unset_loc();
        self.u().fblocks.pop();
        let reraise = self.new_block();
        self.use_next_block(reraise_star);
        self.addop(PREP_RERAISE_STAR);
        self.addop_i(COPY, 1);
        self.addop_j(POP_JUMP_IF_NOT_NONE, reraise);
        self.addop(POP_TOP);
        self.addop(POP_BLOCK);
        self.addop(POP_EXCEPT);
        self.addop_j(JUMP, end);
        self.use_next_block(reraise);
        self.addop(POP_BLOCK);
        self.addop_i(SWAP, 2);
        self.addop(POP_EXCEPT);
        self.addop_i(RERAISE, 0);
        self.use_next_block(cleanup);
        self.pop_except_and_reraise();
        self.use_next_block(orelse);
        self.visit_stmts(s.orelse)?;
        self.use_next_block(end);
        Ok(())
    }

    // ----- definitions -----

    /// `compiler_decorators`.
    fn decorators(&mut self, decos: &'a [Expr]) -> Result<()> {
        for d in decos {
            self.visit_expr(d)?;
        }
        Ok(())
    }

    /// `compiler_apply_decorators`.
    fn apply_decorators(&mut self, decos: &'a [Expr]) {
        let old = self.ur().loc;
        for d in decos.iter().rev() {
            let l = self.expr_loc(d);
            self.set_loc(l);
            self.addop_i(PRECALL, 0);
            self.addop_i(CALL, 0);
        }
        self.set_loc(old);
    }

    /// `compiler_default_arguments`: returns MAKE_FUNCTION flags.
    pub fn default_arguments(&mut self, args: &'a ast::Arguments) -> Result<u32> {
        let mut flags = 0;
        let defaults: Vec<&Expr> = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !defaults.is_empty() {
            for d in &defaults {
                self.visit_expr(d)?;
            }
            self.addop_i(BUILD_TUPLE, defaults.len() as u32);
            flags |= 0x01;
        }
        let mut keys = Vec::new();
        for a in &args.kwonlyargs {
            if let Some(d) = &a.default {
                let mangled = symtable::mangle(self.ur().private.as_deref(), a.def.arg.as_str());
                keys.push(Constant::Str(mangled));
                self.visit_expr(d)?;
            }
        }
        if !keys.is_empty() {
            let n = keys.len() as u32;
            self.load_const(Constant::Tuple(keys));
            self.addop_i(BUILD_CONST_KEY_MAP, n);
            flags |= 0x02;
        }
        Ok(flags)
    }

    /// `compiler_visit_annexpr`: the annotation as a string constant.
    fn annotation_string(&mut self, ann: &'a Expr) -> Result<()> {
        match super::unparse::expr_as_string(ann) {
            Some(text) => {
                self.load_const(Constant::Str(text));
                Ok(())
            }
            None => {
                let loc = self.expr_loc(ann);
                self.unsupported(
                    loc,
                    "this annotation under 'from __future__ import annotations'",
                )
            }
        }
    }

    /// `compiler_visit_annotations`: returns true if a tuple was pushed.
    fn annotations(&mut self, args: &'a ast::Arguments, returns: Option<&'a Expr>) -> Result<bool> {
        let mut n = 0;
        let mut one = |c: &mut Self, name: &str, ann: Option<&'a Expr>| -> Result<()> {
            if let Some(a) = ann {
                let mangled = symtable::mangle(c.ur().private.as_deref(), name);
                c.load_const(Constant::Str(mangled));
                if c.future_annotations {
                    c.annotation_string(a)?;
                    n += 2;
                    return Ok(());
                }
                match a {
                    Expr::Starred(s) => {
                        c.visit_expr(&s.value)?;
                        c.addop_i(UNPACK_SEQUENCE, 1);
                    }
                    _ => c.visit_expr(a)?,
                }
                n += 2;
            }
            Ok(())
        };
        for a in &args.args {
            one(self, a.def.arg.as_str(), a.def.annotation.as_deref())?;
        }
        for a in &args.posonlyargs {
            one(self, a.def.arg.as_str(), a.def.annotation.as_deref())?;
        }
        if let Some(v) = &args.vararg {
            one(self, v.arg.as_str(), v.annotation.as_deref())?;
        }
        for a in &args.kwonlyargs {
            one(self, a.def.arg.as_str(), a.def.annotation.as_deref())?;
        }
        if let Some(k) = &args.kwarg {
            one(self, k.arg.as_str(), k.annotation.as_deref())?;
        }
        one(self, "return", returns)?;
        if n > 0 {
            self.addop_i(BUILD_TUPLE, n);
            return Ok(true);
        }
        Ok(false)
    }

    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        s: &'a Stmt,
        name: &str,
        args: &'a ast::Arguments,
        body: &'a [Stmt],
        decos: &'a [Expr],
        returns: Option<&'a Expr>,
        key: usize,
        is_async: bool,
    ) -> Result<()> {
        self.check_debug_args(args)?;
        self.decorators(decos)?;
        let sloc = self.stmt_loc(s);
        let firstlineno = match decos.first() {
            Some(d) => self.expr_loc(d).line,
            None => sloc.line,
        };
        let mut funcflags = self.default_arguments(args)?;
        if self.annotations(args, returns)? {
            funcflags |= 0x04;
        }
        let scope = if is_async {
            ScopeType::AsyncFunction
        } else {
            ScopeType::Function
        };
        self.enter_scope(name, scope, key, firstlineno)?;
        let doc = docstring(body);
        self.add_const(match &doc {
            Some(d) => Constant::Str(d.clone()),
            None => Constant::None,
        });
        self.u().argcount = args.args.len() as u32;
        self.u().posonlyargcount = args.posonlyargs.len() as u32;
        self.u().kwonlyargcount = args.kwonlyargs.len() as u32;
        let start = if doc.is_some() { 1 } else { 0 };
        for st in &body[start..] {
            self.visit_stmt(st)?;
        }
        let co = self.exit_scope(true);
        self.set_loc(sloc);
        self.make_closure(co, funcflags)?;
        self.apply_decorators(decos);
        self.nameop(name, Ctx::Store)
    }

    fn class(&mut self, s: &'a Stmt, c: &'a ast::StmtClassDef) -> Result<()> {
        self.decorators(&c.decorator_list)?;
        let sloc = self.stmt_loc(s);
        let firstlineno = match c.decorator_list.first() {
            Some(d) => self.expr_loc(d).line,
            None => sloc.line,
        };
        self.enter_scope(c.name.as_str(), ScopeType::Class, node_key(c), firstlineno)?;
        self.u().private = Some(c.name.to_string());
        self.nameop("__name__", Ctx::Load)?;
        self.nameop("__module__", Ctx::Store)?;
        let q = self.ur().qualname.clone();
        self.load_const(Constant::Str(q));
        self.nameop("__qualname__", Ctx::Store)?;
        self.body(&c.body)?;
        self.unset_loc();
        if self.ste().needs_class_closure {
            let i = self.ur().cellvars.get("__class__").unwrap_or(0);
            self.addop_i(LOAD_CLOSURE, i);
            self.addop_i(COPY, 1);
            self.nameop("__classcell__", Ctx::Store)?;
        } else {
            self.load_const(Constant::None);
        }
        self.addop(RETURN_VALUE);
        let co = self.exit_scope(true);
        self.set_loc(sloc);
        self.addop(PUSH_NULL);
        self.addop(LOAD_BUILD_CLASS);
        self.make_closure(co, 0)?;
        self.load_const(Constant::Str(c.name.to_string()));
        self.call_helper(2, &c.bases, &c.keywords)?;
        self.apply_decorators(&c.decorator_list);
        self.nameop(c.name.as_str(), Ctx::Store)
    }

    /// `compiler_make_closure`.
    pub fn make_closure(&mut self, co: crate::code::CodeObject, mut flags: u32) -> Result<()> {
        let nfree = co
            .localspluskinds
            .iter()
            .filter(|k| **k & crate::code::kinds::CO_FAST_FREE != 0)
            .count();
        if nfree > 0 {
            let start = co.localsplusnames.len() - nfree;
            for name in &co.localsplusnames[start..] {
                let is_class_cell = self.ur().scope_type == ScopeType::Class && name == "__class__";
                let scope = self.ste().scope(name);
                let arg = if is_class_cell || scope == symtable::Scope::Cell {
                    self.ur().cellvars.get(name)
                } else {
                    self.ur()
                        .freevars
                        .get(name)
                        .map(|i| i + self.ur().cellvars.items.len() as u32)
                };
                let Some(arg) = arg else {
                    let loc = self.ur().loc;
                    return self.unsupported(loc, &format!("closure over '{name}'"));
                };
                self.addop_i(LOAD_CLOSURE, arg);
            }
            flags |= 0x08;
            self.addop_i(BUILD_TUPLE, nfree as u32);
        }
        self.load_const(Constant::Code(Box::new(co)));
        self.addop_i(MAKE_FUNCTION, flags);
        Ok(())
    }
}
