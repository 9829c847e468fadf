//! x86-64 Linux: raw system calls (no libc), the process entry point
//! `_start`, the C memory primitives the compiler expects, and the stack
//! access the garbage collector needs.

use core::arch::asm;

const SYS_WRITE: usize = 1;
const SYS_MMAP: usize = 9;
const SYS_MUNMAP: usize = 11;
const SYS_EXIT_GROUP: usize = 231;

const PROT_READ: usize = 1;
const PROT_WRITE: usize = 2;
const MAP_PRIVATE: usize = 2;
const MAP_ANONYMOUS: usize = 0x20;

#[inline(always)]
unsafe fn syscall1(n: usize, a1: usize) -> isize {
    let ret: isize;
    asm!("syscall", inlateout("rax") n as isize => ret, in("rdi") a1,
         lateout("rcx") _, lateout("r11") _, options(nostack));
    ret
}

#[inline(always)]
unsafe fn syscall3(n: usize, a1: usize, a2: usize, a3: usize) -> isize {
    let ret: isize;
    asm!("syscall", inlateout("rax") n as isize => ret, in("rdi") a1, in("rsi") a2, in("rdx") a3,
         lateout("rcx") _, lateout("r11") _, options(nostack));
    ret
}

#[inline(always)]
unsafe fn syscall6(
    n: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
    a6: usize,
) -> isize {
    let ret: isize;
    asm!("syscall", inlateout("rax") n as isize => ret, in("rdi") a1, in("rsi") a2, in("rdx") a3,
         in("r10") a4, in("r8") a5, in("r9") a6,
         lateout("rcx") _, lateout("r11") _, options(nostack));
    ret
}

/// Writes all of `buf` to file descriptor `fd` (1 = stdout, 2 = stderr),
/// retrying short writes and EINTR; other errors drop the output, as there
/// is nowhere left to report them.
pub fn write_all(fd: usize, mut buf: &[u8]) {
    while !buf.is_empty() {
        let n = unsafe { syscall3(SYS_WRITE, fd, buf.as_ptr() as usize, buf.len()) };
        if n == -4 {
            continue; // EINTR
        }
        if n <= 0 {
            return;
        }
        buf = &buf[n as usize..];
    }
}

/// Ends the process with `status` (all threads).
pub fn exit(status: i32) -> ! {
    unsafe {
        syscall1(SYS_EXIT_GROUP, status as usize);
        asm!("ud2", options(noreturn));
    }
}

/// Maps `size` bytes (a multiple of the page size) of zeroed read-write
/// memory; `None` when the system has none left.
pub fn map_pages(size: usize) -> Option<*mut u8> {
    let p = unsafe {
        syscall6(
            SYS_MMAP,
            0,
            size,
            PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS,
            usize::MAX,
            0,
        )
    };
    if p < 0 {
        None
    } else {
        Some(p as *mut u8)
    }
}

/// Resizes pages obtained from [`map_pages`], moving them if needed (the
/// kernel moves page mappings; no bytes are copied).
pub fn remap_pages(p: *mut u8, old_size: usize, new_size: usize) -> Option<*mut u8> {
    const SYS_MREMAP: usize = 25;
    const MREMAP_MAYMOVE: usize = 1;
    let q = unsafe {
        syscall6(
            SYS_MREMAP,
            p as usize,
            old_size,
            new_size,
            MREMAP_MAYMOVE,
            0,
            0,
        )
    };
    if q < 0 {
        None
    } else {
        Some(q as *mut u8)
    }
}

/// Returns pages obtained from [`map_pages`] to the system.
pub fn unmap_pages(p: *mut u8, size: usize) {
    unsafe {
        syscall3(SYS_MUNMAP, p as usize, size, 0);
    }
}

pub const PAGE_SIZE: usize = 4096;

