//! Structural pattern matching (PEP 634): `compiler_match` and the
//! `compiler_pattern_*` / `pattern_helper_*` routines of CPython 3.11.
//!
//! Every pattern routine consumes the subject on top of the stack and jumps
//! to a `fail_pop` block on failure. `on_top` counts the items above the
//! subject that must be popped on failure; captured names are stored
//! *underneath* them and bound only once the whole pattern matched.

use rustpython_parser::ast::{self, Expr, Pattern, Ranged};

use super::cfg::BlockId;
use super::expr::Ctx;
use super::fold;
use super::ops::*;
use super::{Compiler, Result};
use crate::code::Constant;

/// `pattern_context`.
#[derive(Clone, Debug, Default)]
pub(crate) struct PatternContext {
    stores: Vec<String>,
    allow_irrefutable: bool,
    fail_pop: Vec<BlockId>,
    on_top: usize,
}

fn is_wildcard(p: &Pattern) -> bool {
    matches!(p, Pattern::MatchAs(a) if a.pattern.is_none() && a.name.is_none())
}

fn is_star_wildcard(p: &Pattern) -> bool {
    matches!(p, Pattern::MatchStar(s) if s.name.is_none())
}

fn pattern_range(p: &Pattern) -> rustpython_parser::text_size::TextRange {
    p.range()
}

impl<'a> Compiler<'a> {
    /// `compiler_match` / `compiler_match_inner`.
    pub fn match_stmt(&mut self, s: &'a ast::StmtMatch) -> Result<()> {
        self.visit_expr(&s.subject)?;
        let end = self.new_block();
        let cases = s.cases.len();
        let last = &s.cases[cases - 1];
        let has_default = is_wildcard(&last.pattern) && cases > 1;
        let mut pc = PatternContext::default();
        for (i, m) in s.cases[..cases - has_default as usize].iter().enumerate() {
            let ploc = self.range_loc(pattern_range(&m.pattern));
            self.set_loc(ploc);
            let not_last = i != cases - has_default as usize - 1;
            if not_last {
                self.addop_i(COPY, 1);
            }
            pc.stores = Vec::new();
            pc.allow_irrefutable = m.guard.is_some() || i == cases - 1;
            pc.fail_pop = Vec::new();
            pc.on_top = 0;
            self.pattern(&m.pattern, &mut pc)?;
            for name in pc.stores.clone() {
                self.nameop(&name, Ctx::Store)?;
            }
            if let Some(g) = &m.guard {
                self.ensure_fail_pop(&mut pc, 0);
                let target = pc.fail_pop[0];
                self.jump_if(g, target, false)?;
            }
            if not_last {
                self.addop(POP_TOP);
            }
            self.visit_stmts(&m.body)?;
            self.addop_j_noline(JUMP, end);
            self.set_loc(ploc);
            self.emit_and_reset_fail_pop(&mut pc);
        }
        if has_default {
            let ploc = self.range_loc(pattern_range(&last.pattern));
            self.set_loc(ploc);
            if cases == 1 {
                self.addop(POP_TOP);
            } else {
                self.addop(NOP);
            }
            if let Some(g) = &last.guard {
                self.jump_if(g, end, false)?;
            }
            self.visit_stmts(&last.body)?;
            // What follows a match with a default case has no location
            // until the next statement sets one (as observed in 3.11).
            self.unset_loc();
        }
        self.use_next_block(end);
        Ok(())
    }

    fn ensure_fail_pop(&mut self, pc: &mut PatternContext, n: usize) {
        while pc.fail_pop.len() < n + 1 {
            let b = self.new_block();
            pc.fail_pop.push(b);
        }
    }

    /// `jump_to_fail_pop`.
    fn jump_to_fail_pop(&mut self, pc: &mut PatternContext, op: Op) {
        let pops = pc.on_top + pc.stores.len();
        self.ensure_fail_pop(pc, pops);
        self.addop_j(op, pc.fail_pop[pops]);
        self.next_block();
    }

    /// `emit_and_reset_fail_pop`.
    fn emit_and_reset_fail_pop(&mut self, pc: &mut PatternContext) {
        if pc.fail_pop.is_empty() {
            self.next_block();
            return;
        }
        for i in (1..pc.fail_pop.len()).rev() {
            self.use_next_block(pc.fail_pop[i]);
            self.addop(POP_TOP);
        }
        self.use_next_block(pc.fail_pop[0]);
        pc.fail_pop.clear();
    }

