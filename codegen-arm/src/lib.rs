//! Thumb-2 code generation for ARM Cortex-M.
//!
//! - [`thumb`]: the Thumb-2 (ARMv7-M) assembler the templates are written with.

pub mod thumb;
