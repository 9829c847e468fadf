//! The runtime archives compiled programs are linked with, built by
//! `build.rs` together with pyaot and embedded in its executable.

/// `libpyaot_rt.a` for `x86_64-unknown-linux-gnu`.
pub const X86_64_LINUX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libpyaot_rt.a"));

/// `libpyaot_rt.a` for `thumbv7m-none-eabi` (Cortex-M3 firmware). build.rs
/// leaves it empty when that Rust target was not installed.
const THUMBV7M: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libpyaot_rt_thumbv7m.a"));

/// The Cortex-M3 runtime archive, or why this pyaot has none.
pub fn cortex_m3() -> Result<&'static [u8], crate::driver::Failure> {
    if THUMBV7M.is_empty() {
        return Err(crate::driver::Failure::Error(
            "this pyaot embeds no Cortex-M runtime: the thumbv7m-none-eabi Rust target was not \
             installed when pyaot was built (rustup target add thumbv7m-none-eabi, then rebuild)"
                .to_string(),
        ));
    }
    Ok(THUMBV7M)
}

#[cfg(test)]
mod tests {
    use frontend::rt::cortex_m;

    /// The symbols the built-in linker defines are the ones the runtime's
    /// reset handler and heap use (abi.rs `cortex_m`).
    #[test]
    fn the_linker_provides_the_symbols_the_cortex_m_runtime_names() {
        let abi = [
            cortex_m::SIDATA,
            cortex_m::SDATA,
            cortex_m::EDATA,
            cortex_m::SBSS,
            cortex_m::EBSS,
            cortex_m::HEAP_START,
            cortex_m::HEAP_END,
            cortex_m::STACK_BOTTOM,
            cortex_m::STACK_TOP,
        ];
        assert_eq!(abi, link::builtin::firmware::PROVIDED);
        assert_eq!(cortex_m::VECTORS, link::builtin::firmware::VECTORS);
    }
}
