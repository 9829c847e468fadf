//! The frontend compiler: Python source to CPython 3.11 code objects, a port
//! of Python/compile.c (code generation to a graph of basic blocks), its CFG
//! optimiser and assembler, Python/symtable.c and Python/ast_opt.c.
//!
//! Module map: [`symtable`] resolves scopes (and reports the scope-related
//! and target-related syntax errors); `stmt`, `expr` and `pattern` emit
//! instructions for statements, expressions and `match` patterns into a
//! [`cfg::Cfg`] of basic blocks; [`fold`] is the constant folder of ast_opt;
//! `unparse` writes annotations back to text for
//! `from __future__ import annotations`; [`mod@cfg`] holds the peephole and
//! control-flow passes and [`assemble`] turns a finished unit into a
//! [`CodeObject`] (stack depth, jump offsets, location and exception
//! tables). `lines` maps byte offsets to CPython's (line, column) pairs and
//! parser errors to CPython's messages.
//!
//! Every code object is checked against CPython itself: see
//! `frontend/tests/compare_cpython.rs`.

pub mod assemble;
pub mod cfg;
pub mod consts;
mod expr;
pub mod fold;
mod lines;
pub mod ops;
mod pattern;
mod stmt;
pub mod symtable;
mod unparse;

use std::collections::HashMap;

use rustpython_parser::ast::{self, Ranged, Stmt};
use rustpython_parser::{parse, Mode};

use crate::code::{flags, CodeObject, Constant};
use crate::error::CompileError;
use assemble::UnitInfo;
use cfg::{is_jump_op, BlockId, Cfg, Instr, Loc};
use consts::ConstTable;
use lines::LineIndex;
use ops::*;
use symtable::{BlockType, Scope, SymbolTable};

/// A compile error before the file name and source line are attached.
#[derive(Clone, Debug)]
pub enum CompileErr {
    Syntax { line: u32, col: u32, msg: String },
    Unsupported { line: u32, col: u32, what: String },
}

type Result<T> = std::result::Result<T, CompileErr>;

/// Compile a module's source to its code object, exactly as CPython 3.11's
/// `compile(source, filename, "exec")` would.
pub fn compile_module(
    source: &str,
    filename: &str,
) -> std::result::Result<CodeObject, CompileError> {
    // The parser and the code generator recurse over the syntax tree; give
    // deeply nested programs room instead of overflowing the caller's stack.
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, || compile_in_this_thread(source, filename));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(CompileError::Unsupported {
                    filename: filename.to_string(),
                    line: 1,
                    col: 1,
                    what: "this program (internal compiler error)".to_string(),
                })
            }),
            Err(_) => compile_in_this_thread(source, filename),
        }
    })
}

fn compile_in_this_thread(
    source: &str,
    filename: &str,
) -> std::result::Result<CodeObject, CompileError> {
    // CPython's tokenizer reads `\r\n` and `\r` as `\n` (also inside
    // string literals); columns are unaffected.
    // A UTF-8 byte order mark is not part of the program (columns start
    // after it).
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let normalized;
    let source = if source.contains('\r') {
        normalized = source.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        source
    };
    let lines = LineIndex::new(source);
    let finish = |e: CompileErr| -> CompileError {
        match e {
            CompileErr::Syntax { line, col, msg } => CompileError::Syntax {
                filename: filename.to_string(),
                line,
                col,
                text: lines.line_text(source, line).to_string(),
                msg,
            },
            CompileErr::Unsupported { line, col, what } => CompileError::Unsupported {
                filename: filename.to_string(),
                line,
                col,
                what,
            },
        }
    };
    let module = match parse(source, Mode::Module, filename) {
        Ok(m) => m,
        Err(e) => return Err(finish(lines::parse_error(source, &lines, &e))),
    };
    let ast::Mod::Module(module) = module else {
        return Err(finish(CompileErr::Unsupported {
            line: 1,
            col: 1,
            what: "non-module source".into(),
        }));
    };
    if let Some(off) = lines::lone_surrogate_escape(source) {
        let (line, col) = lines.line_col_1(off);
        return Err(finish(CompileErr::Unsupported {
            line,
            col,
            what: "string literals with lone surrogate code points".into(),
        }));
    }
    let key = symtable::node_key(&module);
    let lookup = |off: u32| lines.line_col_1(off);
    let st = symtable::build(
        &module.body,
        key,
        source,
        stmt::future_features(&module.body)
            .is_ok_and(|(f, _)| f & stmt::CO_FUTURE_ANNOTATIONS != 0),
        &lookup,
    )
    .map_err(finish)?;
    let mut c = Compiler {
        filename: filename.to_string(),
        source,
        lines: &lines,
        st,
        units: Vec::new(),
        future_annotations: false,
        future_flags: 0,
        future_end: 0,
        loc_override: HashMap::new(),
    };
    c.compile_module(&module.body, key).map_err(finish)
}

