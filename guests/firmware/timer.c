/* timer.c: the SBI TIME extension: with Sstc, set_timer writes stimecmp; otherwise it arms the CLINT's mtimecmp and the M timer interrupt becomes S's STIP. Hand-written from the SBI v2.0 TIME chapter, not taken from OpenSBI. */
#include <stdint.h>
#include "clint.h"
#include "csr.h"
#include "fw.h"
#include "sbi.h"

int fw_sstc;

/* With Sstc (menvcfg.STCE on): stimecmp, high word out of reach first so no half-written value fires. */
static void set_stimecmp(uint32_t lo, uint32_t hi)
{
    __asm__ volatile("csrw 0x15d, %0\n\tcsrw 0x14d, %1\n\tcsrw 0x15d, %2" ::"r"(~0u), "r"(lo), "r"(hi));
}

/* set_timer: the next S timer event at stime_value; clears a pending STIP and unmasks MTIE. */
struct sbiret timer_set(unsigned hartid, uint32_t lo, uint32_t hi)
{
    if (fw_sstc) {
        set_stimecmp(lo, hi);
        return (struct sbiret){ SBI_SUCCESS, 0 };
    }
    clint_set_mtimecmp(hartid, ((uint64_t)hi << 32) | lo);
    clear_csr(mip, 1u << IRQ_S_TIMER);
    set_csr(mie, 1u << IRQ_M_TIMER);
    return (struct sbiret){ SBI_SUCCESS, 0 };
}

/* The M timer interrupt: pass it to S as STIP and mask MTIE until S sets the timer again. */
void timer_handle_irq(void)
{
    set_csr(mip, 1u << IRQ_S_TIMER);
    clear_csr(mie, 1u << IRQ_M_TIMER);
}

/* A stopping hart: no timer, no pending S interrupts left for whoever starts it next. */
void timer_stop(unsigned hartid)
{
    clear_csr(mie, 1u << IRQ_M_TIMER);
    if (fw_sstc)
        set_stimecmp(~0u, ~0u);
    clint_set_mtimecmp(hartid, ~0ull);
    clear_csr(mip, (1u << IRQ_S_TIMER) | (1u << IRQ_S_SOFT));
}
