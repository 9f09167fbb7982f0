// SPDX-License-Identifier: MIT
// Counts heap allocations made by the current thread, for tests that prove a code path
// allocates nothing. See AllocationCounter.c.
#ifndef CRAMPD_ALLOCATION_COUNTER_H
#define CRAMPD_ALLOCATION_COUNTER_H

/// 1 where allocations can be counted (Linux with glibc), 0 elsewhere.
int crampd_allocation_counting_available(void);

/// Starts counting the calling thread's allocations from zero.
void crampd_allocation_counting_begin(void);

/// Stops counting and returns how many allocations the calling thread made since `begin`.
long crampd_allocation_counting_end(void);

#endif
