/* bench-sv32: the bench guest in S-mode under Sv32, for bench:cpu's translated run: RAM and the devices
   identity-mapped with 4 MiB superpages, so after the first touches every access hits the TLB. */
#include <stdint.h>
#include "csr.h"
#include "exit.h"

#define MEGA_RWX_AD 0xcfu       /* V R W X A D */
#define SATP_SV32   0x80000000u

int bench_main(int hartid, const void *fdt);

static uint32_t root[1024] __attribute__((aligned(4096)));

static void __attribute__((noreturn)) s_entry(int hartid, const void *fdt)
{
    exit(bench_main(hartid, fdt));
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    /* The test device (0x00100000), the UART (0x10000000) and RAM (0x80000000 up): each 4 MiB at itself. */
    root[0x00100000u >> 22] = (0x00000000u >> 12) << 10 | MEGA_RWX_AD;
    root[0x10000000u >> 22] = (0x10000000u >> 12) << 10 | MEGA_RWX_AD;
    for (uint32_t va = 0x80000000u; va != 0; va += 0x400000u)
        root[va >> 22] = (va >> 12) << 10 | MEGA_RWX_AD;
    write_csr(pmpaddr0, 0xffffffffu);
    write_csr(pmpcfg0, 0x1fu);
    write_csr(mcounteren, 0xffffffffu);
    write_csr(satp, SATP_SV32 | ((uintptr_t)root >> 12));
    __asm__ volatile("sfence.vma" ::: "memory");
    clear_csr(mstatus, MSTATUS_MPP);
    set_csr(mstatus, 1u << 11);  /* MPP = S */
    write_csr(mepc, (uintptr_t)s_entry);
    register int a0 __asm__("a0") = hartid;
    register const void *a1 __asm__("a1") = fdt;
    __asm__ volatile("mret" :: "r"(a0), "r"(a1) : "memory");
    __builtin_unreachable();
}
