//! ARM Cortex-M3 (`thumbv7m-none-eabi`), bare metal: the vector table and
//! reset handler, fault handlers, I/O and the exit status through ARM
//! semihosting, the heap region the linker leaves between `.bss` and the
//! stack, and the register spill for the garbage collector's stack scan.
//!
//! The image layout and the symbols used here are described in abi.rs
//! (`cortex_m`); the built-in linker defines them. `memcpy` and the other C
//! memory primitives come from `compiler_builtins`, which provides them on
//! `none` targets.

use crate::abi::Program;
use crate::{heap, io, start, Global};
use core::arch::asm;
use core::ptr;

// ---- the symbols the linker defines ---------------------------------------------

extern "C" {
    static _sidata: u32;
    static mut _sdata: u32;
    static mut _edata: u32;
    static mut _sbss: u32;
    static mut _ebss: u32;
    static mut _heap_start: u8;
    static mut _heap_end: u8;
    static _stack_top: u32;
    static pyaot_program: Program;
}

// ---- semihosting -------------------------------------------------------------------

const SYS_OPEN: u32 = 0x01;
const SYS_WRITE: u32 = 0x05;
const SYS_GET_CMDLINE: u32 = 0x15;
const SYS_EXIT: u32 = 0x18;
const SYS_EXIT_EXTENDED: u32 = 0x20;
/// `ADP_Stopped_ApplicationExit`: a normal exit, with a status.
const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;
/// `SYS_OPEN` modes of the special file `:tt`: "w" is stdout, "a" stderr.
const OPEN_MODE_W: usize = 4;
const OPEN_MODE_A: usize = 8;

/// A semihosting request: operation `op`, parameter `arg` (usually the
/// address of a parameter block the host reads and may write).
#[inline(always)]
unsafe fn semihosting(op: u32, arg: usize) -> isize {
    let ret: isize;
    asm!("bkpt 0xab", inout("r0") op as isize => ret, in("r1") arg, options(nostack));
    ret
}

/// Semihosting handles for stdout and stderr, opened on first use
/// (-1: not opened yet or unavailable).
static HANDLES: Global<[isize; 2]> = Global::new([-1; 2]);

fn handle(fd: usize) -> isize {
    let i = if fd == 2 { 1 } else { 0 };
    let handles = HANDLES.get();
    if handles[i] < 0 {
        let name = b":tt\0";
        let mode = if i == 0 { OPEN_MODE_W } else { OPEN_MODE_A };
        let block = [name.as_ptr() as usize, mode, name.len() - 1];
        handles[i] = unsafe { semihosting(SYS_OPEN, block.as_ptr() as usize) };
    }
    handles[i]
}

/// Writes all of `buf` to stdout (`fd` 1) or stderr (`fd` 2); output the
/// host refuses is dropped, as there is nowhere left to report it.
pub fn write_all(fd: usize, mut buf: &[u8]) {
    let h = handle(fd);
    if h < 0 {
        return;
    }
    while !buf.is_empty() {
        let block = [h as usize, buf.as_ptr() as usize, buf.len()];
        // SYS_WRITE returns the number of bytes *not* written.
        let left = unsafe { semihosting(SYS_WRITE, block.as_ptr() as usize) } as usize;
        if left == 0 || left >= buf.len() {
            return;
        }
        buf = &buf[buf.len() - left..];
    }
}

/// Stops the program and tells the host the exit status.
pub fn exit(status: i32) -> ! {
    unsafe {
        let block = [ADP_STOPPED_APPLICATION_EXIT, status as usize];
        semihosting(SYS_EXIT_EXTENDED, block.as_ptr() as usize);
        // A host without SYS_EXIT_EXTENDED: plain SYS_EXIT (no status).
        semihosting(SYS_EXIT, ADP_STOPPED_APPLICATION_EXIT);
        loop {
            asm!("wfi", options(nomem, nostack));
        }
    }
}

// ---- the heap region ---------------------------------------------------------------
//
// No virtual memory: "pages" are runs of `[_heap_start, _heap_end)`, served
// by a [`Region`] allocator that merges what is given back.

use super::region::Region;
pub use super::region::PAGE_SIZE;

/// The heap region, filled on first use.
static REGION: Global<(Region, bool)> = Global::new((Region::empty(), false));