/// What kind of code a unit compiles (`COMPILER_SCOPE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScopeType {
    Module,
    Class,
    Function,
    AsyncFunction,
    Lambda,
    Comprehension,
}

/// `fblockinfo`: what a `break`, `continue` or `return` must unwind.
#[derive(Clone)]
pub(crate) enum FBlock<'a> {
    WhileLoop { start: BlockId, exit: BlockId },
    ForLoop { start: BlockId, exit: BlockId },
    TryExcept,
    FinallyTry { body: &'a [Stmt] },
    FinallyEnd,
    With { stmt: Loc, is_async: bool },
    HandlerCleanup { name: Option<String> },
    PopValue,
    ExceptionHandler,
    ExceptionGroupHandler,
    AsyncComprehensionGenerator,
}

/// An insertion-ordered set of names with their indexes.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameSet {
    pub items: Vec<String>,
    index: HashMap<String, u32>,
}

impl NameSet {
    pub fn add(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.items.len() as u32;
        self.items.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }
}

/// `compiler_unit`: the state of one code object being compiled.
pub(crate) struct Unit<'a> {
    pub ste: usize,
    pub name: String,
    pub qualname: String,
    pub scope_type: ScopeType,
    pub consts: ConstTable,
    pub names: NameSet,
    pub varnames: NameSet,
    pub cellvars: NameSet,
    pub freevars: NameSet,
    pub private: Option<String>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub cfg: Cfg,
    pub cur: BlockId,
    pub fblocks: Vec<FBlock<'a>>,
    pub firstlineno: i32,
    pub loc: Loc,
}

pub(crate) struct Compiler<'a> {
    pub filename: String,
    pub source: &'a str,
    pub lines: &'a LineIndex,
    pub st: SymbolTable,
    pub units: Vec<Unit<'a>>,
    pub future_annotations: bool,
    /// `CO_FUTURE_*` flags from the module's `from __future__` imports.
    pub future_flags: u32,
    /// End offset of the leading `from __future__` imports.
    pub future_end: u32,
    /// Locations that differ from the parser's ranges, by node address (a
    /// generator expression that is a call's only argument owns the call's
    /// parentheses in CPython's AST).
    pub loc_override: HashMap<usize, Loc>,
}

/// `STACK_USE_GUIDELINE`.
pub(crate) const STACK_USE_GUIDELINE: usize = 30;

impl<'a> Compiler<'a> {
    pub fn u(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().unwrap()
    }

