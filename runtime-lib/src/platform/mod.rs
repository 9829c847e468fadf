//! The per-target layer: raw system calls, process entry, stack access.
//! Everything else in the runtime is portable and goes through this module.
//!
//! A target module provides:
//! - `write_all(fd, bytes)` (1 = stdout, 2 = stderr) and `exit(status) -> !`;
//! - `map_pages(size) -> Option<*mut u8>` (zeroed, page-aligned memory),
//!   `unmap_pages(p, size)`, `remap_pages(p, old, new) -> Option<*mut u8>`
//!   (contents kept) and `PAGE_SIZE`; the heap asks for arenas of
//!   `BLOCK_SIZE`-aligned blocks and for big objects through these, so a
//!   target without virtual memory can serve them from a region such as
//!   `[_heap_start, _heap_end)` (abi.rs `cortex_m`);
//! - `with_registers_spilled(f)`: calls `f(sp)` with every callee-saved
//!   register stored below `sp` (the GC scans `[sp, stack top)`);
//! - the entry point, which records the stack top and the arguments and
//!   calls [`crate::start::pyrt_main`]-like start-up (`heap::set_stack_top`,
//!   `start::init`, `start::run_module`, `io::exit`);
//! - `memcpy`, `memmove`, `memset`, `memcmp`, `bcmp` (no libc), written so
//!   that the compiler cannot turn them into calls to themselves.

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod linux_x86_64;
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
pub use linux_x86_64::*;
#[cfg(any(test, target_os = "none"))]
mod region;

#[cfg(all(target_arch = "arm", target_os = "none"))]
mod cortex_m3;
#[cfg(all(target_arch = "arm", target_os = "none"))]
pub use cortex_m3::*;