fn region() -> &'static mut Region {
    let (region, filled) = REGION.get();
    if !*filled {
        *filled = true;
        unsafe { region.add(&raw mut _heap_start as usize, &raw mut _heap_end as usize) };
    }
    region
}

/// `size` bytes (a multiple of [`PAGE_SIZE`]) of zeroed memory from the heap
/// region; `None` when no free run is large enough.
pub fn map_pages(size: usize) -> Option<*mut u8> {
    let p = region().take(size)?;
    unsafe { ptr::write_bytes(p, 0, size) };
    Some(p)
}

/// Like [`map_pages`], at a multiple of `align` (a power of two >=
/// [`PAGE_SIZE`]), without taking the alignment slack from the region.
pub fn map_aligned_pages(size: usize, align: usize) -> Option<*mut u8> {
    let p = region().take_aligned(size, align)?;
    unsafe { ptr::write_bytes(p, 0, size) };
    Some(p)
}

/// Gives back `[p, p + size)`, all or part of memory from [`map_pages`].
pub fn unmap_pages(p: *mut u8, size: usize) {
    region().give_back(p, size);
}

/// Resizes a run from [`map_pages`], keeping its contents: in place when
/// shrinking or when the memory after it is free, otherwise by moving it.
pub fn remap_pages(p: *mut u8, old_size: usize, new_size: usize) -> Option<*mut u8> {
    if new_size <= old_size {
        region().give_back(unsafe { p.add(new_size) }, old_size - new_size);
        return Some(p);
    }
    if region().grow_in_place(p, old_size, new_size) {
        unsafe { ptr::write_bytes(p.add(old_size), 0, new_size - old_size) };
        return Some(p);
    }
    let q = map_pages(new_size)?;
    unsafe { ptr::copy_nonoverlapping(p, q, old_size) };
    region().give_back(p, old_size);
    Some(q)
}

// ---- the garbage collector's view of the registers ------------------------------------

/// Calls `f(sp)` with the callee-saved registers r4-r11 stored below `sp`,
/// so that a conservative scan from `sp` upwards sees every value compiled
/// code or the runtime holds in registers.
#[inline(never)]
pub fn with_registers_spilled(f: &mut dyn FnMut(usize)) {
    let mut regs = [0usize; 8];
    unsafe {
        asm!(
            "stm {r}, {{r4-r11}}",
            r = in(reg) regs.as_mut_ptr(),
            options(nostack, preserves_flags),
        );
    }
    let regs = core::hint::black_box(&mut regs);
    f(regs.as_ptr() as usize);
    core::hint::black_box(regs);
}

// ---- reset -------------------------------------------------------------------------

/// `SCB->SHCSR`: enabling MemManage, BusFault and UsageFault (bits 16-18)
/// makes them report as themselves instead of escalating to HardFault.
const SCB_SHCSR: *mut u32 = 0xE000_ED24 as *mut u32;

/// The reset handler: initialises RAM, runs the program, exits with its
/// status.
///
/// # Safety
/// Only the processor calls it, through the vector table, on reset.
#[cfg(not(test))]
#[no_mangle]
pub unsafe extern "C" fn pyrt_reset() -> ! {
    // `.data` from its load address in flash, `.bss` zeroed, word by word
    // (the linker aligns both to 4 bytes).
    let mut src = &raw const _sidata;
    let mut dst = &raw mut _sdata;
    while dst < &raw mut _edata {
        ptr::write_volatile(dst, ptr::read_volatile(src));
        dst = dst.add(1);
        src = src.add(1);
    }
    let mut dst = &raw mut _sbss;
    while dst < &raw mut _ebss {
        ptr::write_volatile(dst, 0);
        dst = dst.add(1);
    }
    ptr::write_volatile(SCB_SHCSR, ptr::read_volatile(SCB_SHCSR) | 0b111 << 16);
    asm!("dsb", "isb", options(nostack, preserves_flags));

    heap::set_stack_top(&raw const _stack_top as usize);
    let argv = command_line();
    start::init(&raw const pyaot_program, argv);
    let status = start::run_module();
    io::exit(status)
}

/// The command line buffer and the `argv` built from it.
const CMDLINE_MAX: usize = 1024;
const ARGS_MAX: usize = 64;

struct CommandLine {
    text: [u8; CMDLINE_MAX],
    argv: [*const u8; ARGS_MAX],
}