    pub fn ur(&self) -> &Unit<'a> {
        self.units.last().unwrap()
    }

    pub fn ste(&self) -> &symtable::Entry {
        &self.st.entries[self.ur().ste]
    }

    // ----- locations -----

    pub fn range_loc(&self, r: rustpython_parser::text_size::TextRange) -> Loc {
        let (l1, c1) = self.lines.line_col(r.start().into());
        let (l2, c2) = self.lines.line_col(r.end().into());
        Loc {
            line: l1 as i32,
            end_line: l2 as i32,
            col: c1 as i32,
            end_col: c2 as i32,
        }
    }

    pub fn stmt_loc(&self, s: &Stmt) -> Loc {
        let r = s.range();
        let mut loc = self.range_loc(r);
        // CPython's location of a decorated definition starts at `def`/`class`.
        let decorated = match s {
            Stmt::FunctionDef(f) => !f.decorator_list.is_empty(),
            Stmt::AsyncFunctionDef(f) => !f.decorator_list.is_empty(),
            Stmt::ClassDef(c) => !c.decorator_list.is_empty(),
            _ => false,
        };
        if decorated {
            let last_deco_end: u32 = match s {
                Stmt::FunctionDef(f) => f.decorator_list.last().unwrap().range().end().into(),
                Stmt::AsyncFunctionDef(f) => f.decorator_list.last().unwrap().range().end().into(),
                Stmt::ClassDef(c) => c.decorator_list.last().unwrap().range().end().into(),
                _ => 0,
            };
            if let Some(off) = self.lines.find_keyword_after(self.source, last_deco_end, s) {
                let (l, c) = self.lines.line_col(off);
                loc.line = l as i32;
                loc.col = c as i32;
            }
        }
        loc
    }

    pub fn expr_loc(&self, e: &ast::Expr) -> Loc {
        if let Some(l) = self.loc_override.get(&symtable::node_key(e)) {
            return *l;
        }
        if let ast::Expr::NamedExpr(n) = e {
            return self.range_loc(self.named_expr_range(n));
        }
        self.range_loc(e.range())
    }

    /// `x := (v)`: CPython's node ends after the value's parentheses; the
    /// parser here stops at the value itself.
    fn named_expr_range(&self, n: &ast::ExprNamedExpr) -> rustpython_parser::text_size::TextRange {
        let start: u32 = n.target.range().start().into();
        let value_start: u32 = n.value.range().start().into();
        let mut end: u32 = n.value.range().end().into();
        let target_end: u32 = n.target.range().end().into();
        let between = self
            .source
            .get(target_end as usize..value_start as usize)
            .unwrap_or("");
        let opened = between
            .split(":=")
            .nth(1)
            .map_or(0, |t| t.chars().filter(|&c| c == '(').count());
        let bytes = self.source.as_bytes();
        for _ in 0..opened {
            let mut i = end as usize;
            while i < bytes.len() && (bytes[i] as char).is_whitespace() {
                i += 1;
            }
            if bytes.get(i) != Some(&b')') {
                break;
            }
            end = i as u32 + 1;
        }
        rustpython_parser::text_size::TextRange::new(start.into(), end.into())
    }

    pub fn set_loc(&mut self, loc: Loc) {
        self.u().loc = loc;
    }

    /// `UNSET_LOC`: following instructions are artificial.
    pub fn unset_loc(&mut self) {
        self.u().loc = Loc::NONE;
    }

    pub fn unsupported<T>(&self, loc: Loc, what: &str) -> Result<T> {
        Err(CompileErr::Unsupported {
            line: loc.line.max(1) as u32,
            col: (loc.col.max(0) + 1) as u32,
            what: what.to_string(),
        })
    }

    pub fn syntax_error<T>(&self, loc: Loc, msg: &str) -> Result<T> {
        Err(CompileErr::Syntax {
            line: loc.line.max(1) as u32,
            col: (loc.col.max(0) + 1) as u32,
            msg: msg.to_string(),
        })
    }

    /// `compiler_error` at the current location.
    pub fn error<T>(&self, msg: &str) -> Result<T> {
        let loc = self.ur().loc;
        self.syntax_error(loc, msg)
    }

    // ----- blocks and instructions -----

    pub fn new_block(&mut self) -> BlockId {
        self.u().cfg.new_block()
    }

    /// `compiler_use_next_block`.
    pub fn use_next_block(&mut self, b: BlockId) {
        let u = self.u();
        let cur = u.cur;
        u.cfg.blocks[cur].next = Some(b);
        u.cur = b;
    }

    /// `NEXT_BLOCK`.
    pub fn next_block(&mut self) {
        let b = self.new_block();
        self.use_next_block(b);
    }

    fn add_instr(&mut self, ins: Instr) {
        let u = self.units.last_mut().unwrap();
        // A jump ends its block; code after a scope exit stays (dead) in it.
        let ended = u.cfg.blocks[u.cur]
            .instrs
            .last()
            .is_some_and(|i| is_jump_op(i.op));
        if ended {
            let b = u.cfg.new_block();
            let cur = u.cur;
            u.cfg.blocks[cur].next = Some(b);
            u.cur = b;
        }
        let cur = u.cur;
        if ins.op == RETURN_VALUE {
            u.cfg.blocks[cur].has_return = true;
        }
        u.cfg.blocks[cur].instrs.push(ins);
    }

    pub fn addop(&mut self, op: Op) {
        self.addop_i(op, 0);
    }

    pub fn addop_i(&mut self, op: Op, arg: u32) {
        let loc = self.ur().loc;
        self.add_instr(Instr::new(op, arg, loc));
    }

    pub fn addop_noline(&mut self, op: Op) {
        self.add_instr(Instr::new(op, 0, Loc::NONE));
    }

    pub fn addop_j(&mut self, op: Op, target: BlockId) {
        let loc = self.ur().loc;
        let mut ins = Instr::new(op, 0, loc);
        ins.target = Some(target);
        self.add_instr(ins);
    }

    pub fn addop_j_noline(&mut self, op: Op, target: BlockId) {
        let mut ins = Instr::new(op, 0, Loc::NONE);
        ins.target = Some(target);
        self.add_instr(ins);
    }

    pub fn add_const(&mut self, c: Constant) -> u32 {
        self.u().consts.add(c)
    }

    pub fn load_const(&mut self, c: Constant) {
        let i = self.add_const(c);
        self.addop_i(LOAD_CONST, i);
    }

    pub fn addop_name(&mut self, op: Op, name: &str) {
        let mangled = symtable::mangle(self.ur().private.as_deref(), name);
        let i = self.u().names.add(&mangled);
        self.addop_i(op, i);
    }

    /// ADDOP_N with `names` but without mangling (IMPORT_NAME, IMPORT_FROM).
    pub fn addop_name_raw(&mut self, op: Op, name: &str) {
        let i = self.u().names.add(name);
        self.addop_i(op, i);
    }

    // ----- scopes -----

    /// `compiler_enter_scope`.
    pub fn enter_scope(
        &mut self,
        name: &str,
        scope_type: ScopeType,
        key: usize,
        lineno: i32,
    ) -> Result<()> {
        let ste = match self.st.by_node.get(&key) {
            Some(&s) => s,
            None => {
                let loc = self.units.last().map_or(Loc::NONE, |u| u.loc);
                return self.unsupported(loc, "a construct without a scope");
            }
        };
        let entry = &self.st.entries[ste];
        let mut varnames = NameSet::default();
        for v in &entry.varnames {
            varnames.add(v);
        }
        let mut cellvars = NameSet::default();
        for c in entry.names_by_scope(Scope::Cell, 0) {
            cellvars.add(&c);
        }
        if entry.needs_class_closure {
            cellvars.add("__class__");
        }
        let mut freevars = NameSet::default();
        for f in entry.names_by_scope(Scope::Free, symtable::DEF_FREE_CLASS) {
            freevars.add(&f);
        }
        let private = self.units.last().and_then(|u| u.private.clone());
        let mut cfg = Cfg::default();
        let entry_block = cfg.new_block();
        let unit = Unit {
            ste,
            name: name.to_string(),
            qualname: name.to_string(),
            scope_type,
            consts: ConstTable::default(),
            names: NameSet::default(),
            varnames,
            cellvars,
            freevars,
            private,
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            cfg,
            cur: entry_block,
            fblocks: Vec::new(),
            firstlineno: lineno,
            loc: Loc {
                line: lineno,
                end_line: lineno,
                col: 0,
                end_col: 0,
            },
        };
        self.units.push(unit);
        if scope_type == ScopeType::Module {
            self.u().loc.line = 0;
        } else {
            self.set_qualname();
        }
        self.addop_i(RESUME, 0);
        if scope_type == ScopeType::Module {
            self.u().loc.line = -1;
        }
        Ok(())
    }

    /// `compiler_set_qualname`.
    fn set_qualname(&mut self) {
        let n = self.units.len();
        if n <= 2 {
            return;
        }
        let parent = &self.units[n - 2];
        let u = &self.units[n - 1];
        let mut force_global = false;
        if matches!(
            u.scope_type,
            ScopeType::Function | ScopeType::AsyncFunction | ScopeType::Class
        ) {
            let mangled = symtable::mangle(parent.private.as_deref(), &u.name);
            if self.st.entries[parent.ste].scope(&mangled) == Scope::GlobalExplicit {
                force_global = true;
            }
        }
        if !force_global {
            let base = if matches!(
                parent.scope_type,
                ScopeType::Function | ScopeType::AsyncFunction | ScopeType::Lambda
            ) {
                format!("{}.<locals>", parent.qualname)
            } else {
                parent.qualname.clone()
            };
            let q = format!("{base}.{}", u.name);
            self.units[n - 1].qualname = q;
        }
    }

    /// `compute_code_flags`.
    fn code_flags(&self) -> u32 {
        let ste = self.ste();
        let mut f = 0;
        if ste.typ == BlockType::Function {
            f |= flags::CO_NEWLOCALS | flags::CO_OPTIMIZED;
            if ste.nested {
                f |= flags::CO_NESTED;
            }
            if ste.generator && !ste.coroutine {
                f |= flags::CO_GENERATOR;
            }
            if !ste.generator && ste.coroutine {
                f |= flags::CO_COROUTINE;
            }
            if ste.generator && ste.coroutine {
                f |= flags::CO_ASYNC_GENERATOR;
            }
            if ste.varargs {
                f |= flags::CO_VARARGS;
            }
            if ste.varkeywords {
                f |= flags::CO_VARKEYWORDS;
            }
        }
        f | self.future_flags
    }

    /// `assemble` + `compiler_exit_scope`: finish the current unit.
    pub fn exit_scope(&mut self, add_none: bool) -> CodeObject {
        let cur = self.ur().cur;
        if !self.ur().cfg.blocks[cur].has_return {
            self.unset_loc();
            if add_none {
                self.load_const(Constant::None);
            }
            self.addop(RETURN_VALUE);
        }
        let flags = self.code_flags();
        let u = self.units.pop().unwrap();
        let info = UnitInfo {
            name: u.name,
            qualname: u.qualname,
            filename: self.filename.clone(),
            firstlineno: u.firstlineno,
            argcount: u.argcount,
            posonlyargcount: u.posonlyargcount,
            kwonlyargcount: u.kwonlyargcount,
            flags,
            names: u.names.items,
            varnames: u.varnames.items,
            cellvars: u.cellvars.items,
            freevars: u.freevars.items,
        };
        assemble::assemble(u.cfg, u.consts, info)
    }

    fn compile_module(&mut self, body: &'a [Stmt], key: usize) -> Result<CodeObject> {
        let (flags, end) = stmt::future_features(body).map_err(|(off, msg)| {
            let (line, col) = self.lines.line_col_1(off);
            CompileErr::Syntax { line, col, msg }
        })?;
        self.future_flags = flags;
        self.future_end = end;
        self.future_annotations = flags & stmt::CO_FUTURE_ANNOTATIONS != 0;
        self.enter_scope("<module>", ScopeType::Module, key, 1)?;
        self.body(body)?;
        Ok(self.exit_scope(true))
    }

    /// `compiler_body`: module and class bodies (docstring, annotations).
    pub fn body(&mut self, body: &'a [Stmt]) -> Result<()> {
        if self.ur().scope_type == ScopeType::Module && !body.is_empty() {
            let loc = self.stmt_loc(&body[0]);
            self.set_loc(loc);
        }
        if stmt::find_ann(body) {
            self.addop(SETUP_ANNOTATIONS);
        }
        if body.is_empty() {
            return Ok(());
        }
        let mut i = 0;
        if let Some(doc) = stmt::docstring(body) {
            i = 1;
            let loc = self.stmt_loc(&body[0]);
            self.set_loc(loc);
            if let Stmt::Expr(e) = &body[0] {
                let l = self.expr_loc(&e.value);
                self.set_loc(l);
            }
            self.load_const(Constant::Str(doc));
            self.unset_loc();
            self.nameop("__doc__", expr::Ctx::Store)?;
        }
        for s in &body[i..] {
            self.visit_stmt(s)?;
        }
        Ok(())
    }
}
