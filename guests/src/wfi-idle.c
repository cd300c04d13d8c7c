/* wfi-idle.c: hart 0 sleeps in WFI until a timer 10 ms ahead; the other harts park in WFI forever. */
#include <stdint.h>
#include "console.h"
#include "csr.h"

#define CLINT_MTIMECMP0 ((volatile uint32_t *)0x02004000u)
#define CLINT_MTIME     ((volatile uint32_t *)0x0200bff8u)
#define TICKS_10MS      100000u     /* mtime runs at 10 MHz */

static uint64_t read_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = CLINT_MTIME[1];
        lo = CLINT_MTIME[0];
    } while (hi != CLINT_MTIME[1]);
    return ((uint64_t)hi << 32) | lo;
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;   /* crt0 parks secondary harts in a wfi loop */
    puts("wfi-idle: waiting 10 ms for the timer in WFI");
    uint64_t when = read_mtime() + TICKS_10MS;
    CLINT_MTIMECMP0[1] = 0xffffffffu;   /* no spurious match while the halves change */
    CLINT_MTIMECMP0[0] = (uint32_t)when;
    CLINT_MTIMECMP0[1] = (uint32_t)(when >> 32);
    clear_csr(mstatus, MSTATUS_MIE);    /* wake from WFI on a pending enabled interrupt, take no trap */
    write_csr(mie, 1u << IRQ_M_TIMER);
    while (!(read_csr(mip) & (1u << IRQ_M_TIMER)))
        __asm__ volatile("wfi");
    write_csr(mie, 0);
    CLINT_MTIMECMP0[1] = 0xffffffffu;
    CLINT_MTIMECMP0[0] = 0xffffffffu;
    int late_enough = read_mtime() >= when;
    puts(late_enough ? "wfi-idle: timer fired, done" : "wfi-idle: woke before the deadline");
    return late_enough ? 0 : 1;
}