static COMMAND_LINE: Global<CommandLine> = Global::new(CommandLine {
    text: [0; CMDLINE_MAX],
    argv: [ptr::null(); ARGS_MAX],
});

/// `sys.argv` as C strings: the host's command line (`SYS_GET_CMDLINE`,
/// `app.py ARG1 ...`) split at spaces. Empty when the host gives none.
fn command_line() -> &'static [*const u8] {
    let c = COMMAND_LINE.get();
    let mut block = [c.text.as_mut_ptr() as usize, CMDLINE_MAX - 1];
    if unsafe { semihosting(SYS_GET_CMDLINE, block.as_mut_ptr() as usize) } != 0 {
        return &[];
    }
    let len = block[1].min(CMDLINE_MAX - 1);
    let mut argc = 0;
    let mut i = 0;
    while i < len && argc < ARGS_MAX {
        if c.text[i] == b' ' || c.text[i] == 0 {
            c.text[i] = 0;
            i += 1;
            continue;
        }
        c.argv[argc] = &raw const c.text[i];
        argc += 1;
        while i < len && c.text[i] != b' ' && c.text[i] != 0 {
            i += 1;
        }
        c.text[i] = 0;
    }
    &c.argv[..argc]
}

// ---- faults ------------------------------------------------------------------------

// Every fault and unexpected exception enters here: r0 = the exception
// frame the processor pushed (r0-r3, r12, lr, pc, xPSR), on the stack that
// was active (bit 2 of EXC_RETURN), r1 = IPSR (the exception number).
#[cfg(not(test))]
core::arch::global_asm!(
    ".section .text.pyrt_exception,\"ax\",%progbits",
    ".global pyrt_exception",
    ".type pyrt_exception,%function",
    ".thumb_func",
    "pyrt_exception:",
    "    tst lr, #4",
    "    ite eq",
    "    mrseq r0, msp",
    "    mrsne r0, psp",
    "    mrs r1, ipsr",
    "    b {fault}",
    ".size pyrt_exception, . - pyrt_exception",
    fault = sym fault,
);

#[cfg(not(test))]
extern "C" {
    fn pyrt_exception() -> !;
}

/// Reports the fault on stderr (`fatal: HardFault at pc=0x...`) and exits
/// with status 1.
unsafe extern "C" fn fault(frame: *const u32, ipsr: u32) -> ! {
    let number = ipsr & 0x1ff;
    let name: &[u8] = match number {
        2 => b"NMI",
        3 => b"HardFault",
        4 => b"MemManage",
        5 => b"BusFault",
        6 => b"UsageFault",
        11 => b"SVCall",
        12 => b"DebugMonitor",
        14 => b"PendSV",
        15 => b"SysTick",
        _ => b"interrupt",
    };
    let pc = ptr::read_volatile(frame.add(6));
    let mut hex = *b"0x00000000\n";
    for (i, digit) in hex[2..10].iter_mut().enumerate() {
        *digit = b"0123456789abcdef"[(pc >> (28 - 4 * i) & 0xf) as usize];
    }
    io::flush_stdout();
    io::write_stderr(b"fatal: ");
    io::write_stderr(name);
    io::write_stderr(b" at pc=");
    io::write_stderr(&hex);
    exit(1)
}

// ---- the vector table --------------------------------------------------------------

/// One word of the vector table: the initial stack pointer, a handler, or
/// a reserved zero.
#[derive(Clone, Copy)]
pub union Vector {
    stack: *const u32,
    handler: unsafe extern "C" fn() -> !,
    reserved: usize,
}

#[repr(transparent)]
pub struct VectorTable(pub [Vector; 16]);

unsafe impl Sync for VectorTable {}

/// The Cortex-M3 system exceptions (the board's interrupts stay disabled).
#[cfg(not(test))]
#[no_mangle]
#[link_section = ".vectors"]
pub static __vectors: VectorTable = {
    let fault = Vector {
        handler: pyrt_exception,
    };
    let reserved = Vector { reserved: 0 };
    VectorTable([
        Vector {
            stack: &raw const _stack_top,
        },
        Vector {
            handler: pyrt_reset,
        },
        fault, // NMI
        fault, // HardFault
        fault, // MemManage
        fault, // BusFault
        fault, // UsageFault
        reserved,
        reserved,
        reserved,
        reserved,
        fault, // SVCall
        fault, // DebugMonitor
        reserved,
        fault, // PendSV
        fault, // SysTick
    ])
};
