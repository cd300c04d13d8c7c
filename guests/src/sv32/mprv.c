/* mprv.c: M-mode loads with MPRV translate and check as MPP's mode would (SUM and MXR included); fetches do not. */
#include "console.h"
#include "sv32.h"

static void mprv_row(const char *what, uint32_t flags, uint32_t bits)
{
    pt_map(VA_T, (uintptr_t)test_page[0], PTE_V | PTE_A | PTE_D | flags);
    sfence_all();
    uint32_t v = probe_mprv_lw(PROBE_MPRV | bits, VA_T + DATA_OFF);
    printf("mprv %-12s", what);
    probe_show("ld", VA_T + DATA_OFF);
    if (probe_cause == PROBE_NONE)
        printf(" value=%x", (unsigned)v);
    printf("\n");
}

void test_mprv(void)
{
    mprv_row("mpp=S", PTE_R, PROBE_S);
    mprv_row("mpp=U", PTE_R, PROBE_U);
    mprv_row("mpp=U,U", PTE_R | PTE_U, PROBE_U);
    mprv_row("mpp=S,U", PTE_R | PTE_U, PROBE_S);
    mprv_row("mpp=S,U,SUM", PTE_R | PTE_U, PROBE_S | PROBE_SUM);
    mprv_row("mpp=S,X", PTE_X, PROBE_S);
    mprv_row("mpp=S,X,MXR", PTE_X, PROBE_S | PROBE_MXR);
    /* MPP = M: physical, so the test page's own address. */
    uint32_t v = probe_mprv_lw(PROBE_MPRV | PROBE_M, (uintptr_t)test_page[0] + DATA_OFF);
    printf("mprv mpp=M       ");
    probe_show("ld", 0);
    printf(" value=%x\n", (unsigned)v);
}
