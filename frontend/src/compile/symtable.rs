//! Scope analysis: CPython 3.11's Python/symtable.c. One pass records what
//! every block does with every name; `analyze` then resolves each name to
//! local, global (explicit or implicit), free or cell.

use std::collections::{HashMap, HashSet};

use rustpython_parser::ast::{self, Expr, Ranged, Stmt};

use super::CompileErr;

pub const DEF_GLOBAL: u32 = 1;
pub const DEF_LOCAL: u32 = 2;
pub const DEF_PARAM: u32 = 4;
pub const DEF_NONLOCAL: u32 = 8;
pub const USE: u32 = 16;
pub const DEF_FREE: u32 = 32;
pub const DEF_FREE_CLASS: u32 = 64;
pub const DEF_IMPORT: u32 = 128;
pub const DEF_ANNOT: u32 = 256;
pub const DEF_COMP_ITER: u32 = 512;
pub const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;
const SCOPE_OFFSET: u32 = 11;
const SCOPE_MASK: u32 = DEF_GLOBAL | DEF_LOCAL | DEF_PARAM | DEF_NONLOCAL;

/// Where a name lives, as `_PyST_GetScope` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Unknown = 0,
    Local = 1,
    GlobalExplicit = 2,
    GlobalImplicit = 3,
    Free = 4,
    Cell = 5,
}

