//! What each 3.11 opcode means, once for every target: its stack effect
//! (exactly CPython's), whether it can raise, and, for the opcodes whose
//! whole job is "pop operands, call a runtime helper, test for error, push
//! the result", which helper and how its arguments are laid out. Both
//! codegens read these tables; a new opcode of that kind is one row here
//! plus one runtime function.

use crate::opcode::Opcode::{self, *};
use crate::rt::{self, Helper};

/// `stack_effect` of CPython 3.11 (Python/compile.c) for real opcodes:
/// the net change of the value stack depth when the instruction falls
/// through (`jump == false`) or jumps (`jump == true`). For instructions
/// that do not jump the two are equal; `None` is CPython's
/// `PY_INVALID_STACK_EFFECT` (opcodes it has no effect for).
///
/// The exception-handling pseudo-instructions (SETUP_FINALLY and friends)
/// are not real opcodes and so not covered: their "jump" effect describes
/// the handler's entry depth, which a compiler tracks itself.
pub fn stack_effect(op: Opcode, arg: u32, jump: bool) -> Option<i32> {
    // CPython computes with a C int oparg.
    let oparg = arg as i32;
    let flag = |bit: i32| (oparg & bit != 0) as i32;
    Some(match op {
        NOP | EXTENDED_ARG | RESUME | CACHE => 0,

        // Stack manipulation
        POP_TOP => -1,
        SWAP => 0,

        // Unary operators
        UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_NOT | UNARY_INVERT => 0,

        SET_ADD | LIST_APPEND => -1,
        MAP_ADD => -2,

        BINARY_SUBSCR => -1,
        STORE_SUBSCR => -3,
        DELETE_SUBSCR => -2,

        GET_ITER => 0,

        PRINT_EXPR => -1,
        LOAD_BUILD_CLASS => 1,

        RETURN_VALUE => -1,
        IMPORT_STAR => -1,
        SETUP_ANNOTATIONS => 0,
        ASYNC_GEN_WRAP | YIELD_VALUE => 0,
        POP_EXCEPT => -1,

        STORE_NAME => -1,
        DELETE_NAME => 0,
        UNPACK_SEQUENCE => oparg.wrapping_sub(1),
        UNPACK_EX => (oparg & 0xff) + (oparg >> 8),
        // -1 at the end of the iterator, +1 while iterating.
        FOR_ITER => {
            if jump {
                -1
            } else {
                1
            }
        }
        SEND => {
            if jump {
                -1
            } else {
                0
            }
        }
        STORE_ATTR => -2,
        DELETE_ATTR => -1,
        STORE_GLOBAL => -1,
        DELETE_GLOBAL => 0,
        LOAD_CONST => 1,
        LOAD_NAME => 1,
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => 1i32.wrapping_sub(oparg),
        BUILD_MAP => 1i32.wrapping_sub(oparg.wrapping_mul(2)),
        BUILD_CONST_KEY_MAP => oparg.wrapping_neg(),
        LOAD_ATTR => 0,
        COMPARE_OP | IS_OP | CONTAINS_OP => -1,
        CHECK_EXC_MATCH => 0,
        CHECK_EG_MATCH => 0,
        IMPORT_NAME => -1,
        IMPORT_FROM => 1,

        // Jumps
        JUMP_FORWARD | JUMP_BACKWARD | JUMP_BACKWARD_NO_INTERRUPT => 0,
        JUMP_IF_TRUE_OR_POP | JUMP_IF_FALSE_OR_POP => {
            if jump {
                0
            } else {
                -1
            }
        }
        POP_JUMP_BACKWARD_IF_NONE
        | POP_JUMP_FORWARD_IF_NONE
        | POP_JUMP_BACKWARD_IF_NOT_NONE
        | POP_JUMP_FORWARD_IF_NOT_NONE
        | POP_JUMP_FORWARD_IF_FALSE
        | POP_JUMP_BACKWARD_IF_FALSE
        | POP_JUMP_FORWARD_IF_TRUE
        | POP_JUMP_BACKWARD_IF_TRUE => -1,

        LOAD_GLOBAL => (oparg & 1) + 1,

        PREP_RERAISE_STAR => -1,
        RERAISE => -1,
        PUSH_EXC_INFO => 1,
        WITH_EXCEPT_START => 1,

        LOAD_FAST => 1,
        STORE_FAST => -1,
        DELETE_FAST => 0,

        RETURN_GENERATOR => 0,

        RAISE_VARARGS => oparg.wrapping_neg(),

        // Functions and calls
        PRECALL => oparg.wrapping_neg(),
        KW_NAMES => 0,
        CALL => -1,
        CALL_FUNCTION_EX => -2 - flag(0x01),
        MAKE_FUNCTION => -flag(0x01) - flag(0x02) - flag(0x04) - flag(0x08),
        BUILD_SLICE => {
            if oparg == 3 {
                -2
            } else {
                -1
            }
        }

        // Closures
        MAKE_CELL | COPY_FREE_VARS => 0,
        LOAD_CLOSURE => 1,
        LOAD_DEREF | LOAD_CLASSDEREF => 1,
        STORE_DEREF => -1,
        DELETE_DEREF => 0,

        // Iterators and generators
        GET_AWAITABLE => 0,
        BEFORE_ASYNC_WITH | BEFORE_WITH => 1,
        GET_AITER => 0,
        GET_ANEXT => 1,
        GET_YIELD_FROM_ITER => 0,
        END_ASYNC_FOR => -2,
        // With a format spec on the stack (FVS_HAVE_SPEC) 2 -> 1, else 1 -> 1.
        FORMAT_VALUE => -flag(0x04),
        LOAD_METHOD => 1,
        LOAD_ASSERTION_ERROR => 1,
        LIST_TO_TUPLE => 0,
        LIST_EXTEND | SET_UPDATE | DICT_MERGE | DICT_UPDATE => -1,
        MATCH_CLASS => -2,
        GET_LEN | MATCH_MAPPING | MATCH_SEQUENCE | MATCH_KEYS => 1,
        COPY | PUSH_NULL => 1,
        BINARY_OP => -1,
    })
}

