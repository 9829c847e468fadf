//! Thumb-2 code generation for ARM Cortex-M.
