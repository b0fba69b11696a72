import CMalloc

/// glibc's allocator hands freed memory back to the kernel eagerly: a relay that frees a 64 KiB
/// buffer per read sees its per-thread heaps shrink (madvise) and fault back in on every read,
/// which costs more than the copying itself. Keeping up to 64 MiB of free memory per heap, and
/// serving buffers below 16 MiB from the heaps rather than from fresh mappings, removes that
/// churn; the memory stays reusable by the process.
enum MallocTuning {
    static func apply() {
        _ = mallopt(M_TRIM_THRESHOLD, 64 << 20)
        _ = mallopt(M_MMAP_THRESHOLD, 16 << 20)
    }

    /// Returns the free memory of every heap to the kernel, whatever the threshold above; the
    /// node calls it after its load has dropped (HeapTrim), not on the data path.
    @Sendable static func trim() {
        _ = malloc_trim(0)
    }
}
