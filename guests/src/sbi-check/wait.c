/* wait.c: sbi-check's bounded waits, timed by the time CSR (mcounteren.TM lets S read it), asleep in WFI between looks. Hand-written: the waits sleep so they also work where harts share a host thread. */
#include <stdint.h>
#include "check.h"
#include "csr.h"
#include "sbi-call.h"

#define WAIT_TICKS 20000000u   /* two seconds at QEMU virt's 10 MHz timebase */
#define NAP_TICKS  1000u       /* 100 us */

uint64_t rdtime64(void)
{
    uint32_t hi, lo, hi2;
    do {
        __asm__ volatile("csrr %0, timeh" : "=r"(hi));
        __asm__ volatile("csrr %0, time" : "=r"(lo));
        __asm__ volatile("csrr %0, timeh" : "=r"(hi2));
    } while (hi != hi2);
    return ((uint64_t)hi << 32) | lo;
}

/* sbi-check runs with sstatus.SIE = 0, so an interrupt cannot slip in between a caller's last look
   and its WFI (and leave it asleep for good): WFI wakes on any interrupt pending and enabled in sie
   whatever SIE says, and opening SIE for a moment then takes it. */
void wfi_then_take(void)
{
    __asm__ volatile("wfi");
    set_csr(sstatus, MSTATUS_SIE);
    clear_csr(sstatus, MSTATUS_SIE);
}

/* Sleep until the S timer interrupt 100 us from now (or any other interrupt). Sleeping instead of
   spinning lets the other harts run where QEMU runs them all on one thread (-icount). */
void nap(void)
{
    uint64_t when = rdtime64() + NAP_TICKS;
    set_csr(sie, 1u << IRQ_S_TIMER);
    sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, (uint32_t)when, (uint32_t)(when >> 32), 0, 0, 0);
    wfi_then_take();
}

int wait_for(volatile uint32_t *p, uint32_t want)
{
    uint64_t end = rdtime64() + WAIT_TICKS;
    while (*p != want) {
        if (rdtime64() > end)
            return 0;
        nap();
    }
    return 1;
}
