/* accessed.c: A and D as the hart sets them: A on every access, D on stores and AMOs, nothing on a fault. */
#include "console.h"
#include "sv32.h"

/* Maps VA_T fresh (A and D clear) with `flags`, runs one probe in S-mode, prints the PTE's low byte. */
static void after(const char *what, uint32_t flags, const char *probe, uintptr_t a0, uint32_t a1)
{
    pt_map(VA_T, (uintptr_t)test_page[1], PTE_V | flags);
    sfence_all();
    probe_run(PROBE_S, (uintptr_t)probe, a0, a1);
    printf("ad %-14s pte=%02x", what, (unsigned)(pt_leaf(VA_T) & 0xff));
    probe_show("trap", a0);
    printf("\n");
}

void test_accessed_dirty(void)
{
    uintptr_t data = VA_T + DATA_OFF;
    after("load", PTE_R | PTE_W, probe_lw, data, 0);
    after("store", PTE_R | PTE_W, probe_sw, data, 7);
    after("fetch", PTE_R | PTE_X, probe_jump, VA_T, 0);
    after("amo", PTE_R | PTE_W, probe_amo, data, 1);
    after("lr", PTE_R | PTE_W, probe_lr, data, 0);
    after("store-ro", PTE_R, probe_sw, data, 7);
    after("load-xonly", PTE_X, probe_lw, data, 0);
    after("fetch-noexec", PTE_R | PTE_W, probe_jump, VA_T, 0);
    /* A store after a load of the same page: the second access must still set D. */
    pt_map(VA_T, (uintptr_t)test_page[1], PTE_V | PTE_R | PTE_W);
    sfence_all();
    probe_run(PROBE_S, (uintptr_t)probe_lw, data, 0);
    uint32_t loaded = pt_leaf(VA_T) & 0xff;
    probe_run(PROBE_S, (uintptr_t)probe_sw, data, 9);
    printf("ad load-then-store pte=%02x then %02x\n", (unsigned)loaded, (unsigned)(pt_leaf(VA_T) & 0xff));
}
