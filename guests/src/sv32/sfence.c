/* sfence.c: SFENCE.VMA by address, by ASID and both make a changed mapping visible; two roots under two ASIDs;
   the illegal-instruction rules of SFENCE.VMA and satp (U-mode, TVM). */
#include "console.h"
#include "csr.h"
#include "sv32.h"

#define MSTATUS_TVM (1u << 20)

static uint32_t load_s(void)
{
    return probe_run(PROBE_S, (uintptr_t)probe_lw, VA_T + DATA_OFF, 0);
}

static void remap(int page)
{
    pt_map(VA_T, (uintptr_t)test_page[page], PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
}

void test_sfence(void)
{
    pt_use(0, 1);
    remap(0);
    sfence_all();
    printf("sfence all=%x", (unsigned)load_s());
    remap(1);
    __asm__ volatile("sfence.vma %0, zero" :: "r"(VA_T) : "memory");
    printf(" by-address=%x", (unsigned)load_s());
    remap(2);
    __asm__ volatile("sfence.vma zero, %0" :: "r"(1) : "memory");
    printf(" by-asid=%x", (unsigned)load_s());
    remap(0);
    __asm__ volatile("sfence.vma %0, %1" :: "r"(VA_T + DATA_OFF), "r"(1) : "memory");
    printf(" both=%x\n", (unsigned)load_s());

    /* Root 1 maps VA_OTHER with a superpage, root 0 leaves it unmapped: satp picks the address space. */
    uintptr_t other = VA_OTHER + ((uintptr_t)test_page[2] - 0x80000000u) + DATA_OFF;
    pt_mega(1, VA_OTHER, 0x80000000u, PTE_V | PTE_R | PTE_A | PTE_D);
    pt_use(1, 2);
    printf("asid 2: %x", (unsigned)probe_run(PROBE_S, (uintptr_t)probe_lw, other, 0));
    probe_show("ld", other);
    pt_use(0, 1);
    probe_run(PROBE_S, (uintptr_t)probe_lw, other, 0);
    printf(" | asid 1:");
    probe_show("ld", other);
    printf(" | asid 1 VA_T: %x\n", (unsigned)load_s());

    printf("sfence-rules");
    probe_run(PROBE_U, probe_at(PROBE_U, probe_sfence), 0, 0);
    probe_show("U-sfence", 0x12000073u);
    set_csr(mstatus, MSTATUS_TVM);
    probe_run(PROBE_S, (uintptr_t)probe_sfence, 0, 0);
    probe_show("S-sfence-tvm", 0x12000073u);
    probe_run(PROBE_S, (uintptr_t)probe_satp, 0, 0);
    probe_show("S-satp-tvm", 0x18002573u);
    clear_csr(mstatus, MSTATUS_TVM);
    probe_run(PROBE_S, (uintptr_t)probe_sfence, 0, 0);
    probe_show("S-sfence", 0);
    uint32_t satp = probe_run(PROBE_S, (uintptr_t)probe_satp, 0, 0);
    probe_show("S-satp", 0);
    printf(" satp-asid=%u\n", (unsigned)(satp >> 22) & 0x1ff);
}
