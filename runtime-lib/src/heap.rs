//! The heap: a non-moving mark-sweep garbage collector over a block heap,
//! and the raw allocator Rust's `alloc` (bigint digits, list item arrays,
//! temporary strings) uses.
//!
//! Memory comes from the platform in arenas (runs of `BLOCK_SIZE`-aligned
//! blocks). A block holds slots of one size class and is either a GC block
//! (objects, with allocation and mark bitmaps) or a raw block (explicitly
//! freed memory). Objects larger than the biggest size class are mapped
//! individually with a two-word header in front of them.
//!
//! Roots: registered word ranges (the program's constants and globals), the
//! runtime's own roots ([`crate::object::for_each_runtime_root`]) and a
//! conservative scan of the native stack with callee-saved registers
//! spilled. Objects are scanned precisely through their type's `trace`.
//! A collection runs when the bytes allocated since the last one exceed
//! `max(MIN_TRIGGER, bytes live after the last one)`.

use crate::object::{TypeObject, Value};
use crate::platform;
use crate::Global;
use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::ptr;

/// Bare-metal targets (Cortex-M: `target_os = "none"`) have tens of KiB to
/// a few MiB of RAM served by a region allocator instead of virtual memory:
/// small blocks (every size class in use holds one), small arenas, an
/// early first collection, and freed page runs go straight
/// back to the region (which merges them) instead of a cache.
const SMALL_MEMORY: bool = cfg!(target_os = "none");
pub const BLOCK_SIZE: usize = if SMALL_MEMORY { 2 * 1024 } else { 32 * 1024 };
const WORD: usize = core::mem::size_of::<usize>();
const MIN_SLOT: usize = 16;
const MAX_SLOTS: usize = BLOCK_SIZE / MIN_SLOT;
const BITMAP_WORDS: usize = MAX_SLOTS / usize::BITS as usize;
const ARENA_BLOCKS_MIN: usize = if SMALL_MEMORY { 1 } else { 32 };
/// Enough for 16 GiB (bare metal: 7 MiB) as arenas grow.
const MAX_ARENAS: usize = if SMALL_MEMORY { 128 } else { 256 };
/// Collect at least every this many allocated bytes. The `gc-stress`
/// feature makes collections very frequent, to test that every value the
/// runtime and compiled code hold is rooted; bare metal has little memory.
const MIN_TRIGGER: usize = if cfg!(feature = "gc-stress") || SMALL_MEMORY {
    16 << 10
} else {
    8 << 20
};
/// Freed page runs kept for reuse (large objects and big raw arrays are
/// often freed and allocated again at the same size, e.g. a loop building
/// a 1000-item list): at most this many runs and bytes.
const RUN_CACHE_SLOTS: usize = 32;
const RUN_CACHE_BYTES: usize = 32 << 20;
/// The marker's initial stack, in objects.
const MARK_STACK_MIN: usize = if SMALL_MEMORY { 64 } else { 256 };
/// Bytes in front of a large object: `[mapped size, mark]`.
const LARGE_HEADER: usize = 2 * WORD;

/// Slot sizes. Requests above the last one are large objects. The
/// medium classes (above 2048) are the block's usable bytes split in 15,
/// 12, 10, 8, 6, 5, 4, 3 and 2 slots (16-byte multiples), so they waste
/// almost nothing. [`class_of`] relies on the first seven classes being
/// 16, 32, ..., 96, 128.
#[cfg(not(target_os = "none"))]
const SIZE_CLASSES: [usize; 26] = [
    16,
    32,
    48,
    64,
    80,
    96,
    128,
    160,
    192,
    256,
    320,
    384,
    512,
    768,
    1024,
    1536,
    2048,
    medium(15),
    medium(12),
    medium(10),
    medium(8),
    medium(6),
    medium(5),
    medium(4),
    medium(3),
    medium(2),
];
/// The small-memory classes: the same up to 384, then the (2 KiB) block's
/// usable bytes split in 4, 3 and 2 slots.
#[cfg(target_os = "none")]
const SIZE_CLASSES: [usize; 15] = [
    16,
    32,
    48,
    64,
    80,
    96,
    128,
    160,
    192,
    256,
    320,
    384,
    medium(4),
    medium(3),
    medium(2),
];

