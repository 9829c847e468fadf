//! x86-64 code generation.
