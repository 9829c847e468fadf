//! The vector table, a reset handler that copies `.data` and zeroes `.bss`
//! (with the symbols the built-in linker provides), a bump allocator over
//! `[_heap_start, _heap_end)`, and semihosting output: prints a line made
//! with `core::fmt` to stdout and one to stderr, then exits with
//! `program_main(7)`.
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::fmt::Write;

extern "C" {
    static mut _sdata: u32;
    static mut _edata: u32;
    static _sidata: u32;
    static mut _sbss: u32;
    static mut _ebss: u32;
    static _heap_start: u8;
    static _heap_end: u8;
    static _stack_top: u8;
    fn program_main(x: u32) -> u32;
}

#[repr(C)]
pub struct Vectors {
    initial_sp: *const u8,
    handlers: [unsafe extern "C" fn() -> !; 3],
}

unsafe impl Sync for Vectors {}

#[link_section = ".vectors"]
#[no_mangle]
#[used]
pub static __vectors: Vectors = Vectors {
    initial_sp: unsafe { core::ptr::addr_of!(_stack_top) },
    handlers: [reset, fault, fault],
};

unsafe fn semihost(op: u32, block: *const u32) -> u32 {
    let result: u32;
    core::arch::asm!("bkpt 0xab", inout("r0") op => result, in("r1") block, options(nostack));
    result
}

/// `SYS_OPEN(":tt", mode)`: 4 is stdout, 8 stderr.
fn open_tt(mode: u32) -> u32 {
    let block = [b":tt\0".as_ptr() as u32, mode, 3];
    unsafe { semihost(0x01, block.as_ptr()) }
}

fn write(handle: u32, text: &str) {
    let block = [handle, text.as_ptr() as u32, text.len() as u32];
    unsafe {
        semihost(0x05, block.as_ptr());
    }
}

fn exit(status: u32) -> ! {
    let block = [0x20026, status];
    unsafe {
        semihost(0x20, block.as_ptr());
    }
    loop {}
}

struct Bump;

static mut NEXT: usize = 0;

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let start = core::ptr::addr_of!(_heap_start) as usize;
        let end = core::ptr::addr_of!(_heap_end) as usize;
        if NEXT == 0 {
            NEXT = start;
        }
        let at = (NEXT + layout.align() - 1) & !(layout.align() - 1);
        if at + layout.size() > end {
            return core::ptr::null_mut();
        }
        NEXT = at + layout.size();
        at as *mut u8
    }

    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump;

static mut COUNTER: u32 = 7;
static mut ZEROED: [u64; 4] = [0; 4];
static NAMES: [&str; 3] = ["zero", "one", "two"];

#[no_mangle]
pub unsafe extern "C" fn reset() -> ! {
    let mut to = core::ptr::addr_of_mut!(_sdata);
    let mut from = core::ptr::addr_of!(_sidata);
    while to < core::ptr::addr_of_mut!(_edata) {
        to.write_volatile(from.read());
        to = to.add(1);
        from = from.add(1);
    }
    let mut to = core::ptr::addr_of_mut!(_sbss);
    while to < core::ptr::addr_of_mut!(_ebss) {
        to.write_volatile(0);
        to = to.add(1);
    }
    let counter = core::ptr::addr_of!(COUNTER).read_volatile();
    let zeroed = core::ptr::addr_of!(ZEROED).read_volatile();
    let big = 1_000_000_000_000u64 + u64::from(counter);
    let names: Vec<&str> = NAMES.iter().rev().copied().collect();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "counter={counter} zeroed={} big={big} div={} f={:.3} {names:?}",
        zeroed[2],
        big / 7,
        1.5f64 * f64::from(counter)
    );
    write(open_tt(4), &text);
    write(open_tt(8), "to stderr\n");
    exit(program_main(counter))
}

unsafe extern "C" fn fault() -> ! {
    exit(99)
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    exit(101)
}