impl Scope {
    fn from_bits(v: u32) -> Scope {
        match v {
            1 => Scope::Local,
            2 => Scope::GlobalExplicit,
            3 => Scope::GlobalImplicit,
            4 => Scope::Free,
            5 => Scope::Cell,
            _ => Scope::Unknown,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockType {
    Module,
    Class,
    Function,
    /// An annotation under `from __future__ import annotations`: never
    /// evaluated, but its names still count as uses in enclosing scopes.
    Annotation,
}

/// Which kind of comprehension a function block is, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comprehension {
    None,
    List,
    Set,
    Dict,
    Generator,
}

/// A symbol table entry (`PySTEntryObject`).
#[derive(Clone, Debug)]
pub struct Entry {
    pub typ: BlockType,
    pub name: String,
    /// Names in first-seen order with their flags.
    pub symbols: Vec<(String, u32)>,
    index: HashMap<String, usize>,
    /// Parameters in order (`ste_varnames`).
    pub varnames: Vec<String>,
    pub children: Vec<usize>,
    pub nested: bool,
    pub generator: bool,
    pub coroutine: bool,
    pub comprehension: Comprehension,
    pub varargs: bool,
    pub varkeywords: bool,
    pub needs_class_closure: bool,
    pub lineno: u32,
    /// Where each `global`/`nonlocal` name was declared (line, 1-based col).
    pub directives: HashMap<String, (u32, u32)>,
}

impl Entry {
    fn new(typ: BlockType, name: &str, lineno: u32) -> Entry {
        Entry {
            typ,
            name: name.to_string(),
            symbols: Vec::new(),
            index: HashMap::new(),
            varnames: Vec::new(),
            children: Vec::new(),
            nested: false,
            generator: false,
            coroutine: false,
            comprehension: Comprehension::None,
            varargs: false,
            varkeywords: false,
            needs_class_closure: false,
            lineno,
            directives: HashMap::new(),
        }
    }

    pub fn flags(&self, name: &str) -> u32 {
        self.index.get(name).map_or(0, |&i| self.symbols[i].1)
    }

    fn set_flags(&mut self, name: &str, flags: u32) {
        match self.index.get(name) {
            Some(&i) => self.symbols[i].1 = flags,
            None => {
                self.index.insert(name.to_string(), self.symbols.len());
                self.symbols.push((name.to_string(), flags));
            }
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// `_PyST_GetScope`.
    pub fn scope(&self, name: &str) -> Scope {
        Scope::from_bits((self.flags(name) >> SCOPE_OFFSET) & SCOPE_MASK)
    }

    /// Names with the given scope (or any of `flag`), sorted (`dictbytype`).
    pub fn names_by_scope(&self, scope: Scope, flag: u32) -> Vec<String> {
        let mut v: Vec<String> = self
            .symbols
            .iter()
            .filter(|(_, f)| {
                Scope::from_bits((f >> SCOPE_OFFSET) & SCOPE_MASK) == scope || f & flag != 0
            })
            .map(|(n, _)| n.clone())
            .collect();
        v.sort();
        v
    }
}

/// `_Py_Mangle`: `__private` names in a class body become `_Class__private`.
pub fn mangle(private: Option<&str>, name: &str) -> String {
    let Some(private) = private else {
        return name.to_string();
    };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_string();
    }
    let stripped = private.trim_start_matches('_');
    if stripped.is_empty() {
        return name.to_string();
    }
    format!("_{stripped}{name}")
}

/// The symbol table of a module: entries, and which entry each scope-making
/// AST node (by address) opened.
pub struct SymbolTable {
    pub entries: Vec<Entry>,
    pub by_node: HashMap<usize, usize>,
}

struct Builder<'a> {
    entries: Vec<Entry>,
    by_node: HashMap<usize, usize>,
    stack: Vec<usize>,
    private: Option<String>,
    lines: &'a dyn Fn(u32) -> (u32, u32),
    source: &'a str,
    future_annotations: bool,
    /// Visiting a comprehension's iteration target (`ste_comp_iter_target`).
    comp_iter_target: bool,
    /// Depth inside comprehension iterables (`ste_comp_iter_expr`).
    comp_iter_expr: u32,
}

pub fn node_key<T>(node: &T) -> usize {
    node as *const T as usize
}

type Result<T> = std::result::Result<T, CompileErr>;

impl<'a> Builder<'a> {
    fn cur(&mut self) -> &mut Entry {
        let i = *self.stack.last().unwrap();
        &mut self.entries[i]
    }

    fn err(&self, offset: u32, msg: String) -> CompileErr {
        let (line, col) = (self.lines)(offset);
        CompileErr::Syntax { line, col, msg }
    }

    fn enter(&mut self, typ: BlockType, name: &str, key: usize, offset: u32) {
        let (lineno, _) = (self.lines)(offset);
        let mut e = Entry::new(typ, name, lineno);
        if let Some(&p) = self.stack.last() {
            let parent = &self.entries[p];
            if parent.nested || parent.typ == BlockType::Function {
                e.nested = true;
            }
        }
        let id = self.entries.len();
        self.entries.push(e);
        if let Some(&p) = self.stack.last() {
            self.entries[p].children.push(id);
        }
        self.by_node.insert(key, id);
        self.stack.push(id);
    }

    fn exit(&mut self) {
        self.stack.pop();
    }

    fn add_def(&mut self, name: &str, flag: u32, offset: u32) -> Result<()> {
        let mangled = mangle(self.private.as_deref(), name);
        let cur = self.cur();
        let mut val = cur.flags(&mangled);
        if flag & DEF_PARAM != 0 && val & DEF_PARAM != 0 {
            return Err(self.err(
                offset,
                format!("duplicate argument '{name}' in function definition"),
            ));
        }
        val |= flag;
        let cur = self.cur();
        cur.set_flags(&mangled, val);
        if flag & DEF_PARAM != 0 {
            cur.varnames.push(mangled.clone());
        } else if flag & DEF_GLOBAL != 0 {
            let g = self.entries[0].flags(&mangled) | flag;
            self.entries[0].set_flags(&mangled, g);
        }
        Ok(())
    }

    fn stmts(&mut self, body: &[Stmt]) -> Result<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn exprs(&mut self, es: &[Expr]) -> Result<()> {
        for e in es {
            self.expr(e)?;
        }
        Ok(())
    }

    fn arguments_defaults(&mut self, args: &ast::Arguments) -> Result<()> {
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            if let Some(d) = &a.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    fn annotations(&mut self, args: &ast::Arguments, returns: Option<&Expr>) -> Result<()> {
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            if let Some(ann) = &a.def.annotation {
                self.annotation(ann)?;
            }
        }
        for a in args.vararg.iter().chain(args.kwarg.iter()) {
            if let Some(ann) = &a.annotation {
                self.annotation(ann)?;
            }
        }
        if let Some(r) = returns {
            self.annotation(r)?;
        }
        Ok(())
    }

    /// `symtable_visit_annotation`.
    fn annotation(&mut self, ann: &Expr) -> Result<()> {
        if self.future_annotations {
            let off: u32 = ann.range().start().into();
            // Annotation blocks do not affect the symbol table: they are
            // detached from their parent (`symtable_enter_block`).
            self.enter(BlockType::Annotation, "_annotation", node_key(ann), off);
            let id = *self.stack.last().unwrap();
            if let Some(&parent) = self.stack.get(self.stack.len().wrapping_sub(2)) {
                self.entries[parent].children.retain(|&c| c != id);
            }
            self.expr(ann)?;
            self.exit();
            Ok(())
        } else {
            self.expr(ann)
        }
    }

    fn params(&mut self, args: &ast::Arguments) -> Result<()> {
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            self.add_def(a.def.arg.as_str(), DEF_PARAM, a.def.range.start().into())?;
        }
        if let Some(v) = &args.vararg {
            self.add_def(v.arg.as_str(), DEF_PARAM, v.range.start().into())?;
            self.cur().varargs = true;
        }
        if let Some(k) = &args.kwarg {
            self.add_def(k.arg.as_str(), DEF_PARAM, k.range.start().into())?;
            self.cur().varkeywords = true;
        }
        Ok(())
    }

    fn global_like(
        &mut self,
        names: &[ast::Identifier],
        offset: u32,
        nonlocal: bool,
    ) -> Result<()> {
        let kw = if nonlocal { "nonlocal" } else { "global" };
        for name in names {
            let name = name.as_str();
            let mangled = mangle(self.private.as_deref(), name);
            let cur = self.flags_of(&mangled);
            if cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
                let msg = if cur & DEF_PARAM != 0 {
                    format!("name '{name}' is parameter and {kw}")
                } else if cur & USE != 0 {
                    format!("name '{name}' is used prior to {kw} declaration")
                } else if cur & DEF_ANNOT != 0 {
                    format!("annotated name '{name}' can't be {kw}")
                } else {
                    format!("name '{name}' is assigned to before {kw} declaration")
                };
                return Err(self.err(offset, msg));
            }
            let pos = (self.lines)(offset);
            self.cur().directives.entry(mangled.clone()).or_insert(pos);
            if nonlocal {
                if self.cur().typ == BlockType::Module {
                    return Err(self.err(
                        offset,
                        "nonlocal declaration not allowed at module level".into(),
                    ));
                }
                self.add_def(name, DEF_NONLOCAL, offset)?;
            } else {
                self.add_def(name, DEF_GLOBAL, offset)?;
            }
        }
        Ok(())
    }

