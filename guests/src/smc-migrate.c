/* smc-migrate.c: every hart rewrites a tiny function (addi a0, x0, k; ret), runs FENCE.I, yields, calls it and
 * yields again; a call that returns an older k ran stale code. Under the hypervisor the vCPUs migrate between
 * cores at every yield, so a core may resume a vCPU whose code another core rewrote since this core decoded it. */
#include <stdint.h>
#include "console.h"
#include "tessera-hv.h"

#define ITERATIONS 20000u
#define MAX_HARTS 8
#define RET 0x00008067u                 /* jalr x0, 0(ra) */

/* Each hart's function: two instructions, in written memory (all harts' slots share one page). */
static volatile uint32_t code[MAX_HARTS][4] __attribute__((aligned(16)));
static volatile unsigned stale_total;
static volatile unsigned done;

static inline unsigned amoadd(volatile unsigned *p, unsigned v)
{
    unsigned old;
    __asm__ volatile("amoadd.w.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
    return old;
}

static inline uint32_t addi_a0(unsigned k)
{
    return 0x00000513u | (k << 20);     /* addi a0, x0, k (k < 2048) */
}

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid >= MAX_HARTS)
        return 0;
    int hv = hv_present();
    unsigned harts = hv ? hv_vcpu_count() : 1;
    if ((unsigned)hartid >= harts)
        return 0;
    volatile uint32_t *slot = code[hartid];
    int (*call)(void) = (int (*)(void))(uintptr_t)slot;
    unsigned stale = 0, first_stale = 0;
    for (unsigned i = 0; i < ITERATIONS; i++) {
        unsigned k = 1 + i % 2047;
        slot[0] = addi_a0(k);
        slot[1] = RET;
        __asm__ volatile("fence.i" ::: "memory");
        if (hv)
            hv_yield();
        if ((unsigned)call() != k && stale++ == 0)
            first_stale = i;
        if (hv)
            hv_yield();
    }
    if (stale != 0)
        printf("smc-migrate: hart %d: %u stale calls, the first in iteration %u\n", hartid, stale, first_stale);
    amoadd(&stale_total, stale);
    amoadd(&done, 1);
    if (hartid != 0)
        return 0;
    while (done != harts)
        ;
    printf("smc-migrate: %u harts x %u rewrites: %u stale\n", harts, ITERATIONS, stale_total);
    return stale_total != 0;
}
