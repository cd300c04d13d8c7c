/* sv32: page tables with every permission combination, A/D updates, superpages and their misalignment,
   SUM/MXR/MPRV, page faults and their tval, SFENCE.VMA by address and ASID; prints what each access did. */
#include "console.h"
#include "csr.h"
#include "sv32.h"

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    /* S and U reach memory only through a PMP entry: all of it, RWX. */
    write_csr(pmpaddr0, 0xffffffffu);
    write_csr(pmpcfg0, 0x1fu);
    pt_reset();
    pt_use(0, 0);
    test_permissions();
    test_accessed_dirty();
    test_superpages();
    test_mprv();
    test_sfence();
    write_csr(satp, 0);
    printf("sv32: done\n");
    return 0;
}