const fn medium(slots: usize) -> usize {
    (BLOCK_SIZE - HEADER_END) / slots / 16 * 16
}
const NCLASSES: usize = SIZE_CLASSES.len();
pub const MAX_SMALL: usize = SIZE_CLASSES[NCLASSES - 1];

#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    Free = 0,
    Gc = 1,
    Raw = 2,
}

/// Where an object is: slot `i` of a block, or a large object.
#[derive(Clone, Copy)]
enum Found {
    Slot(*mut Block, usize),
    Large(usize),
}

#[repr(C)]
struct Block {
    kind: Kind,
    class: u8,
    obj_size: usize,
    nslots: usize,
    /// Offset of slot 0 from the block start.
    first: usize,
    next_free_block: *mut Block,
    alloc_bits: [usize; BITMAP_WORDS],
    mark_bits: [usize; BITMAP_WORDS],
}

const HEADER_END: usize = (core::mem::size_of::<Block>() + 15) & !15;
const _: () = assert!(HEADER_END + MAX_SMALL <= BLOCK_SIZE);
const _: () = assert!((BLOCK_SIZE - HEADER_END) / MIN_SLOT <= MAX_SLOTS);
const _: () = {
    let mut c = 1;
    while c < NCLASSES {
        assert!(SIZE_CLASSES[c - 1] < SIZE_CLASSES[c] && SIZE_CLASSES[c].is_multiple_of(MIN_SLOT));
        c += 1;
    }
    assert!(SIZE_CLASSES[0] == MIN_SLOT && SIZE_CLASSES[5] == 96 && SIZE_CLASSES[6] == 128);
};

struct Heap {
    arenas: [(usize, usize); MAX_ARENAS],
    narenas: usize,
    /// Bounds of all arenas, for a quick "not in the heap".
    arena_lo: usize,
    arena_hi: usize,
    /// Unused blocks of the current arena start here.
    bump: usize,
    bump_end: usize,
    free_blocks: *mut Block,
    gc_free: [*mut usize; NCLASSES],
    raw_free: [*mut usize; NCLASSES],
    /// Large objects' header addresses, sorted.
    large: Vec<usize>,
    /// The marker's stack, kept between collections on bare metal: a
    /// collection that memory running out started must not need memory.
    mark_stack: Vec<usize>,
    allocated_since: usize,
    threshold: usize,
    raw_live: usize,
    live_after_gc: usize,
    collecting: bool,
    roots: [(*mut Value, usize); 8],
    /// `(address, size)` of cached page runs; `size` 0 = empty slot.
    run_cache: [(usize, usize); RUN_CACHE_SLOTS],
    run_cache_bytes: usize,
    nroots: usize,
    pub stack_top: usize,
    collections: usize,
}

static HEAP: Global<Heap> = Global::new(Heap {
    arenas: [(0, 0); MAX_ARENAS],
    narenas: 0,
    arena_lo: usize::MAX,
    arena_hi: 0,
    bump: 0,
    bump_end: 0,
    free_blocks: ptr::null_mut(),
    gc_free: [ptr::null_mut(); NCLASSES],
    raw_free: [ptr::null_mut(); NCLASSES],
    large: Vec::new(),
    mark_stack: Vec::new(),
    allocated_since: 0,
    threshold: MIN_TRIGGER,
    raw_live: 0,
    live_after_gc: 0,
    collecting: false,
    roots: [(ptr::null_mut(), 0); 8],
    run_cache: [(0, 0); RUN_CACHE_SLOTS],
    run_cache_bytes: 0,
    nroots: 0,
    stack_top: 0,
    collections: 0,
});

fn heap() -> &'static mut Heap {
    HEAP.get()
}

#[inline(always)]
fn class_of(size: usize) -> usize {
    if size <= 96 {
        return size.max(1).div_ceil(16) - 1;
    }
    let mut c = 6;
    while SIZE_CLASSES[c] < size {
        c += 1;
    }
    c
}

fn out_of_memory() -> ! {
    crate::io::fatal("MemoryError: out of memory")
}

/// Maps `size` bytes aligned to `align` (a power of two >= the page size).
#[cfg(target_os = "none")]
fn map_aligned(size: usize, align: usize) -> Option<*mut u8> {
    platform::map_aligned_pages(size, align)
}

