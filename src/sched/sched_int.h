/* SPDX-License-Identifier: MIT */
/* sched_int.h: what the engine's files share; no other module includes it. */
#ifndef CV_SCHED_INT_H
#define CV_SCHED_INT_H

#include <stdint.h>

/* xorshift64*: a small, seeded, reproducible generator for the local searches. */
static inline uint64_t sched_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

#endif