    fn flags_of(&mut self, mangled: &str) -> u32 {
        self.cur().flags(mangled)
    }

    fn stmt(&mut self, s: &Stmt) -> Result<()> {
        let off: u32 = s.range().start().into();
        match s {
            Stmt::FunctionDef(f) => {
                if !f.type_params.is_empty() {
                    return Err(self.err(self.bracket_after(off), "expected '('".into()));
                }
                self.check_bare_star(&f.args, off, false)?;
                self.add_def(f.name.as_str(), DEF_LOCAL, off)?;
                self.arguments_defaults(&f.args)?;
                self.annotations(&f.args, f.returns.as_deref())?;
                self.exprs(&f.decorator_list)?;
                self.enter(BlockType::Function, f.name.as_str(), node_key(f), off);
                self.params(&f.args)?;
                self.stmts(&f.body)?;
                self.exit();
            }
            Stmt::AsyncFunctionDef(f) => {
                if !f.type_params.is_empty() {
                    return Err(self.err(self.bracket_after(off), "expected '('".into()));
                }
                self.check_bare_star(&f.args, off, false)?;
                self.add_def(f.name.as_str(), DEF_LOCAL, off)?;
                self.arguments_defaults(&f.args)?;
                self.annotations(&f.args, f.returns.as_deref())?;
                self.exprs(&f.decorator_list)?;
                self.enter(BlockType::Function, f.name.as_str(), node_key(f), off);
                self.cur().coroutine = true;
                self.params(&f.args)?;
                self.stmts(&f.body)?;
                self.exit();
            }
            Stmt::ClassDef(c) => {
                if !c.type_params.is_empty() {
                    return Err(self.err(self.bracket_after(off), "invalid syntax".into()));
                }
                for b in &c.bases {
                    if let Expr::GeneratorExp(g) = b {
                        if !self.parenthesized(b) {
                            let elt_end: u32 = g.elt.range().end().into();
                            let at = self
                                .source
                                .get(elt_end as usize..)
                                .and_then(|t| t.find("for"))
                                .map_or(elt_end, |i| elt_end + i as u32);
                            return Err(self.err(at, "invalid syntax".into()));
                        }
                    }
                }
                self.add_def(c.name.as_str(), DEF_LOCAL, off)?;
                self.exprs(&c.bases)?;
                for k in &c.keywords {
                    self.expr(&k.value)?;
                }
                self.exprs(&c.decorator_list)?;
                self.enter(BlockType::Class, c.name.as_str(), node_key(c), off);
                let saved = self.private.replace(c.name.to_string());
                self.stmts(&c.body)?;
                self.private = saved;
                self.exit();
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.expr(v)?;
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.check_target(t, TargetKind::Del)?;
                }
                self.exprs(&d.targets)?
            }
            Stmt::Assign(a) => {
                for (i, t) in a.targets.iter().enumerate() {
                    self.check_assign_target(t, i + 1 == a.targets.len())?;
                }
                self.exprs(&a.targets)?;
                self.expr(&a.value)?;
            }
            Stmt::AugAssign(a) => {
                if !matches!(
                    a.target.as_ref(),
                    Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_)
                ) {
                    let what = expr_name(&a.target);
                    return Err(self.err(
                        a.target.range().start().into(),
                        format!("'{what}' is an illegal expression for augmented assignment"),
                    ));
                }
                self.expr(&a.target)?;
                self.expr(&a.value)?;
            }
            Stmt::AnnAssign(a) => {
                let t_off: u32 = a.target.range().start().into();
                match a.target.as_ref() {
                    Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {}
                    Expr::Tuple(_) => {
                        return Err(self.err(
                            t_off,
                            "only single target (not tuple) can be annotated".into(),
                        ))
                    }
                    Expr::List(_) => {
                        return Err(self.err(
                            t_off,
                            "only single target (not list) can be annotated".into(),
                        ))
                    }
                    _ => return Err(self.err(t_off, "illegal target for annotation".into())),
                }
                if let Expr::Name(n) = a.target.as_ref() {
                    let mangled = mangle(self.private.as_deref(), n.id.as_str());
                    let cur = self.flags_of(&mangled);
                    if cur & (DEF_GLOBAL | DEF_NONLOCAL) != 0 && a.simple {
                        let kw = if cur & DEF_GLOBAL != 0 {
                            "global"
                        } else {
                            "nonlocal"
                        };
                        return Err(
                            self.err(off, format!("annotated name '{}' can't be {kw}", n.id))
                        );
                    }
                    if a.simple {
                        self.add_def(n.id.as_str(), DEF_ANNOT | DEF_LOCAL, off)?;
                    } else if a.value.is_some() {
                        self.add_def(n.id.as_str(), DEF_LOCAL, off)?;
                    }
                } else {
                    self.expr(&a.target)?;
                }
                self.annotation(&a.annotation)?;
                if let Some(v) = &a.value {
                    self.expr(v)?;
                }
            }
            Stmt::For(f) => {
                self.check_target(&f.target, TargetKind::For)?;
                self.expr(&f.target)?;
                self.expr(&f.iter)?;
                self.stmts(&f.body)?;
                self.stmts(&f.orelse)?;
            }
            Stmt::AsyncFor(f) => {
                self.expr(&f.target)?;
                self.expr(&f.iter)?;
                self.stmts(&f.body)?;
                self.stmts(&f.orelse)?;
            }
            Stmt::While(w) => {
                self.expr(&w.test)?;
                self.stmts(&w.body)?;
                self.stmts(&w.orelse)?;
            }
            Stmt::If(i) => {
                self.expr(&i.test)?;
                self.stmts(&i.body)?;
                self.stmts(&i.orelse)?;
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.check_target(v, TargetKind::Star)?;
                        self.expr(v)?;
                    }
                }
                self.stmts(&w.body)?;
            }
            Stmt::AsyncWith(w) => {
                for item in &w.items {
                    self.expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.expr(v)?;
                    }
                }
                self.stmts(&w.body)?;
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                }
                if let Some(c) = &r.cause {
                    self.expr(c)?;
                }
            }
            Stmt::Try(t) => {
                self.stmts(&t.body)?;
                self.stmts(&t.orelse)?;
                self.handlers(&t.handlers)?;
                self.stmts(&t.finalbody)?;
            }
            Stmt::TryStar(t) => {
                self.stmts(&t.body)?;
                self.stmts(&t.orelse)?;
                self.handlers(&t.handlers)?;
                self.stmts(&t.finalbody)?;
            }
            Stmt::Assert(a) => {
                self.expr(&a.test)?;
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                }
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    self.import_alias(alias, off)?;
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    self.import_alias(alias, off)?;
                }
            }
            Stmt::Global(g) => self.global_like(&g.names, off, false)?,
            Stmt::Nonlocal(n) => self.global_like(&n.names, off, true)?,
            Stmt::Expr(e) => self.expr(&e.value)?,
            Stmt::Match(m) => {
                self.expr(&m.subject)?;
                for case in &m.cases {
                    self.pattern(&case.pattern)?;
                    if let Some(g) = &case.guard {
                        self.expr(g)?;
                    }
                    self.stmts(&case.body)?;
                }
            }
            Stmt::TypeAlias(t) => {
                // `type X = ...` is Python 3.12 syntax.
                return Err(self.err(t.name.range().start().into(), "invalid syntax".into()));
            }
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
        }
        Ok(())
    }

    /// Names a pattern binds are local; values and classes are expressions.
    fn pattern(&mut self, p: &ast::Pattern) -> Result<()> {
        let off: u32 = p.range().start().into();
        match p {
            ast::Pattern::MatchValue(v) => self.expr(&v.value)?,
            ast::Pattern::MatchSingleton(_) => {}
            ast::Pattern::MatchSequence(s) => {
                for q in &s.patterns {
                    self.pattern(q)?;
                }
            }
            ast::Pattern::MatchMapping(m) => {
                self.exprs(&m.keys)?;
                for q in &m.patterns {
                    self.pattern(q)?;
                }
                if let Some(r) = &m.rest {
                    self.add_def(r.as_str(), DEF_LOCAL, off)?;
                }
            }
            ast::Pattern::MatchClass(c) => {
                self.expr(&c.cls)?;
                for q in c.patterns.iter().chain(&c.kwd_patterns) {
                    self.pattern(q)?;
                }
            }
            ast::Pattern::MatchStar(s) => {
                if let Some(n) = &s.name {
                    self.add_def(n.as_str(), DEF_LOCAL, off)?;
                }
            }
            ast::Pattern::MatchAs(a) => {
                if let Some(q) = &a.pattern {
                    self.pattern(q)?;
                }
                if let Some(n) = &a.name {
                    self.add_def(n.as_str(), DEF_LOCAL, off)?;
                }
            }
            ast::Pattern::MatchOr(o) => {
                for q in &o.patterns {
                    self.pattern(q)?;
                }
            }
        }
        Ok(())
    }

    fn handlers(&mut self, handlers: &[ast::ExceptHandler]) -> Result<()> {
        for h in handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            if let Some(t) = &h.type_ {
                self.expr(t)?;
            }
            if let Some(n) = &h.name {
                self.add_def(n.as_str(), DEF_LOCAL, h.range.start().into())?;
            }
            self.stmts(&h.body)?;
        }
        Ok(())
    }

    fn import_alias(&mut self, alias: &ast::Alias, off: u32) -> Result<()> {
        let name = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
        let store = name.split('.').next().unwrap_or(name);
        if store == "*" {
            if self.cur().typ != BlockType::Module {
                return Err(self.err(off, "import * only allowed at module level".into()));
            }
            return Ok(());
        }
        self.add_def(store, DEF_IMPORT, off)
    }

    fn comprehension(
        &mut self,
        e: &Expr,
        name: &str,
        kind: Comprehension,
        generators: &[ast::Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
    ) -> Result<()> {
        let off: u32 = e.range().start().into();
        let outermost = &generators[0];
        self.comp_iter_expr += 1;
        self.expr(&outermost.iter)?;
        self.comp_iter_expr -= 1;
        self.enter(BlockType::Function, name, node_key(e), off);
        self.cur().comprehension = kind;
        if outermost.is_async {
            self.cur().coroutine = true;
        }
        self.add_def(".0", DEF_PARAM, off)?;
        for g in generators {
            self.check_target(&g.target, TargetKind::For)?;
        }
        self.comp_iter_target = true;
        self.expr(&outermost.target)?;
        self.comp_iter_target = false;
        self.exprs(&outermost.ifs)?;
        for g in &generators[1..] {
            if g.is_async {
                self.cur().coroutine = true;
            }
            self.comp_iter_target = true;
            self.expr(&g.target)?;
            self.comp_iter_target = false;
            self.comp_iter_expr += 1;
            self.expr(&g.iter)?;
            self.comp_iter_expr -= 1;
            self.exprs(&g.ifs)?;
        }
        if let Some(v) = value {
            self.expr(v)?;
        }
        self.expr(elt)?;
        if kind == Comprehension::Generator {
            self.cur().generator = true;
        }
        self.exit();
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> Result<()> {
        let off: u32 = e.range().start().into();
        match e {
            Expr::BoolOp(b) => self.exprs(&b.values)?,
            Expr::NamedExpr(n) => {
                if !matches!(n.target.as_ref(), Expr::Name(_)) {
                    let what = expr_name(&n.target);
                    return Err(self.err(
                        n.target.range().start().into(),
                        format!("cannot use assignment expressions with {what}"),
                    ));
                }
                if self.comp_iter_expr > 0 {
                    return Err(self.err(
                        off,
                        "assignment expression cannot be used in a comprehension iterable expression".into(),
                    ));
                }
                if self.cur().comprehension != Comprehension::None {
                    if let Expr::Name(t) = n.target.as_ref() {
                        self.extend_namedexpr_scope(t.id.as_str(), off)?;
                    }
                }
                self.expr(&n.value)?;
                self.expr(&n.target)?;
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
            }
            Expr::UnaryOp(u) => self.expr(&u.operand)?,
            Expr::Lambda(l) => {
                self.check_bare_star(&l.args, off, true)?;
                self.arguments_defaults(&l.args)?;
                self.enter(BlockType::Function, "lambda", node_key(e), off);
                self.params(&l.args)?;
                self.expr(&l.body)?;
                self.exit();
            }
            Expr::IfExp(i) => {
                self.expr(&i.test)?;
                self.expr(&i.body)?;
                self.expr(&i.orelse)?;
            }
            Expr::Dict(d) => {
                for (k, v) in d.keys.iter().zip(&d.values) {
                    if let Some(k) = k {
                        self.expr(k)?;
                    }
                    self.expr(v)?;
                }
            }
            Expr::Set(s) => self.exprs(&s.elts)?,
            Expr::ListComp(c) => self.comprehension(
                e,
                "listcomp",
                Comprehension::List,
                &c.generators,
                &c.elt,
                None,
            )?,
            Expr::SetComp(c) => self.comprehension(
                e,
                "setcomp",
                Comprehension::Set,
                &c.generators,
                &c.elt,
                None,
            )?,
            Expr::DictComp(c) => self.comprehension(
                e,
                "dictcomp",
                Comprehension::Dict,
                &c.generators,
                &c.key,
                Some(&c.value),
            )?,
            Expr::GeneratorExp(c) => self.comprehension(
                e,
                "genexpr",
                Comprehension::Generator,
                &c.generators,
                &c.elt,
                None,
            )?,
            Expr::Await(a) => {
                self.expr(&a.value)?;
                self.cur().coroutine = true;
            }
            Expr::Yield(y) => {
                if let Some(v) = &y.value {
                    self.expr(v)?;
                }
                self.mark_yield(off)?;
            }
            Expr::YieldFrom(y) => {
                self.expr(&y.value)?;
                self.mark_yield(off)?;
            }
            Expr::Compare(c) => {
                self.expr(&c.left)?;
                self.exprs(&c.comparators)?;
            }
            Expr::Call(c) => {
                // A bare generator argument must be the only argument, with
                // no trailing comma.
                let trailing_comma = |a: &Expr| {
                    let end: u32 = a.range().end().into();
                    let call_end: u32 = c.range.end().into();
                    self.source
                        .get(end as usize..call_end as usize)
                        .is_some_and(|t| t.contains(','))
                };
                for a in &c.args {
                    if matches!(a, Expr::GeneratorExp(_))
                        && !self.parenthesized(a)
                        && (c.args.len() + c.keywords.len() > 1 || trailing_comma(a))
                    {
                        return Err(self.err(
                            a.range().start().into(),
                            "Generator expression must be parenthesized".into(),
                        ));
                    }
                }
                self.expr(&c.func)?;
                self.exprs(&c.args)?;
                for k in &c.keywords {
                    self.expr(&k.value)?;
                }
            }
            Expr::FormattedValue(f) => {
                self.expr(&f.value)?;
                if let Some(s) = &f.format_spec {
                    self.expr(s)?;
                }
            }
            Expr::JoinedStr(j) => self.exprs(&j.values)?,
            Expr::Constant(_) => {}
            Expr::Attribute(a) => self.expr(&a.value)?,
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
            }
            Expr::Starred(s) => self.expr(&s.value)?,
            Expr::Name(n) => {
                let load = matches!(n.ctx, ast::ExprContext::Load);
                let mut flag = if load { USE } else { DEF_LOCAL };
                if self.comp_iter_target {
                    flag |= DEF_COMP_ITER;
                }
                self.add_def(n.id.as_str(), flag, off)?;
                if load && self.cur().typ == BlockType::Function && n.id.as_str() == "super" {
                    self.add_def("__class__", USE, off)?;
                }
            }
            Expr::List(l) => self.exprs(&l.elts)?,
            Expr::Tuple(t) => self.exprs(&t.elts)?,
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(part)?;
                }
            }
        }
        Ok(())
    }

    /// `symtable_extend_namedexpr_scope`: `(x := v)` inside a comprehension
    /// binds `x` in the nearest enclosing function (or the module).
    fn extend_namedexpr_scope(&mut self, name: &str, off: u32) -> Result<()> {
        let mangled = mangle(self.private.as_deref(), name);
        for &id in self.stack.clone().iter().rev() {
            let ste = &self.entries[id];
            if ste.comprehension != Comprehension::None {
                if ste.flags(&mangled) & DEF_COMP_ITER != 0 {
                    return Err(self.err(
                        off,
                        format!("assignment expression cannot rebind comprehension iteration variable '{name}'"),
                    ));
                }
                continue;
            }
            let pos = (self.lines)(off);
            match ste.typ {
                BlockType::Function => {
                    let flag = if ste.flags(&mangled) & DEF_GLOBAL != 0 {
                        DEF_GLOBAL
                    } else {
                        DEF_NONLOCAL
                    };
                    self.add_def(name, flag, off)?;
                    self.cur().directives.entry(mangled.clone()).or_insert(pos);
                    let e = &mut self.entries[id];
                    let f = e.flags(&mangled) | DEF_LOCAL;
                    e.set_flags(&mangled, f);
                    return Ok(());
                }
                BlockType::Module => {
                    self.add_def(name, DEF_GLOBAL, off)?;
                    self.cur().directives.entry(mangled.clone()).or_insert(pos);
                    let e = &mut self.entries[id];
                    let f = e.flags(&mangled) | DEF_GLOBAL;
                    e.set_flags(&mangled, f);
                    return Ok(());
                }
                BlockType::Class => {
                    return Err(self.err(
                        off,
                        "assignment expression within a comprehension cannot be used in a class body".into(),
                    ));
                }
                BlockType::Annotation => {
                    return Err(self.err(
                        off,
                        "named expression cannot be used within an annotation".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// `def f(*, **k)`: a bare `*` must be followed by keyword-only
    /// parameters. The syntax tree does not keep the bare `*`, so look at
    /// the parameter list in the source.
    fn check_bare_star(&self, args: &ast::Arguments, off: u32, lambda: bool) -> Result<()> {
        if args.vararg.is_some() || !args.kwonlyargs.is_empty() {
            return Ok(());
        }
        let Some(text) = self.source.get(off as usize..) else {
            return Ok(());
        };
        let b = text.as_bytes();
        // Start just inside the parameter list.
        let mut i = if lambda {
            6
        } else {
            match text.find('(') {
                Some(p) => p + 1,
                None => return Ok(()),
            }
        };
        let mut depth = 0i32;
        let mut prev = if lambda { b',' } else { b'(' };
        while i < b.len() {
            let c = b[i];
            match c {
                b'\'' | b'"' => {
                    let q = c;
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                b':' if depth == 0 && lambda => return Ok(()),
                b'*' if depth == 0
                    && (prev == b'(' || prev == b',')
                    && b.get(i + 1) != Some(&b'*') =>
                {
                    let mut j = i + 1;
                    while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\n') {
                        j += 1;
                    }
                    if matches!(b.get(j), Some(b',') | Some(b')') | Some(b':')) {
                        let mut at = i;
                        if lambda {
                            // CPython reports the token after `*,`.
                            let mut k = j;
                            if b.get(k) == Some(&b',') {
                                k += 1;
                                while k < b.len() && (b[k] == b' ' || b[k] == b'\t') {
                                    k += 1;
                                }
                            }
                            at = k;
                        }
                        return Err(
                            self.err(off + at as u32, "named arguments must follow bare *".into())
                        );
                    }
                }
                _ => {}
            }
            if !c.is_ascii_whitespace() {
                prev = c;
            }
            i += 1;
        }
        Ok(())
    }

    /// Offset of the first `[` at or after `off` (type parameter lists).
    fn bracket_after(&self, off: u32) -> u32 {
        self.source
            .get(off as usize..)
            .and_then(|t| t.find('['))
            .map_or(off, |i| off + i as u32)
    }

    /// Does the source text of `e` carry its own parentheses?
    fn parenthesized(&self, e: &Expr) -> bool {
        let r = e.range();
        let text = self
            .source
            .get(usize::from(r.start())..usize::from(r.end()))
            .unwrap_or("");
        text.starts_with('(') && text.ends_with(')')
    }

    /// Reject what cannot be assigned to (or deleted); CPython's parser
    /// reports these with `_PyPegen_get_invalid_target`.
    fn check_target(&self, e: &Expr, kind: TargetKind) -> Result<()> {
        if let Some(bad) = invalid_target(e, kind) {
            let what = expr_name(bad);
            let verb = if kind == TargetKind::Del {
                "delete"
            } else {
                "assign to"
            };
            return Err(self.err(bad.range().start().into(), format!("cannot {verb} {what}")));
        }
        Ok(())
    }

    fn check_assign_target(&self, e: &Expr, last: bool) -> Result<()> {
        let Some(bad) = invalid_target(e, TargetKind::Star) else {
            return Ok(());
        };
        let keyword_const = matches!(
            bad,
            Expr::Constant(c) if matches!(c.value, ast::Constant::None | ast::Constant::Bool(_))
        );
        let bitwise_or_level = !matches!(
            bad,
            Expr::Compare(_)
                | Expr::BoolOp(_)
                | Expr::IfExp(_)
                | Expr::Lambda(_)
                | Expr::NamedExpr(_)
        ) && !matches!(bad, Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not);
        if last && std::ptr::eq(bad, e) && !keyword_const && bitwise_or_level {
            let what = expr_name(bad);
            return Err(self.err(
                bad.range().start().into(),
                format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?"),
            ));
        }
        self.check_target(e, TargetKind::Star)
    }

    fn mark_yield(&mut self, off: u32) -> Result<()> {
        let cur = self.cur();
        let what = match cur.comprehension {
            Comprehension::List => Some("list comprehension"),
            Comprehension::Set => Some("set comprehension"),
            Comprehension::Dict => Some("dict comprehension"),
            Comprehension::Generator => Some("generator expression"),
            Comprehension::None => None,
        };
        if let Some(w) = what {
            return Err(self.err(off, format!("'yield' inside {w}")));
        }
        if cur.typ != BlockType::Function {
            return Err(self.err(off, "'yield' outside function".into()));
        }
        cur.generator = true;
        Ok(())
    }
}

/// Build and analyse the symbol table of a module body.
pub fn build(
    body: &[Stmt],
    key: usize,
    source: &str,
    future_annotations: bool,
    lines: &dyn Fn(u32) -> (u32, u32),
) -> Result<SymbolTable> {
    let mut b = Builder {
        source,
        future_annotations,
        comp_iter_target: false,
        comp_iter_expr: 0,
        entries: Vec::new(),
        by_node: HashMap::new(),
        stack: Vec::new(),
        private: None,
        lines,
    };
    b.enter(BlockType::Module, "top", key, 0);
    b.stmts(body)?;
    b.exit();
    let mut st = SymbolTable {
        entries: b.entries,
        by_node: b.by_node,
    };
    let mut free = HashSet::new();
    let mut global = HashSet::new();
    analyze_block(&mut st.entries, 0, None, &mut free, &mut global)?;
    Ok(st)
}

type Names = HashSet<String>;

#[allow(clippy::too_many_arguments)]
fn analyze_name(
    ste: &mut Entry,
    scopes: &mut HashMap<String, Scope>,
    name: &str,
    flags: u32,
    bound: Option<&Names>,
    local: &mut Names,
    free: &mut Names,
    global: &mut Names,
) -> std::result::Result<(), String> {
    if flags & DEF_GLOBAL != 0 {
        if flags & DEF_NONLOCAL != 0 {
            return Err(format!("name '{name}' is nonlocal and global"));
        }
        scopes.insert(name.into(), Scope::GlobalExplicit);
        global.insert(name.into());
        return Ok(());
    }
    if flags & DEF_NONLOCAL != 0 {
        if !bound.is_some_and(|b| b.contains(name)) {
            return Err(format!("no binding for nonlocal '{name}' found"));
        }
        scopes.insert(name.into(), Scope::Free);
        free.insert(name.into());
        return Ok(());
    }
    if flags & DEF_BOUND != 0 {
        scopes.insert(name.into(), Scope::Local);
        local.insert(name.into());
        global.remove(name);
        return Ok(());
    }
    if bound.is_some_and(|b| b.contains(name)) {
        scopes.insert(name.into(), Scope::Free);
        free.insert(name.into());
        return Ok(());
    }
    let _ = ste;
    scopes.insert(name.into(), Scope::GlobalImplicit);
    Ok(())
}

fn analyze_block(
    entries: &mut Vec<Entry>,
    id: usize,
    bound: Option<&Names>,
    free: &mut Names,
    global: &mut Names,
) -> Result<()> {
    let mut local = Names::new();
    let mut scopes: HashMap<String, Scope> = HashMap::new();
    let mut newglobal = Names::new();
    let mut newfree = Names::new();
    let mut newbound = Names::new();
    let typ = entries[id].typ;

    if typ == BlockType::Class {
        newglobal.extend(global.iter().cloned());
        if let Some(b) = bound {
            newbound.extend(b.iter().cloned());
        }
    }
    let symbols = entries[id].symbols.clone();
    for (name, flags) in &symbols {
        analyze_name(
            &mut entries[id],
            &mut scopes,
            name,
            *flags,
            bound,
            &mut local,
            free,
            global,
        )
        .map_err(|msg| {
            let (line, col) = entries[id]
                .directives
                .get(name)
                .copied()
                .unwrap_or((entries[id].lineno, 1));
            CompileErr::Syntax { line, col, msg }
        })?;
    }
    if typ != BlockType::Class {
        if typ == BlockType::Function {
            newbound.extend(local.iter().cloned());
        }
        if let Some(b) = bound {
            newbound.extend(b.iter().cloned());
        }
        newglobal.extend(global.iter().cloned());
    } else {
        newbound.insert("__class__".into());
    }

    let mut allfree = Names::new();
    for child in entries[id].children.clone() {
        let mut temp_bound = newbound.clone();
        let mut temp_free = newfree.clone();
        let mut temp_global = newglobal.clone();
        analyze_block(
            entries,
            child,
            Some(&temp_bound),
            &mut temp_free,
            &mut temp_global,
        )?;
        temp_bound.clear();
        allfree.extend(temp_free);
    }
    newfree.extend(allfree);

    if typ == BlockType::Function {
        // analyze_cells
        for (name, scope) in scopes.iter_mut() {
            if *scope == Scope::Local && newfree.contains(name) {
                *scope = Scope::Cell;
                newfree.remove(name);
            }
        }
    } else if typ == BlockType::Class && newfree.remove("__class__") {
        entries[id].needs_class_closure = true;
    }

    // update_symbols
    let ste = &mut entries[id];
    for (name, flags) in ste.symbols.iter_mut() {
        let scope = scopes.get(name.as_str()).copied().unwrap_or(Scope::Unknown);
        *flags |= (scope as u32) << SCOPE_OFFSET;
    }
    let mut newfree_sorted: Vec<&String> = newfree.iter().collect();
    newfree_sorted.sort();
    for name in newfree_sorted {
        if ste.contains(name) {
            let f = ste.flags(name);
            if typ == BlockType::Class && f & (DEF_BOUND | DEF_GLOBAL) != 0 {
                ste.set_flags(name, f | DEF_FREE_CLASS);
            }
            continue;
        }
        if let Some(b) = bound {
            if !b.contains(name) {
                continue;
            }
        }
        ste.set_flags(name, (Scope::Free as u32) << SCOPE_OFFSET);
    }
    free.extend(newfree);
    Ok(())
}

/// What a target is used for (`TARGETS_TYPE` in CPython's parser).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TargetKind {
    Star,
    Del,
    For,
}

/// `_PyPegen_get_invalid_target`: the first part of `e` that cannot be a target.
fn invalid_target(e: &Expr, kind: TargetKind) -> Option<&Expr> {
    match e {
        Expr::List(l) => l.elts.iter().find_map(|x| invalid_target(x, kind)),
        Expr::Tuple(t) => t.elts.iter().find_map(|x| invalid_target(x, kind)),
        Expr::Starred(s) => {
            if kind == TargetKind::Del {
                Some(e)
            } else {
                invalid_target(&s.value, kind)
            }
        }
        Expr::Compare(c) => {
            if kind == TargetKind::For {
                if c.ops[0] == ast::CmpOp::In {
                    invalid_target(&c.left, kind)
                } else {
                    None
                }
            } else {
                Some(e)
            }
        }
        Expr::Name(_) | Expr::Subscript(_) | Expr::Attribute(_) => None,
        _ => Some(e),
    }
}

/// `_PyPegen_get_expr_name`.
pub fn expr_name(e: &Expr) -> &'static str {
    match e {
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Starred(_) => "starred",
        Expr::Name(_) => "name",
        Expr::List(_) => "list",
        Expr::Tuple(_) => "tuple",
        Expr::Lambda(_) => "lambda",
        Expr::Call(_) => "function call",
        Expr::BoolOp(_) | Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::GeneratorExp(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::JoinedStr(_) | Expr::FormattedValue(_) => "f-string expression",
        Expr::Constant(c) => match c.value {
            ast::Constant::None => "None",
            ast::Constant::Bool(false) => "False",
            ast::Constant::Bool(true) => "True",
            ast::Constant::Ellipsis => "ellipsis",
            _ => "literal",
        },
        Expr::Compare(_) => "comparison",
        Expr::IfExp(_) => "conditional expression",
        Expr::NamedExpr(_) => "named expression",
        Expr::Slice(_) => "slice",
    }
}
