//! The per-target layer: raw system calls, process entry, stack access.
//! Everything else in the runtime is portable and goes through this module.

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod linux_x86_64;
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
pub use linux_x86_64::*;
