//! A page allocator over one fixed memory region, for targets without
//! virtual memory (Cortex-M: `[_heap_start, _heap_end)`).
//!
//! Free runs form a list sorted by address, kept in the free memory itself
//! (`[next, size]` in each run's first two words). Requests are served first
//! fit from the front of a run; a freed run merges with its neighbours, so
//! memory the garbage collector gives back can serve any later request,
//! whatever its size. Any part of a run may be freed (the heap trims the
//! over-allocation it makes to align arenas).

use core::ptr;

/// The allocation granule: sizes and addresses are multiples of it.
pub const PAGE_SIZE: usize = 1024;

#[repr(C)]
struct FreeRun {
    next: *mut FreeRun,
    size: usize,
}

pub struct Region {
    free: *mut FreeRun,
}

impl Region {
    pub const fn empty() -> Self {
        Region {
            free: ptr::null_mut(),
        }
    }

    /// Adds `[start, end)` (rounded inwards to [`PAGE_SIZE`]) to the free
    /// memory.
    ///
    /// # Safety
    /// The range must be writable memory that nothing else uses.
    pub unsafe fn add(&mut self, start: usize, end: usize) {
        let start = (start + PAGE_SIZE - 1) & !(PAGE_SIZE - 1);
        let end = end & !(PAGE_SIZE - 1);
        if end > start {
            self.give_back(start as *mut u8, end - start);
        }
    }

    /// Takes `size` bytes (a multiple of [`PAGE_SIZE`]) from the first free
    /// run that has them, without zeroing them.
    pub fn take(&mut self, size: usize) -> Option<*mut u8> {
        if size == 0 {
            return None;
        }
        let mut link: *mut *mut FreeRun = &mut self.free;
        unsafe {
            while !(*link).is_null() {
                let run = *link;
                if (*run).size >= size {
                    Self::shorten(link, size);
                    return Some(run as *mut u8);
                }
                link = &mut (*run).next;
            }
        }
        None
    }

    /// Takes `size` bytes starting at a multiple of `align` (a power of two,
    /// at least [`PAGE_SIZE`]) from the first free run that holds them; the parts
    /// of the run before and after stay free.
    pub fn take_aligned(&mut self, size: usize, align: usize) -> Option<*mut u8> {
        if size == 0 {
            return None;
        }
        let mut link: *mut *mut FreeRun = &mut self.free;
        unsafe {
            while !(*link).is_null() {
                let run = *link;
                let (start, end) = (run as usize, run as usize + (*run).size);
                let aligned = (start + align - 1) & !(align - 1);
                if aligned >= start && aligned <= end && end - aligned >= size {
                    *link = (*run).next;
                    self.give_back(run as *mut u8, aligned - start);
                    self.give_back((aligned + size) as *mut u8, end - aligned - size);
                    return Some(aligned as *mut u8);
                }
                link = &mut (*run).next;
            }
        }
        None
    }

    /// Removes the first `size` bytes of the run `*link` points to.
    unsafe fn shorten(link: *mut *mut FreeRun, size: usize) {
        let run = *link;
        if (*run).size == size {
            *link = (*run).next;
        } else {
            let rest = (run as usize + size) as *mut FreeRun;
            (*rest).next = (*run).next;
            (*rest).size = (*run).size - size;
            *link = rest;
        }
    }

    /// Returns `[p, p + size)` to the free memory, merging it with the runs
    /// right before and after it.
    pub fn give_back(&mut self, p: *mut u8, size: usize) {
        if size == 0 {
            return;
        }
        let start = p as usize;
        unsafe {
            let mut prev: *mut FreeRun = ptr::null_mut();
            let mut next = self.free;
            while !next.is_null() && (next as usize) < start {
                prev = next;
                next = (*next).next;
            }
            let run = p as *mut FreeRun;
            (*run).size = size;
            (*run).next = next;
            if !next.is_null() && start + size == next as usize {
                (*run).size += (*next).size;
                (*run).next = (*next).next;
            }
            if prev.is_null() {
                self.free = run;
            } else if prev as usize + (*prev).size == start {
                (*prev).size += (*run).size;
                (*prev).next = (*run).next;
            } else {
                (*prev).next = run;
            }
        }
    }

