//! The runtime archives compiled programs are linked with, built by
//! `build.rs` together with pyaot and embedded in its executable.

/// `libpyaot_rt.a` for `x86_64-unknown-linux-gnu`.
pub const X86_64_LINUX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libpyaot_rt.a"));
