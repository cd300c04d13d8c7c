/* faults.c: sbi-check's exception checks: an illegal instruction reaches S-mode, and a firmware in RAM is closed to S (PMP) and to DBCN. Hand-written: each check names the spec behaviour it expects. */
#include "check.h"
#include "console.h"
#include "csr.h"
#include "sbi-call.h"

#define FIRMWARE_BASE 0x80000000u

void fault_checks(void)
{
    struct s_events *e = &events[cur_hart()];
    e->exc_cause = 0xffffffffu;
    __asm__ volatile(".2byte 0x0000" ::: "memory");   /* c.unimp: an all-zero parcel is always illegal */
    check_eq("illegal instruction: trap in S-mode, scause 2", (long)e->exc_cause, CAUSE_ILLEGAL);

    /* A firmware in RAM (--bios, OpenSBI) hides itself with PMP, and DBCN refuses to print from it;
       Tessera's built-in SBI occupies no RAM, so there is nothing to hide. */
    e->exc_cause = 0xffffffffu;
    uint32_t v = *(volatile uint32_t *)FIRMWARE_BASE;
    (void)v;
    if (e->exc_cause == 0xffffffffu) {
        puts("sbi-check: 0x80000000 is readable from S-mode: no firmware in RAM (a built-in SBI), so no checks of its region");
    } else {
        check_true("load from the firmware at 0x80000000: load access fault in S-mode",
                   e->exc_cause == CAUSE_LOAD_ACCESS && e->exc_tval == FIRMWARE_BASE);
        struct sbiret r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 8, FIRMWARE_BASE, 0, 0, 0);
        check_eq("DBCN console_write from the firmware's RAM: SBI_ERR_INVALID_PARAM", r.error, SBI_ERR_INVALID_PARAM);
    }

    uint64_t t0 = rdtime64();
    for (volatile int i = 0; i < 10000; i++)
        ;
    check_true("rdtime from S-mode advances", rdtime64() > t0);
}