/// Whether executing `op` can raise an exception (MemoryError aside, and
/// not counting asynchronous interrupts at backward jumps). `LOAD_FAST`
/// raises `UnboundLocalError` when the local is unbound; conditional jumps
/// on arbitrary values call `__bool__`.
pub fn can_raise(op: Opcode) -> bool {
    !matches!(
        op,
        NOP | CACHE
            | EXTENDED_ARG
            | RESUME
            | POP_TOP
            | PUSH_NULL
            | COPY
            | SWAP
            | LOAD_CONST
            | STORE_FAST
            | LOAD_CLOSURE
            | MAKE_CELL
            | COPY_FREE_VARS
            | KW_NAMES
            | PRECALL
            | IS_OP
            | JUMP_FORWARD
            | JUMP_BACKWARD
            | JUMP_BACKWARD_NO_INTERRUPT
            | POP_JUMP_FORWARD_IF_NONE
            | POP_JUMP_BACKWARD_IF_NONE
            | POP_JUMP_FORWARD_IF_NOT_NONE
            | POP_JUMP_BACKWARD_IF_NOT_NONE
            | RETURN_VALUE
            | RETURN_GENERATOR
            | YIELD_VALUE
            | POP_EXCEPT
            | PUSH_EXC_INFO
            | LOAD_ASSERTION_ERROR
            | LIST_TO_TUPLE
    )
}

/// An opcode that is "pop `pops` operands, call `helper`, test for error,
/// push `pushes` results".
///
/// Calling convention: the helper receives the popped operands in the
/// order given by `args`, then the instruction's oparg if `oparg` is set.
/// A helper whose row pushes 1 returns a value (NULL = raised); one that
/// pushes 0 returns a status (-1 = raised).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpMeta {
    pub helper: Helper,
    pub pops: u8,
    pub pushes: u8,
    pub raises: bool,
    /// The helper's operand arguments, each given as the position of a
    /// popped operand counted from the deepest (0) to the top of the stack
    /// (`pops - 1`). Most rows are `[0, 1, ..]`: deepest first.
    pub args: &'static [u8],
    /// The oparg (as a machine word) follows the operands.
    pub oparg: bool,
}

const fn row(helper: Helper, pops: u8, pushes: u8, args: &'static [u8], oparg: bool) -> OpMeta {
    OpMeta {
        helper,
        pops,
        pushes,
        raises: true,
        args,
        oparg,
    }
}