    /// Extends the run `[p, p + old)` to `new` bytes (`new > old`) when the
    /// `new - old` bytes after it are free; the added bytes are not zeroed.
    pub fn grow_in_place(&mut self, p: *mut u8, old: usize, new: usize) -> bool {
        let end = p as usize + old;
        let grow = new - old;
        let mut link: *mut *mut FreeRun = &mut self.free;
        unsafe {
            while !(*link).is_null() && (*link as usize) < end {
                link = &mut (**link).next;
            }
            let run = *link;
            if run as usize == end && (*run).size >= grow {
                Self::shorten(link, grow);
                return true;
            }
        }
        false
    }

    /// The free runs as `(start, size)`, in address order (for tests).
    #[cfg(test)]
    fn runs(&self) -> std::vec::Vec<(usize, usize)> {
        let mut out = std::vec::Vec::new();
        let mut run = self.free;
        while !run.is_null() {
            unsafe {
                out.push((run as usize, (*run).size));
                run = (*run).next;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: usize = PAGE_SIZE;

    /// A region over 16 pages of a leaked, page-aligned buffer.
    fn region() -> (Region, usize) {
        let buf = std::vec![0u8; 17 * P].leak();
        let base = (buf.as_mut_ptr() as usize + P - 1) & !(P - 1);
        let mut r = Region::empty();
        unsafe { r.add(base, base + 16 * P) };
        (r, base)
    }

    #[test]
    fn takes_first_fit_and_runs_out() {
        let (mut r, base) = region();
        assert_eq!(r.take(4 * P), Some(base as *mut u8));
        assert_eq!(r.take(12 * P), Some((base + 4 * P) as *mut u8));
        assert_eq!(r.take(P), None);
        assert_eq!(r.take(0), None);
        assert!(r.runs().is_empty());
    }

    #[test]
    fn freed_runs_merge_with_both_neighbours() {
        let (mut r, base) = region();
        let a = r.take(2 * P).unwrap();
        let b = r.take(3 * P).unwrap();
        let c = r.take(4 * P).unwrap();
        r.give_back(a, 2 * P);
        r.give_back(c, 4 * P);
        assert_eq!(r.runs(), [(base, 2 * P), (base + 5 * P, 11 * P)]);
        r.give_back(b, 3 * P);
        assert_eq!(r.runs(), [(base, 16 * P)]);
        // The whole region serves one request again.
        assert_eq!(r.take(16 * P), Some(base as *mut u8));
    }

    #[test]
    fn parts_of_a_run_can_be_freed() {
        let (mut r, base) = region();
        let p = r.take(8 * P).unwrap() as usize;
        // Trim the front and the back, as the heap does to align arenas.
        r.give_back(p as *mut u8, P);
        r.give_back((p + 6 * P) as *mut u8, 2 * P);
        assert_eq!(r.runs(), [(base, P), (base + 6 * P, 10 * P)]);
    }

    #[test]
    fn aligned_takes_leave_the_rest_free() {
        let (mut r, base) = region();
        let a = r.take(P).unwrap() as usize;
        let align = 4 * P;
        let first = (a + P + align - 1) & !(align - 1);
        let b = r.take_aligned(4 * P, align).unwrap() as usize;
        assert_eq!(b, first);
        // Everything but `a` and `b` is still free, in order.
        let free: usize = r.runs().iter().map(|&(_, n)| n).sum();
        assert_eq!(free, 11 * P);
        assert!(r.runs().iter().all(|&(s, n)| s + n <= b || s >= b + 4 * P));
        r.give_back(b as *mut u8, 4 * P);
        r.give_back(a as *mut u8, P);
        assert_eq!(r.runs(), [(base, 16 * P)]);
        assert_eq!(r.take_aligned(17 * P, P), None);
    }

    #[test]
    fn grows_in_place_only_into_free_memory() {
        let (mut r, base) = region();
        let a = r.take(2 * P).unwrap();
        assert!(r.grow_in_place(a, 2 * P, 5 * P));
        assert_eq!(r.runs(), [(base + 5 * P, 11 * P)]);
        let b = r.take(P).unwrap();
        assert_eq!(b as usize, base + 5 * P);
        assert!(!r.grow_in_place(a, 5 * P, 6 * P));
        assert!(!r.grow_in_place(b, P, 12 * P));
        assert!(r.grow_in_place(b, P, 11 * P));
        assert!(r.runs().is_empty());
    }
}