    /// `pattern_helper_rotate`.
    fn pattern_rotate(&mut self, mut count: usize) {
        while count > 1 {
            self.addop_i(SWAP, count as u32);
            count -= 1;
        }
    }

    /// `pattern_helper_store_name`.
    fn pattern_store_name(
        &mut self,
        name: Option<&ast::Identifier>,
        pc: &mut PatternContext,
    ) -> Result<()> {
        let Some(name) = name else {
            self.addop(POP_TOP);
            return Ok(());
        };
        if name.as_str() == "__debug__" {
            return self.error("cannot assign to __debug__");
        }
        if pc.stores.iter().any(|s| s == name.as_str()) {
            return self.error(&format!("multiple assignments to name '{name}' in pattern"));
        }
        let rotations = pc.on_top + pc.stores.len() + 1;
        self.pattern_rotate(rotations);
        pc.stores.push(name.to_string());
        Ok(())
    }

    /// `compiler_pattern_subpattern`.
    fn subpattern(&mut self, p: &'a Pattern, pc: &mut PatternContext) -> Result<()> {
        let allow = pc.allow_irrefutable;
        pc.allow_irrefutable = true;
        self.pattern(p, pc)?;
        pc.allow_irrefutable = allow;
        Ok(())
    }

    /// `compiler_pattern`.
    fn pattern(&mut self, p: &'a Pattern, pc: &mut PatternContext) -> Result<()> {
        let loc = self.range_loc(pattern_range(p));
        self.set_loc(loc);
        match p {
            Pattern::MatchValue(v) => {
                let value = v.value.as_ref();
                let folded = fold::fold(value);
                if folded.is_none() && !matches!(value, Expr::Attribute(_)) {
                    return self.error("patterns may only match literals and attribute lookups");
                }
                self.visit_expr(value)?;
                self.addop_i(COMPARE_OP, 2);
                self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
                Ok(())
            }
            Pattern::MatchSingleton(s) => {
                self.load_const(fold::from_ast(&s.value));
                self.addop_i(IS_OP, 0);
                self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
                Ok(())
            }
            Pattern::MatchSequence(s) => self.pattern_sequence(&s.patterns, pc),
            Pattern::MatchMapping(m) => self.pattern_mapping(m, pc),
            Pattern::MatchClass(c) => self.pattern_class(c, pc),
            Pattern::MatchStar(s) => self.pattern_store_name(s.name.as_ref(), pc),
            Pattern::MatchAs(a) => {
                let Some(inner) = &a.pattern else {
                    if !pc.allow_irrefutable {
                        return match &a.name {
                            Some(n) => self.error(&format!(
                                "name capture '{n}' makes remaining patterns unreachable"
                            )),
                            None => self.error("wildcard makes remaining patterns unreachable"),
                        };
                    }
                    return self.pattern_store_name(a.name.as_ref(), pc);
                };
                pc.on_top += 1;
                self.addop_i(COPY, 1);
                self.pattern(inner, pc)?;
                pc.on_top -= 1;
                self.pattern_store_name(a.name.as_ref(), pc)
            }
            Pattern::MatchOr(o) => self.pattern_or(&o.patterns, pc),
        }
    }

    fn pattern_sequence(&mut self, patterns: &'a [Pattern], pc: &mut PatternContext) -> Result<()> {
        let size = patterns.len();
        let mut star: Option<usize> = None;
        let mut only_wildcard = true;
        let mut star_wildcard = false;
        for (i, p) in patterns.iter().enumerate() {
            if let Pattern::MatchStar(_) = p {
                if star.is_some() {
                    return self.error("multiple starred names in sequence pattern");
                }
                star_wildcard = is_star_wildcard(p);
                only_wildcard &= star_wildcard;
                star = Some(i);
                continue;
            }
            only_wildcard &= is_wildcard(p);
        }
        pc.on_top += 1;
        self.addop(MATCH_SEQUENCE);
        self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
        match star {
            None => {
                self.addop(GET_LEN);
                self.load_const(Constant::Int(size.into()));
                self.addop_i(COMPARE_OP, 2);
                self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
            }
            Some(_) if size > 1 => {
                self.addop(GET_LEN);
                self.load_const(Constant::Int((size - 1).into()));
                self.addop_i(COMPARE_OP, 5);
                self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
            }
            Some(_) => {}
        }
        pc.on_top -= 1;
        if only_wildcard {
            self.addop(POP_TOP);
        } else if star_wildcard {
            self.sequence_subscr(patterns, star.unwrap_or(usize::MAX), pc)?;
        } else {
            self.sequence_unpack(patterns, pc)?;
        }
        Ok(())
    }

