/* watchdog.c: kicks the hypervisor watchdog every 1 ms for 50 ms, then spins forever without kicking. */
#include <stdint.h>
#include "clint.h"
#include "console.h"
#include "csr.h"
#include "tessera-hv.h"

#define KICKS 50

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    int hv = hv_present();
    printf("watchdog: kicking every 1 ms for %d ms%s\n", KICKS, hv ? "" : " (no hv-services device: kicks skipped)");
    uint64_t next = clint_mtime();
    write_csr(mie, 1u << IRQ_M_TIMER);  /* mstatus.MIE stays 0: WFI wakes on the timer, no trap taken */
    for (int i = 0; i < KICKS; i++) {
        if (hv)
            hv_watchdog_kick();
        next += CLINT_TICKS_PER_MS;
        clint_set_mtimecmp((unsigned)hartid, next);
        while (!(read_csr(mip) & (1u << IRQ_M_TIMER)))
            __asm__ volatile("wfi");
    }
    write_csr(mie, 0);
    clint_set_mtimecmp((unsigned)hartid, ~0ull);
    puts("watchdog: stopped kicking");
    for (volatile unsigned spin = 0;; spin++)
        ;
}
