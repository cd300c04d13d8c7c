/* smp-counter.c: every hart adds to two shared counters (AMOADD.W and an LR/SC loop); hart 0 checks the totals. */
#include "console.h"
#include "fdt.h"

#define K 100000u

static volatile unsigned amo_counter;
static volatile unsigned lrsc_counter;
static volatile unsigned barrier_count;
static volatile unsigned barrier_sense;
static volatile unsigned hart_total;     /* published by hart 0 before it releases the others */

static inline unsigned amoadd(volatile unsigned *p, unsigned v)
{
    unsigned old;
    __asm__ volatile("amoadd.w.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
    return old;
}

static inline void lrsc_add(volatile unsigned *p, unsigned v)
{
    unsigned old, fail;
    __asm__ volatile(
        "1: lr.w.aq  %0, (%2)\n"
        "   add      %1, %0, %3\n"
        "   sc.w.rl  %1, %1, (%2)\n"
        "   bnez     %1, 1b\n"
        : "=&r"(old), "=&r"(fail) : "r"(p), "r"(v) : "memory");
}

static inline unsigned load_acquire(volatile unsigned *p)
{
    unsigned v = *p;
    __asm__ volatile("fence r, rw" ::: "memory");
    return v;
}

/* Sense-reversing barrier: the last hart to arrive resets the count and flips the sense. */
static void barrier(unsigned harts, unsigned *local_sense)
{
    unsigned sense = *local_sense ^ 1;
    *local_sense = sense;
    if (amoadd(&barrier_count, 1) == harts - 1) {
        barrier_count = 0;
        __asm__ volatile("fence rw, w" ::: "memory");
        barrier_sense = sense;
    } else {
        while (load_acquire(&barrier_sense) != sense)
            ;
    }
}

static volatile unsigned start_flag;
extern char __max_harts[];              /* link.ld: harts beyond this get no stack and park in crt0 */

int main(int hartid, const void *fdt)
{
    unsigned harts;
    if (hartid == 0) {
        int n = fdt_count_cpus(fdt);
        unsigned max = (unsigned)__max_harts;
        if (n <= 0)
            hart_total = 1;             /* no usable device tree: hart 0 alone */
        else
            hart_total = (unsigned)n < max ? (unsigned)n : max;
        __asm__ volatile("fence rw, w" ::: "memory");
        start_flag = 1;
    } else {
        while (!load_acquire(&start_flag))
            ;
    }
    harts = hart_total;
    if ((unsigned)hartid >= harts)
        return 0;

    unsigned sense = 0;
    barrier(harts, &sense);             /* everyone starts together */
    for (unsigned i = 0; i < K; i++)
        amoadd(&amo_counter, 1);
    for (unsigned i = 0; i < K; i++)
        lrsc_add(&lrsc_counter, 1);
    barrier(harts, &sense);             /* everyone is done */

    if (hartid != 0)
        return 0;
    unsigned want = harts * K, amo = amo_counter, lrsc = lrsc_counter;
    int ok = amo == want && lrsc == want;
    printf("smp-counter: %u harts x %u: amoadd %u lr/sc %u %s\n", harts, K, amo, lrsc, ok ? "OK" : "MISMATCH");
    return ok ? 0 : 1;
}