    /// `pattern_helper_sequence_unpack`.
    fn sequence_unpack(&mut self, patterns: &'a [Pattern], pc: &mut PatternContext) -> Result<()> {
        let n = patterns.len();
        let mut seen_star = false;
        for (i, p) in patterns.iter().enumerate() {
            if let Pattern::MatchStar(_) = p {
                if seen_star {
                    return self.error("multiple starred expressions in sequence pattern");
                }
                if i >= (1 << 8) || n - i > (i32::MAX >> 8) as usize {
                    return self.error("too many expressions in star-unpacking sequence pattern");
                }
                self.addop_i(UNPACK_EX, (i + ((n - i - 1) << 8)) as u32);
                seen_star = true;
            }
        }
        if !seen_star {
            self.addop_i(UNPACK_SEQUENCE, n as u32);
        }
        pc.on_top += n;
        for p in patterns {
            pc.on_top -= 1;
            self.subpattern(p, pc)?;
        }
        Ok(())
    }

    /// `pattern_helper_sequence_subscr`.
    fn sequence_subscr(
        &mut self,
        patterns: &'a [Pattern],
        star: usize,
        pc: &mut PatternContext,
    ) -> Result<()> {
        pc.on_top += 1;
        let size = patterns.len();
        for (i, p) in patterns.iter().enumerate() {
            if is_wildcard(p) || i == star {
                continue;
            }
            self.addop_i(COPY, 1);
            if i < star {
                self.load_const(Constant::Int(i.into()));
            } else {
                self.addop(GET_LEN);
                self.load_const(Constant::Int((size - i).into()));
                self.addop_i(BINARY_OP, 10);
            }
            self.addop(BINARY_SUBSCR);
            self.subpattern(p, pc)?;
        }
        pc.on_top -= 1;
        self.addop(POP_TOP);
        Ok(())
    }

    /// `compiler_pattern_mapping`.
    fn pattern_mapping(
        &mut self,
        m: &'a ast::PatternMatchMapping,
        pc: &mut PatternContext,
    ) -> Result<()> {
        let size = m.keys.len();
        if size != m.patterns.len() {
            return self.error("keys / patterns length mismatch in mapping pattern");
        }
        pc.on_top += 1;
        self.addop(MATCH_MAPPING);
        self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
        if size == 0 && m.rest.is_none() {
            pc.on_top -= 1;
            self.addop(POP_TOP);
            return Ok(());
        }
        if size > 0 {
            self.addop(GET_LEN);
            self.load_const(Constant::Int(size.into()));
            self.addop_i(COMPARE_OP, 5);
            self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
        }
        let mut seen: Vec<String> = Vec::new();
        for key in &m.keys {
            if let Some(c) = fold::fold(key) {
                let k = super::consts::const_key(&c).unwrap_or_default();
                if seen.contains(&k) {
                    return self.error("mapping pattern checks duplicate key");
                }
                seen.push(k);
            } else if !matches!(key, Expr::Attribute(_)) {
                return self
                    .error("mapping pattern keys may only match literals and attribute lookups");
            }
            self.visit_expr(key)?;
        }
        self.addop_i(BUILD_TUPLE, size as u32);
        self.addop(MATCH_KEYS);
        pc.on_top += 2;
        self.addop_i(COPY, 1);
        self.load_const(Constant::None);
        self.addop_i(IS_OP, 1);
        self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
        self.addop_i(UNPACK_SEQUENCE, size as u32);
        pc.on_top += size;
        pc.on_top -= 1;
        for p in &m.patterns {
            pc.on_top -= 1;
            self.subpattern(p, pc)?;
        }
        pc.on_top -= 2;
        if let Some(rest) = &m.rest {
            self.addop_i(BUILD_MAP, 0);
            self.addop_i(SWAP, 3);
            self.addop_i(DICT_UPDATE, 2);
            self.addop_i(UNPACK_SEQUENCE, size as u32);
            let mut left = size;
            while left > 0 {
                self.addop_i(COPY, (1 + left) as u32);
                left -= 1;
                self.addop_i(SWAP, 2);
                self.addop(DELETE_SUBSCR);
            }
            self.pattern_store_name(Some(rest), pc)?;
        } else {
            self.addop(POP_TOP);
            self.addop(POP_TOP);
        }
        Ok(())
    }

