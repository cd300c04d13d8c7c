/* faults.c: sbi-check's exception checks: an illegal instruction reaches S-mode, and the firmware's memory is closed to S (PMP). Hand-written: each check names the spec behaviour it expects. */
#include "check.h"
#include "csr.h"
#include "sbi-call.h"

#define FIRMWARE_BASE 0x80000000u

void fault_checks(void)
{
    struct s_events *e = &events[cur_hart()];
    e->exc_cause = 0xffffffffu;
    __asm__ volatile(".2byte 0x0000" ::: "memory");   /* c.unimp: an all-zero parcel is always illegal */
    check_eq("illegal instruction: trap in S-mode, scause 2", (long)e->exc_cause, CAUSE_ILLEGAL);

    e->exc_cause = 0xffffffffu;
    uint32_t v = *(volatile uint32_t *)FIRMWARE_BASE;
    (void)v;
    check_true("load from the firmware at 0x80000000: load access fault in S-mode",
               e->exc_cause == CAUSE_LOAD_ACCESS && e->exc_tval == FIRMWARE_BASE);

    uint64_t t0 = rdtime64();
    for (volatile int i = 0; i < 10000; i++)
        ;
    check_true("rdtime from S-mode advances", rdtime64() > t0);
}