/// Calls `f(sp)` with every callee-saved register spilled to the stack
/// below `sp`, so that a conservative scan from `sp` upwards sees every
/// value the compiled code or the runtime holds in registers.
#[inline(never)]
pub fn with_registers_spilled(f: &mut dyn FnMut(usize)) {
    let mut regs = [0usize; 6];
    unsafe {
        asm!(
            "mov [{r}], rbx",
            "mov [{r} + 8], rbp",
            "mov [{r} + 16], r12",
            "mov [{r} + 24], r13",
            "mov [{r} + 32], r14",
            "mov [{r} + 40], r15",
            r = in(reg) regs.as_mut_ptr(),
            options(nostack, preserves_flags),
        );
    }
    let regs = core::hint::black_box(&mut regs);
    f(regs.as_ptr() as usize);
    core::hint::black_box(regs);
}

// ---- process entry -----------------------------------------------------------

// The kernel starts us with `rsp` pointing at argc, then argv[], NULL, envp[].
#[cfg(not(test))]
core::arch::global_asm!(
    ".globl _start",
    ".type _start,@function",
    "_start:",
    "    xor ebp, ebp",
    "    mov rdi, rsp",
    "    and rsp, -16",
    "    call {main}",
    "    ud2",
    main = sym crate::start::pyrt_main,
);

// ---- C memory primitives -------------------------------------------------------
//
// The Rust compiler lowers copies and fills to calls to these. Large ones
// use `rep movsb`/`rep stosb` (fast with ERMS); small ones move words with
// volatile accesses, which the compiler cannot turn back into a call to
// the function being defined.

/// Below this many bytes, word moves beat `rep movsb`'s start-up cost.
#[cfg(not(test))]
const SMALL_COPY: usize = 128;

/// Copies `n < SMALL_COPY` bytes forwards.
#[cfg(not(test))]
#[inline(always)]
unsafe fn copy_small_forward(dst: *mut u8, src: *const u8, n: usize) {
    let mut i = 0;
    while i + 8 <= n {
        let w = core::ptr::read_volatile(src.add(i) as *const [u8; 8]);
        core::ptr::write_volatile(dst.add(i) as *mut [u8; 8], w);
        i += 8;
    }
    while i < n {
        core::ptr::write_volatile(dst.add(i), core::ptr::read_volatile(src.add(i)));
        i += 1;
    }
}

#[cfg(not(test))]
#[no_mangle]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if n < SMALL_COPY {
        copy_small_forward(dst, src, n);
    } else {
        asm!("rep movsb", inout("rcx") n => _, inout("rdi") dst => _, inout("rsi") src => _,
             options(nostack, preserves_flags));
    }
    dst
}

#[cfg(not(test))]
#[no_mangle]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dst as usize).wrapping_sub(src as usize) >= n {
        // No harmful overlap: a forward copy is correct (word by word too,
        // since each word is read before the bytes it overlaps are written).
        memcpy(dst, src, n);
    } else if n < SMALL_COPY {
        let mut i = n;
        while i > 0 {
            i -= 1;
            core::ptr::write_volatile(dst.add(i), core::ptr::read_volatile(src.add(i)));
        }
    } else {
        // dst overlaps the tail of src: copy backwards.
        asm!("std", "rep movsb", "cld",
             inout("rcx") n => _, inout("rdi") dst.add(n - 1) => _, inout("rsi") src.add(n - 1) => _,
             options(nostack));
    }
    dst
}

#[cfg(not(test))]
#[no_mangle]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    if n < SMALL_COPY {
        let w = [c as u8; 8];
        let mut i = 0;
        while i + 8 <= n {
            core::ptr::write_volatile(dst.add(i) as *mut [u8; 8], w);
            i += 8;
        }
        while i < n {
            core::ptr::write_volatile(dst.add(i), c as u8);
            i += 1;
        }
    } else {
        asm!("rep stosb", inout("rcx") n => _, inout("rdi") dst => _, in("al") c as u8,
             options(nostack, preserves_flags));
    }
    dst
}

#[cfg(not(test))]
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        let (x, y) = (
            core::ptr::read_volatile(a.add(i)),
            core::ptr::read_volatile(b.add(i)),
        );
        if x != y {
            return x as i32 - y as i32;
        }
        i += 1;
    }
    0
}

#[cfg(not(test))]
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    memcmp(a, b, n)
}

#[cfg(not(test))]
#[no_mangle]
pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
    let mut n = 0;
    while core::ptr::read_volatile(s.add(n)) != 0 {
        n += 1;
    }
    n
}
