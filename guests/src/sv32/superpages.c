/* superpages.c: a 4 MiB leaf in the root (translation, A/D in the root PTE) and the misaligned-superpage fault. */
#include "console.h"
#include "sv32.h"

void test_superpages(void)
{
    uintptr_t data = VA_MEGA + ((uintptr_t)test_page[2] - 0x80000000u) + DATA_OFF;
    pt_mega(0, VA_MEGA, 0x80000000u, PTE_V | PTE_R | PTE_W);
    sfence_all();
    uint32_t v = probe_run(PROBE_S, (uintptr_t)probe_lw, data + 4, 0);
    printf("mega load=%x root=%02x", (unsigned)v, (unsigned)(pt_root(VA_MEGA) & 0xff));
    probe_run(PROBE_S, (uintptr_t)probe_sw, data, 0xbeef);
    printf(" store root=%02x word=%x", (unsigned)(pt_root(VA_MEGA) & 0xff), (unsigned)((volatile uint32_t *)(test_page[2] + DATA_OFF))[0]);
    probe_show("trap", 0);
    printf("\n");

    /* The same leaf with ppn[0] != 0 is misaligned: a page fault for every access type. */
    pt_mega(0, VA_MEGA, 0x80001000u, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    sfence_all();
    printf("mega misaligned");
    probe_run(PROBE_S, (uintptr_t)probe_lw, VA_MEGA + 0x10, 0);
    probe_show("ld", VA_MEGA + 0x10);
    probe_run(PROBE_S, (uintptr_t)probe_sw, VA_MEGA + 0x20, 0);
    probe_show("st", VA_MEGA + 0x20);
    probe_run(PROBE_S, (uintptr_t)probe_jump, VA_MEGA + 0x30, 0);
    probe_show("fx", VA_MEGA + 0x30);
    printf("\n");
    pt_mega(0, VA_MEGA, 0, 0);
    sfence_all();
}