/// Maps `size` bytes aligned to `align` (a power of two >= the page size).
#[cfg(not(target_os = "none"))]
fn map_aligned(size: usize, align: usize) -> Option<*mut u8> {
    let total = size + align;
    let p = platform::map_pages(total)? as usize;
    let start = (p + align - 1) & !(align - 1);
    if start > p {
        platform::unmap_pages(p as *mut u8, start - p);
    }
    let end = start + size;
    if p + total > end {
        platform::unmap_pages(end as *mut u8, p + total - end);
    }
    Some(start as *mut u8)
}

impl Heap {
    /// A fresh block for `class`; `None` when the platform has no memory
    /// for another arena.
    fn new_block(&mut self, kind: Kind, class: usize) -> Option<*mut Block> {
        let b = if !self.free_blocks.is_null() {
            let b = self.free_blocks;
            unsafe { self.free_blocks = (*b).next_free_block };
            b
        } else {
            if self.bump == self.bump_end {
                if self.narenas == MAX_ARENAS {
                    return None;
                }
                // Arenas grow with the heap: a small program maps 1 MiB
                // (bare metal: 2 KiB). Where memory is short (bare metal),
                // a smaller arena is better than none.
                let mut nblocks = ARENA_BLOCKS_MIN << (self.narenas / 4).min(5);
                let start = loop {
                    match map_aligned(nblocks * BLOCK_SIZE, BLOCK_SIZE) {
                        Some(p) => break p as usize,
                        None if SMALL_MEMORY && nblocks > 1 => nblocks /= 2,
                        None => return None,
                    }
                };
                let size = nblocks * BLOCK_SIZE;
                self.arenas[self.narenas] = (start, start + size);
                self.narenas += 1;
                self.arena_lo = self.arena_lo.min(start);
                self.arena_hi = self.arena_hi.max(start + size);
                self.bump = start;
                self.bump_end = start + size;
            }
            let b = self.bump as *mut Block;
            self.bump += BLOCK_SIZE;
            b
        };
        let obj_size = SIZE_CLASSES[class];
        unsafe {
            (*b).kind = kind;
            (*b).class = class as u8;
            (*b).obj_size = obj_size;
            (*b).first = HEADER_END;
            (*b).nslots = (BLOCK_SIZE - HEADER_END) / obj_size;
            (*b).next_free_block = ptr::null_mut();
            (*b).alloc_bits = [0; BITMAP_WORDS];
            (*b).mark_bits = [0; BITMAP_WORDS];
        }
        Some(b)
    }

    /// Threads every slot of a fresh block onto a free list.
    fn thread_block(b: *mut Block, head: &mut *mut usize) {
        unsafe {
            let base = b as usize + (*b).first;
            let size = (*b).obj_size;
            let mut i = (*b).nslots;
            while i > 0 {
                i -= 1;
                let slot = (base + i * size) as *mut usize;
                *slot = *head as usize;
                *head = slot;
            }
        }
    }

    #[inline]
    fn in_arena(&self, p: usize) -> bool {
        p >= self.arena_lo
            && p < self.arena_hi
            && self.arenas[..self.narenas]
                .iter()
                .any(|&(s, e)| p >= s && p < e)
    }

    /// The GC object containing address `p`, if any.
    #[inline]
    fn locate(&self, p: usize) -> Option<Found> {
        if self.in_arena(p) {
            let b = (p & !(BLOCK_SIZE - 1)) as *mut Block;
            unsafe {
                if (*b).kind != Kind::Gc {
                    return None;
                }
                let base = b as usize + HEADER_END;
                if p < base {
                    return None;
                }
                let i = (p - base) / (*b).obj_size;
                if i >= (*b).nslots
                    || (*b).alloc_bits[i / usize::BITS as usize] & (1 << (i % usize::BITS as usize))
                        == 0
                {
                    return None;
                }
                return Some(Found::Slot(b, i));
            }
        }
        self.find_large(p).map(Found::Large)
    }

