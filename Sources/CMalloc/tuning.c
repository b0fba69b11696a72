#include "CMalloc.h"

// glibc's allocator, set up before anything else in the process runs, so that it holds for every
// thread: the limit on heaps applies only to threads that have not allocated yet. Why these
// values: MallocTuning in the executable.
__attribute__((constructor)) static void hy2scale_malloc_tuning(void) {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
}
