// SPDX-License-Identifier: MIT
//
// Test support only. On glibc, a program may replace malloc by defining it (glibc manual,
// "Replacing malloc"); these definitions forward every call to glibc's own allocator
// (__libc_malloc and friends), so behaviour is unchanged, and count the calls made by a thread
// that has asked to be counted. The counters are thread-local with the initial-exec model
// (static TLS in the test executable), so reading them never allocates, and tests running in
// parallel on other threads are not counted.
#include "CAllocationCounter.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

// <stddef.h>/<errno.h> pull in <features.h>, which defines __GLIBC__ on glibc.
#if defined(__linux__) && defined(__GLIBC__)

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static __thread int counting __attribute__((tls_model("initial-exec")));
static __thread long allocations __attribute__((tls_model("initial-exec")));

static inline void note(void) {
    if (counting) allocations += 1;
}

void *malloc(size_t size) {
    note();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    note();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    note();
    return __libc_realloc(pointer, size);
}

void free(void *pointer) {
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size) {
    note();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    note();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    note();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *out = pointer;
    return 0;
}

int crampd_allocation_counting_available(void) { return 1; }

void crampd_allocation_counting_begin(void) {
    allocations = 0;
    counting = 1;
}

long crampd_allocation_counting_end(void) {
    counting = 0;
    return allocations;
}

#else

int crampd_allocation_counting_available(void) { return 0; }
void crampd_allocation_counting_begin(void) {}
long crampd_allocation_counting_end(void) { return -1; }

#endif
