/* clint.h: the CLINT of QEMU virt: mtime (10 MHz) and per-hart mtimecmp, read and written as 32-bit halves. */
#ifndef CLINT_H
#define CLINT_H

#include <stdint.h>

#define CLINT_BASE        0x02000000u
#define CLINT_MTIMECMP(h) ((volatile uint32_t *)(CLINT_BASE + 0x4000u + 8u * (uint32_t)(h)))
#define CLINT_MTIME       ((volatile uint32_t *)(CLINT_BASE + 0xbff8u))
#define CLINT_TICKS_PER_MS 10000u   /* timebase-frequency 10 MHz */

/* hi, lo, hi again until both hi reads agree (no carry in between). */
static inline uint64_t clint_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = CLINT_MTIME[1];
        lo = CLINT_MTIME[0];
    } while (hi != CLINT_MTIME[1]);
    return ((uint64_t)hi << 32) | lo;
}

/* High half to all-ones first, so no intermediate value makes the timer fire early. */
static inline void clint_set_mtimecmp(unsigned hart, uint64_t when)
{
    volatile uint32_t *cmp = CLINT_MTIMECMP(hart);
    cmp[1] = 0xffffffffu;
    cmp[0] = (uint32_t)when;
    cmp[1] = (uint32_t)(when >> 32);
}

#endif