/// The generic "call a helper" row for `op`, if it has one.
pub fn helper(op: Opcode) -> Option<OpMeta> {
    Some(match op {
        // (a) -> value
        UNARY_NEGATIVE => row(rt::UNARY_NEGATIVE, 1, 1, &[0], false),
        UNARY_POSITIVE => row(rt::UNARY_POSITIVE, 1, 1, &[0], false),
        UNARY_INVERT => row(rt::UNARY_INVERT, 1, 1, &[0], false),
        UNARY_NOT => row(rt::UNARY_NOT, 1, 1, &[0], false),
        // (obj) -> value: iter(obj)
        GET_ITER => row(rt::GET_ITER, 1, 1, &[0], false),
        // Stack: container, index. (container, index) -> value
        BINARY_SUBSCR => row(rt::BINARY_SUBSCR, 2, 1, &[0, 1], false),
        // Stack: value, container, index. (container, index, value) -> status
        STORE_SUBSCR => row(rt::STORE_SUBSCR, 3, 0, &[1, 2, 0], false),
        // Stack: container, index. (container, index) -> status
        DELETE_SUBSCR => row(rt::DELETE_SUBSCR, 2, 0, &[0, 1], false),
        // Stack: a, b. (a, b, nb_op) -> value
        BINARY_OP => row(rt::BINARY_OP, 2, 1, &[0, 1], true),
        // Stack: a, b. (a, b, cmp) -> value
        COMPARE_OP => row(rt::COMPARE_OP, 2, 1, &[0, 1], true),
        // Stack: item, container. (item, container, invert) -> value
        CONTAINS_OP => row(rt::CONTAINS_OP, 2, 1, &[0, 1], true),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcode::HAVE_ARGUMENT;
    use std::process::Command;

    const ARGS: [u32; 12] = [0, 1, 2, 3, 4, 5, 7, 8, 15, 255, 0x103, 0x1ff];

    /// Every real opcode, for a spread of opargs, both paths, against
    /// CPython's own `dis.stack_effect`.
    #[test]
    fn stack_effect_is_cpythons() {
        let script = r#"
import dis, sys
args = [int(a) for a in sys.argv[1:]]
for op in range(256):
    if dis.opname[op].startswith('<'):
        continue
    for arg in (args if op >= dis.HAVE_ARGUMENT else [None]):
        for jump in (False, True):
            try:
                e = dis.stack_effect(op, arg, jump=jump)
            except ValueError:
                e = None
            print(op, 0 if arg is None else arg, int(jump), e)
"#;
        let args: Vec<String> = ARGS.iter().map(|a| a.to_string()).collect();
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(&args)
            .output()
            .expect("python3 must be installed");
        assert!(out.status.success());
        let mut checked = 0;
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let f: Vec<&str> = line.split(' ').collect();
            let code: u8 = f[0].parse().unwrap();
            let arg: u32 = f[1].parse().unwrap();
            let jump = f[2] == "1";
            let want = f[3].parse::<i32>().ok();
            // Specialized opcodes exist in CPython's table but never on disk.
            let Some(op) = Opcode::from_u8(code) else {
                continue;
            };
            assert_eq!(
                stack_effect(op, arg, jump),
                want,
                "stack_effect({}, {arg}, jump={jump})",
                op.name()
            );
            checked += 1;
        }
        let expected: usize = Opcode::ALL
            .iter()
            .map(|&op| {
                if (op as u8) >= HAVE_ARGUMENT {
                    2 * ARGS.len()
                } else {
                    2
                }
            })
            .sum();
        assert_eq!(checked, expected);
    }

    #[test]
    fn helper_rows_agree_with_stack_effect() {
        for &op in Opcode::ALL {
            if let Some(m) = helper(op) {
                assert_eq!(
                    stack_effect(op, 0, false),
                    Some(m.pushes as i32 - m.pops as i32),
                    "{}",
                    op.name()
                );
                assert!(m.raises == can_raise(op), "{}", op.name());
                let mut seen = m.args.to_vec();
                seen.sort_unstable();
                assert_eq!(seen, (0..m.pops).collect::<Vec<_>>(), "{}", op.name());
                assert!(rt::ALL_HELPERS.contains(&m.helper));
            }
        }
    }
}