    /// The large object containing address `p`, if any.
    fn find_large(&self, p: usize) -> Option<usize> {
        let large = &self.large;
        if large.is_empty() || p < large[0] {
            return None;
        }
        // Last header at or below p.
        let (mut lo, mut hi) = (0, large.len());
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if large[mid] <= p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let h = large[lo];
        let size = unsafe { *(h as *const usize) };
        if p >= h + LARGE_HEADER && p < h + size {
            Some(h + LARGE_HEADER)
        } else {
            None
        }
    }
}

// ---- page runs -------------------------------------------------------------------

/// `size` bytes (a multiple of the page size) of read-write memory: a
/// cached run of exactly that size (not zeroed), or fresh pages (zero).
fn map_run(size: usize) -> Option<(*mut u8, bool)> {
    let h = heap();
    if let Some(slot) = h.run_cache.iter_mut().find(|r| r.1 == size) {
        let p = slot.0;
        *slot = (0, 0);
        h.run_cache_bytes -= size;
        return Some((p as *mut u8, false));
    }
    platform::map_pages(size).map(|p| (p, true))
}

/// Gives back a run from [`map_run`]: cached while the cache has room.
fn unmap_run(p: *mut u8, size: usize) {
    let h = heap();
    if !SMALL_MEMORY && h.run_cache_bytes + size <= RUN_CACHE_BYTES {
        if let Some(slot) = h.run_cache.iter_mut().find(|r| r.1 == 0) {
            *slot = (p as usize, size);
            h.run_cache_bytes += size;
            return;
        }
    }
    platform::unmap_pages(p, size);
}

// ---- GC allocation ---------------------------------------------------------------

