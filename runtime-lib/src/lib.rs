//! pyaot's runtime: the object model, the garbage collector, the builtins,
//! exceptions and tracebacks, and the process entry point, for programs
//! compiled by pyaot. `#![no_std]`: only `core`, `alloc` and raw system
//! calls (see `platform`).
#![cfg_attr(not(test), no_std)]
#![allow(clippy::missing_safety_doc)]

extern crate alloc;

pub mod abi;
pub mod num;

mod platform;

pub mod builtins;
pub mod bytes;
pub mod call;
pub mod exc;
pub mod float;
pub mod format;
pub mod heap;
pub mod int;
pub mod io;
pub mod list;
pub mod marshal;
pub mod module;
pub mod object;
pub mod ops;
pub mod range;
pub mod start;
pub mod str;
pub mod traceback;
pub mod tuple;
pub mod unicode;

#[cfg(test)]
mod object_tests;
#[cfg(test)]
mod smoke_test;

/// Unit tests that use the GC heap run one at a time: a collection in one
/// test would free another test's objects (tests have no stack scan).
#[cfg(test)]
static HEAP_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

use core::cell::UnsafeCell;

/// A runtime global. The runtime is single-threaded: compiled code and the
/// runtime never run concurrently, so handing out `&mut` is sound as long
/// as no borrow is held across a call that re-enters the same global.
pub struct Global<T>(UnsafeCell<T>);

unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(v: T) -> Self {
        Global(UnsafeCell::new(v))
    }

    #[allow(clippy::mut_from_ref)]
    #[inline(always)]
    pub fn get(&self) -> &mut T {
        unsafe { &mut *self.0.get() }
    }
}

#[cfg(not(test))]
#[global_allocator]
static ALLOCATOR: heap::RawAlloc = heap::RawAlloc;

/// Referenced by the precompiled `compiler_builtins` unwind tables; never
/// called, since the runtime is built with `panic = "abort"`.
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}

/// Referenced by landing pads in the precompiled `core`/`alloc`; never
/// reached, since nothing unwinds (`panic = "abort"`).
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn _Unwind_Resume() -> ! {
    io::fatal("Fatal Python error: unwinding is not supported")
}

#[cfg(not(test))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    // No `core::fmt` here: formatting the message would link the
    // formatting machinery into every program.
    let mut s = alloc::string::String::from("Fatal Python error: runtime panic");
    if let Some(loc) = info.location() {
        s.push_str(" at ");
        s.push_str(loc.file());
        s.push(':');
        ops::push_usize(&mut s, loc.line() as usize);
    }
    io::fatal(&s)
}
