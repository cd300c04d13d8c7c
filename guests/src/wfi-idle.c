/* wfi-idle.c: hart 0 sleeps in WFI until a timer 10 ms ahead; the other harts park in WFI forever. */
#include <stdint.h>
#include "clint.h"
#include "console.h"
#include "csr.h"

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;   /* crt0 parks secondary harts in a wfi loop */
    puts("wfi-idle: waiting 10 ms for the timer in WFI");
    uint64_t when = clint_mtime() + 10 * CLINT_TICKS_PER_MS;
    clint_set_mtimecmp(0, when);
    clear_csr(mstatus, MSTATUS_MIE);    /* wake from WFI on a pending enabled interrupt, take no trap */
    write_csr(mie, 1u << IRQ_M_TIMER);
    while (!(read_csr(mip) & (1u << IRQ_M_TIMER)))
        __asm__ volatile("wfi");
    write_csr(mie, 0);
    clint_set_mtimecmp(0, ~0ull);
    int late_enough = clint_mtime() >= when;
    puts(late_enough ? "wfi-idle: timer fired, done" : "wfi-idle: woke before the deadline");
    return late_enough ? 0 : 1;
}
