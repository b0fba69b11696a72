import CMalloc

/// glibc's allocator hands freed memory back to the kernel eagerly: a relay that frees a 64 KiB
/// buffer per read sees its per-thread heaps shrink (madvise) and fault back in on every read,
/// which costs more than the copying itself. Keeping up to 64 MiB of free memory per heap, and
/// serving buffers below 16 MiB from the heaps rather than from fresh mappings, removes that
/// churn; the memory stays reusable by the process.
///
/// One heap for every thread: glibc gives each new thread a heap of its own (up to eight per
/// core), and a configuration revision built on one thread and freed while the next is built on
/// another leaves each heap holding a revision's worth of free memory. A 10,000-user node grew
/// from 86 to 176 MiB over twenty edits with its own heaps, to 118 MiB with one, and held 35
/// rather than 53 MiB after relaying 12 GiB over SOCKS5, for the same CPU time (2 cores: the
/// event loops rarely meet on the heap's lock, and small blocks come from per-thread caches).
enum MallocTuning {
    /// Called first thing in the process, before any thread but the main one has allocated.
    static func apply() {
        _ = mallopt(M_ARENA_MAX, 1)
        _ = mallopt(M_TRIM_THRESHOLD, 64 << 20)
        _ = mallopt(M_MMAP_THRESHOLD, 16 << 20)
    }

    /// Returns the free memory of every heap to the kernel, whatever the threshold above; the
    /// node calls it after its load has dropped (HeapTrim), not on the data path.
    @Sendable static func trim() {
        _ = malloc_trim(0)
    }
}
