//! The runtime archives compiled programs are linked with, built by
//! `build.rs` together with pyaot and embedded in its executable.

/// `libpyaot_rt.a` for `x86_64-unknown-linux-gnu`.
pub const X86_64_LINUX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libpyaot_rt.a"));

/// `libpyaot_rt.a` for `thumbv7m-none-eabi` (Cortex-M3 firmware). build.rs
/// does not build it yet: runtime-lib has no Cortex-M platform layer.
pub fn cortex_m3() -> Result<&'static [u8], crate::driver::Failure> {
    Err(crate::driver::Failure::Error(
        "this pyaot embeds no Cortex-M runtime (runtime-lib has no thumbv7m-none-eabi \
         platform layer yet)"
            .to_string(),
    ))
}