/// Allocates a zeroed GC object of `size` bytes whose word 0 is `ty`.
/// May run a collection first.
///
/// The fast path (a free slot of the size class, no collection due) is
/// inlined: with a constant `size` the class, the slot index division and
/// the zeroing fold to a few instructions.
#[inline(always)]
pub fn alloc(size: usize, ty: &'static TypeObject) -> *mut u8 {
    let h = heap();
    let size = if size < WORD { WORD } else { size };
    if size <= MAX_SMALL && h.allocated_since <= h.threshold {
        let c = class_of(size);
        let slot = h.gc_free[c];
        if !slot.is_null() {
            let class_size = SIZE_CLASSES[c];
            unsafe {
                h.gc_free[c] = *slot as *mut usize;
                let block = slot as usize & !(BLOCK_SIZE - 1);
                let i = (slot as usize - block - HEADER_END) / class_size;
                (*(block as *mut Block)).alloc_bits[i / usize::BITS as usize] |=
                    1 << (i % usize::BITS as usize);
                let words = slot;
                for k in 0..class_size / WORD {
                    *words.add(k) = 0;
                }
                *(slot as *mut &'static TypeObject) = ty;
            }
            h.allocated_since += class_size;
            return slot as *mut u8;
        }
    }
    alloc_slow(size, ty)
}

#[inline(never)]
fn alloc_slow(size: usize, ty: &'static TypeObject) -> *mut u8 {
    let h = heap();
    if h.allocated_since > h.threshold && !h.collecting {
        collect();
    }
    let h = heap();
    let p = if size > MAX_SMALL {
        alloc_large(size)
            .or_else(|| collect_for_memory().then(|| alloc_large(size))?)
            .unwrap_or_else(|| out_of_memory())
    } else {
        let c = class_of(size);
        if h.gc_free[c].is_null() {
            // With no memory for a new block, a collection may free a slot
            // or a whole block.
            if let Some(b) = h.new_block(Kind::Gc, c) {
                Heap::thread_block(b, &mut h.gc_free[c]);
            } else if !collect_for_memory() || heap().gc_free[c].is_null() {
                let h = heap();
                let b = h.new_block(Kind::Gc, c).unwrap_or_else(|| out_of_memory());
                Heap::thread_block(b, &mut h.gc_free[c]);
            }
        }
        let h = heap();
        let slot = h.gc_free[c];
        unsafe {
            h.gc_free[c] = *slot as *mut usize;
            let b = (slot as usize & !(BLOCK_SIZE - 1)) as *mut Block;
            let i = (slot as usize - b as usize - (*b).first) / (*b).obj_size;
            (*b).alloc_bits[i / usize::BITS as usize] |= 1 << (i % usize::BITS as usize);
            ptr::write_bytes(slot as *mut u8, 0, SIZE_CLASSES[c]);
        }
        h.allocated_since += SIZE_CLASSES[c];
        slot as *mut u8
    };
    unsafe { *(p as *mut &'static TypeObject) = ty };
    p
}

// Not a `&mut Heap` parameter: inserting into `large` re-enters the heap
// through the raw allocator.
fn alloc_large(size: usize) -> Option<*mut u8> {
    let total =
        size.checked_add(LARGE_HEADER + platform::PAGE_SIZE - 1)? & !(platform::PAGE_SIZE - 1);
    let (p, fresh) = map_run(total)?;
    let hdr = p as usize;
    unsafe {
        if !fresh {
            ptr::write_bytes(p, 0, size + LARGE_HEADER);
        }
        *(hdr as *mut usize) = total;
    }
    let pos = heap().large.partition_point(|&x| x < hdr);
    heap().large.insert(pos, hdr);
    heap().allocated_since += total;
    Some((hdr + LARGE_HEADER) as *mut u8)
}

/// Like [`alloc()`], for sizes the program chose (`bytes(n)`, `s * n`):
/// `None` when there is no memory for it, for a `MemoryError`.
pub fn try_alloc(size: usize, ty: &'static TypeObject) -> Option<*mut u8> {
    if size <= MAX_SMALL {
        return Some(alloc(size, ty));
    }
    let h = heap();
    if h.allocated_since > h.threshold && !h.collecting {
        collect();
    }
    let p = alloc_large(size).or_else(|| collect_for_memory().then(|| alloc_large(size))?)?;
    unsafe { *(p as *mut &'static TypeObject) = ty };
    Some(p)
}

/// Collects when an allocation found no memory (bare metal, where memory
/// runs out long before the next collection is due; not while one runs);
/// whether it did.
fn collect_for_memory() -> bool {
    if !SMALL_MEMORY || heap().collecting {
        return false;
    }
    collect();
    true
}

/// Registers `len` words at `p` as roots (the program's constants and
/// globals).
pub fn add_root_range(p: *mut Value, len: usize) {
    let h = heap();
    if h.nroots < h.roots.len() {
        h.roots[h.nroots] = (p, len);
        h.nroots += 1;
    }
}

pub fn set_stack_top(top: usize) {
    heap().stack_top = top;
    if SMALL_MEMORY {
        heap().mark_stack = Vec::with_capacity(MARK_STACK_MIN);
    }
}

// ---- collection ------------------------------------------------------------------

/// Marks objects reachable from one value; the type `trace` functions call
/// [`Marker::mark`] for each value an object holds.
pub struct Marker {
    stack: Vec<usize>,
}

impl Marker {
    #[inline]
    pub fn mark(&mut self, v: Value) {
        if v == 0 || v & crate::abi::INT_TAG != 0 {
            return;
        }
        if let Some(found) = heap().locate(v) {
            self.mark_found(found);
        }
    }

    fn mark_found(&mut self, found: Found) {
        let obj = match found {
            Found::Slot(b, i) => unsafe {
                let (w, bit) = (
                    i / usize::BITS as usize,
                    1usize << (i % usize::BITS as usize),
                );
                if (*b).mark_bits[w] & bit != 0 {
                    return;
                }
                (*b).mark_bits[w] |= bit;
                b as usize + HEADER_END + i * (*b).obj_size
            },
            Found::Large(obj) => {
                let m = (obj - WORD) as *mut usize;
                unsafe {
                    if *m != 0 {
                        return;
                    }
                    *m = 1;
                }
                obj
            }
        };
        self.stack.push(obj);
    }

    fn drain(&mut self) {
        while let Some(obj) = self.stack.pop() {
            let ty = unsafe { *(obj as *const &'static TypeObject) };
            if let Some(trace) = ty.trace {
                trace(obj, self);
            }
        }
    }
}

/// Runs a full collection now.
pub fn collect() {
    let h = heap();
    if h.collecting {
        return;
    }
    h.collecting = true;
    let stack = if h.mark_stack.capacity() == 0 {
        Vec::with_capacity(MARK_STACK_MIN)
    } else {
        core::mem::take(&mut h.mark_stack)
    };
    let mut m = Marker { stack };
    for i in 0..h.nroots {
        let (p, n) = h.roots[i];
        for j in 0..n {
            m.mark(unsafe { *p.add(j) });
        }
    }
    crate::object::for_each_runtime_root(&mut |v| m.mark(v));
    let top = h.stack_top;
    platform::with_registers_spilled(&mut |sp| {
        let mut p = sp & !(WORD - 1);
        while p < top {
            let w = unsafe { *(p as *const usize) };
            if let Some(found) = heap().locate(w) {
                m.mark_found(found);
            }
            p += WORD;
        }
    });
    m.drain();
    if SMALL_MEMORY {
        heap().mark_stack = m.stack;
    } else {
        drop(m);
    }
    sweep();
    let h = heap();
    h.collections += 1;
    h.collecting = false;
}

fn finalize(obj: usize) {
    let ty = unsafe { *(obj as *const &'static TypeObject) };
    if let Some(f) = ty.finalize {
        f(obj);
    }
}

// Not a `&mut Heap` parameter: finalizers free raw memory, which re-enters
// the heap.
fn sweep() {
    let h = heap();
    let mut live = 0usize;
    h.gc_free = [ptr::null_mut(); NCLASSES];
    for a in 0..h.narenas {
        let (start, end) = h.arenas[a];
        let end = if a == h.narenas - 1 { h.bump } else { end };
        let mut bp = start;
        while bp < end {
            let b = bp as *mut Block;
            bp += BLOCK_SIZE;
            unsafe {
                if (*b).kind != Kind::Gc {
                    continue;
                }
                let base = b as usize + (*b).first;
                let size = (*b).obj_size;
                let mut head: *mut usize = ptr::null_mut();
                let mut tail: *mut usize = ptr::null_mut();
                let mut nlive = 0;
                for i in (0..(*b).nslots).rev() {
                    let (w, bit) = (
                        i / usize::BITS as usize,
                        1usize << (i % usize::BITS as usize),
                    );
                    let slot = base + i * size;
                    if (*b).alloc_bits[w] & bit != 0 {
                        if (*b).mark_bits[w] & bit != 0 {
                            nlive += 1;
                            continue;
                        }
                        finalize(slot);
                        (*b).alloc_bits[w] &= !bit;
                    }
                    let s = slot as *mut usize;
                    *s = head as usize;
                    if head.is_null() {
                        tail = s;
                    }
                    head = s;
                }
                (*b).mark_bits = [0; BITMAP_WORDS];
                if nlive == 0 {
                    (*b).kind = Kind::Free;
                    (*b).next_free_block = h.free_blocks;
                    h.free_blocks = b;
                } else {
                    live += nlive * size;
                    if !head.is_null() {
                        let c = (*b).class as usize;
                        *tail = h.gc_free[c] as usize;
                        h.gc_free[c] = head;
                    }
                }
            }
        }
    }
    let mut i = 0;
    while i < h.large.len() {
        let hdr = h.large[i];
        let mark = (hdr + WORD) as *mut usize;
        let size = unsafe { *(hdr as *const usize) };
        if unsafe { *mark } != 0 {
            unsafe { *mark = 0 };
            live += size;
            i += 1;
        } else {
            finalize(hdr + LARGE_HEADER);
            h.large.remove(i);
            unmap_run(hdr as *mut u8, size);
        }
    }
    h.live_after_gc = live + h.raw_live;
    h.threshold = if cfg!(feature = "gc-stress") {
        MIN_TRIGGER
    } else {
        MIN_TRIGGER.max(h.live_after_gc)
    };
    h.allocated_since = 0;
}

/// `(collections, bytes live after the last one)`, for tests.
pub fn stats() -> (usize, usize) {
    let h = heap();
    (h.collections, h.live_after_gc)
}

// ---- the raw allocator -----------------------------------------------------------

/// Rust's global allocator: size-class slots in raw blocks, pages from the
/// platform for big requests.
pub struct RawAlloc;

unsafe impl GlobalAlloc for RawAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let h = heap();
        let size = layout.size().max(layout.align());
        if size <= MAX_SMALL && layout.align() <= MIN_SLOT {
            let c = class_of(size);
            if h.raw_free[c].is_null() {
                let b = h.new_block(Kind::Raw, c).unwrap_or_else(|| out_of_memory());
                Heap::thread_block(b, &mut h.raw_free[c]);
            }
            let slot = h.raw_free[c];
            h.raw_free[c] = *slot as *mut usize;
            h.allocated_since += SIZE_CLASSES[c];
            h.raw_live += SIZE_CLASSES[c];
            slot as *mut u8
        } else if layout.align() <= platform::PAGE_SIZE {
            let total = (size + platform::PAGE_SIZE - 1) & !(platform::PAGE_SIZE - 1);
            h.allocated_since += total;
            h.raw_live += total;
            map_run(total).map_or(ptr::null_mut(), |(p, _)| p)
        } else {
            ptr::null_mut()
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        let h = heap();
        let size = layout.size().max(layout.align());
        if size <= MAX_SMALL && layout.align() <= MIN_SLOT {
            let c = class_of(size);
            *(p as *mut usize) = h.raw_free[c] as usize;
            h.raw_free[c] = p as *mut usize;
            h.raw_live -= SIZE_CLASSES[c];
        } else {
            let total = (size + platform::PAGE_SIZE - 1) & !(platform::PAGE_SIZE - 1);
            h.raw_live -= total;
            unmap_run(p, total);
        }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size().max(layout.align());
        let new = new_size.max(layout.align());
        let pages = |n: usize| (n + platform::PAGE_SIZE - 1) & !(platform::PAGE_SIZE - 1);
        if old > MAX_SMALL && new > MAX_SMALL && layout.align() <= platform::PAGE_SIZE {
            // Both are page runs: let the kernel move the pages (a growing
            // list's array is not copied).
            let (old_total, new_total) = (pages(old), pages(new));
            if old_total == new_total {
                return p;
            }
            let h = heap();
            return match platform::remap_pages(p, old_total, new_total) {
                Some(q) => {
                    h.raw_live = h.raw_live + new_total - old_total;
                    h.allocated_since += new_total.saturating_sub(old_total);
                    q
                }
                None => ptr::null_mut(),
            };
        }
        if layout.align() <= MIN_SLOT
            && old <= MAX_SMALL
            && new <= MAX_SMALL
            && class_of(old) == class_of(new)
        {
            return p;
        }
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let q = self.alloc(new_layout);
        if !q.is_null() {
            ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
            self.dealloc(p, layout);
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_classes_cover_every_size() {
        for s in 1..=MAX_SMALL {
            let c = class_of(s);
            assert!(SIZE_CLASSES[c] >= s);
            assert!(c == 0 || SIZE_CLASSES[c - 1] < s);
        }
    }

    /// Without a stack top (unit tests) only registered roots keep objects
    /// alive; a loop of garbage must be collected and the roots' objects
    /// must survive intact.
    #[test]
    fn collection_frees_garbage_and_keeps_roots() {
        let _heap = crate::HEAP_LOCK.lock().unwrap();
        use crate::{float, int, list, str};
        static mut ROOTS: [Value; 2] = [0; 2];
        let roots = &raw mut ROOTS as *mut Value;
        add_root_range(roots, 2);
        let l = list::new(0);
        unsafe { *roots = l };
        for i in 0..1000 {
            let s = str::new(if i % 2 == 0 { "even" } else { "odd é" });
            list::append(l, s);
        }
        let big = int::from_big(num_bigint::BigInt::from(1) << 200u32);
        unsafe { *roots.add(1) = big };
        let before = stats().0;
        for i in 0..400_000 {
            let f = float::new(i as f64);
            let g = list::new_from(&[f, f, f]);
            core::hint::black_box(g);
            let b = int::from_big(num_bigint::BigInt::from(i) << 100u32);
            core::hint::black_box(b);
        }
        let (after, live) = stats();
        assert!(after > before, "no collection ran");
        assert!(live < 1 << 20, "{live} bytes live after collecting garbage");
        collect();
        assert_eq!(list::len(l), 1000);
        for (i, &s) in list::items(l).iter().enumerate() {
            assert_eq!(str::as_str(s), if i % 2 == 0 { "even" } else { "odd é" });
        }
        let mut text = alloc::string::String::new();
        int::int_repr(big, &mut text).unwrap();
        assert_eq!(
            text,
            "1606938044258990275541962092341162602522202993782792835301376"
        );
    }
}