    /// `compiler_pattern_class`.
    fn pattern_class(
        &mut self,
        c: &'a ast::PatternMatchClass,
        pc: &mut PatternContext,
    ) -> Result<()> {
        let nargs = c.patterns.len();
        let nattrs = c.kwd_attrs.len();
        if nattrs != c.kwd_patterns.len() {
            return self.error("kwd_attrs / kwd_patterns length mismatch in class pattern");
        }
        if nattrs > 0 {
            for (i, attr) in c.kwd_attrs.iter().enumerate() {
                let l = self.range_loc(pattern_range(&c.kwd_patterns[i]));
                self.set_loc(l);
                if attr.as_str() == "__debug__" {
                    return self.error("cannot assign to __debug__");
                }
                for (j, other) in c.kwd_attrs.iter().enumerate().skip(i + 1) {
                    if other.as_str() == attr.as_str() {
                        let l = self.range_loc(pattern_range(&c.kwd_patterns[j]));
                        self.set_loc(l);
                        return self
                            .error(&format!("attribute name repeated in class pattern: {attr}"));
                    }
                }
            }
            let l = self.range_loc(c.range);
            self.set_loc(l);
        }
        self.visit_expr(&c.cls)?;
        let names: Vec<Constant> = c
            .kwd_attrs
            .iter()
            .map(|a| Constant::Str(a.to_string()))
            .collect();
        self.load_const(Constant::Tuple(names));
        self.addop_i(MATCH_CLASS, nargs as u32);
        self.addop_i(COPY, 1);
        self.load_const(Constant::None);
        self.addop_i(IS_OP, 1);
        pc.on_top += 1;
        self.jump_to_fail_pop(pc, POP_JUMP_IF_FALSE);
        self.addop_i(UNPACK_SEQUENCE, (nargs + nattrs) as u32);
        pc.on_top += nargs + nattrs;
        pc.on_top -= 1;
        for p in c.patterns.iter().chain(&c.kwd_patterns) {
            pc.on_top -= 1;
            if is_wildcard(p) {
                self.addop(POP_TOP);
                continue;
            }
            self.subpattern(p, pc)?;
        }
        Ok(())
    }

    /// `compiler_pattern_or`.
    fn pattern_or(&mut self, alts: &'a [Pattern], pc: &mut PatternContext) -> Result<()> {
        let end = self.new_block();
        let size = alts.len();
        let old = pc.clone();
        let mut control: Option<Vec<String>> = None;
        for (i, alt) in alts.iter().enumerate() {
            let l = self.range_loc(pattern_range(alt));
            self.set_loc(l);
            pc.stores = Vec::new();
            pc.allow_irrefutable = i == size - 1 && old.allow_irrefutable;
            pc.fail_pop = Vec::new();
            pc.on_top = 0;
            self.addop_i(COPY, 1);
            self.pattern(alt, pc)?;
            let nstores = pc.stores.len();
            match &control {
                None => control = Some(pc.stores.clone()),
                Some(ctl) if ctl.len() != nstores => {
                    return self.error("alternative patterns bind different names");
                }
                Some(ctl) => {
                    let ctl = ctl.clone();
                    let mut icontrol = nstores;
                    while icontrol > 0 {
                        icontrol -= 1;
                        let name = &ctl[icontrol];
                        let Some(istores) = pc.stores.iter().position(|s| s == name) else {
                            return self.error("alternative patterns bind different names");
                        };
                        if icontrol != istores {
                            let rotations = istores + 1;
                            let rotated: Vec<String> = pc.stores.drain(..rotations).collect();
                            let at = icontrol - istores;
                            for (k, r) in rotated.into_iter().enumerate() {
                                pc.stores.insert(at + k, r);
                            }
                            for _ in 0..rotations {
                                self.pattern_rotate(icontrol + 1);
                            }
                        }
                    }
                }
            }
            self.addop_j(JUMP, end);
            self.emit_and_reset_fail_pop(pc);
        }
        let control = control.unwrap_or_default();
        *pc = old;
        self.addop(POP_TOP);
        self.jump_to_fail_pop(pc, JUMP);
        self.use_next_block(end);
        let nstores = control.len();
        let nrots = nstores + 1 + pc.on_top + pc.stores.len();
        for name in control {
            self.pattern_rotate(nrots);
            if pc.stores.contains(&name) {
                return self.error(&format!("multiple assignments to name '{name}' in pattern"));
            }
            pc.stores.push(name);
        }
        self.addop(POP_TOP);
        Ok(())
    }
}
