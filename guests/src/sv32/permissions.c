/* permissions.c: every combination of R, W, X and U on a 4 KiB leaf, against S and U loads, stores and
   fetches, and S with SUM and MXR. (No AMOs here: QEMU 7.2 reports an AMO on an unreadable page as a load
   page fault where the spec, and Tessera, say store/AMO page fault; the unit tests cover AMO faults.) */
#include "console.h"
#include "sv32.h"

static void access_row(uint32_t mode, const char *tag)
{
    uintptr_t data = VA_T + DATA_OFF;
    printf(" |%s", tag);
    probe_run(mode, probe_at(mode & PROBE_S, probe_lw), data, 0);
    probe_show("ld", data);
    probe_run(mode, probe_at(mode & PROBE_S, probe_sw), data + 4, 0x5a5a);
    probe_show("st", data + 4);
    uint32_t landed = probe_run(mode, probe_at(mode & PROBE_S, probe_jump), VA_T, 0);
    probe_show("fx", VA_T);
    if (probe_cause == PROBE_NONE && landed != 0x42)
        printf("(ran 0x%x)", (unsigned)landed);
}

void test_permissions(void)
{
    static const char *names[16] = {
        "----", "R---", "-W--", "RW--", "--X-", "R-X-", "-WX-", "RWX-",
        "---U", "R--U", "-W-U", "RW-U", "--XU", "R-XU", "-WXU", "RWXU",
    };
    for (uint32_t combo = 0; combo < 16; combo++) {
        uint32_t flags = PTE_V | PTE_A | PTE_D | (combo & 7) << 1 | ((combo & 8) ? PTE_U : 0);
        pt_map(VA_T, (uintptr_t)test_page[0], flags);
        sfence_all();
        printf("perm %s", names[combo]);
        access_row(PROBE_S, "S");
        access_row(PROBE_S | PROBE_SUM, "S+SUM");
        access_row(PROBE_S | PROBE_MXR, "S+MXR");
        access_row(PROBE_U, "U");
        printf("\n");
    }
    /* V = 0 faults whatever the other bits say. */
    pt_map(VA_T, (uintptr_t)test_page[0], PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    sfence_all();
    printf("perm invalid");
    access_row(PROBE_S, "S");
    printf("\n");
}
