/* chan-ping.c: ping-pong over channel 0 between a VM named "ping..." and its peer, woken by doorbells. */
#include <stdint.h>
#include "clint.h"
#include "console.h"
#include "csr.h"
#include "tessera-doorbell.h"
#include "tessera-hv.h"
#include "vm-channel.h"

#define ROUND_TRIPS 10000u

/* The window: each side writes only its own cache line. */
struct window {
    volatile uint32_t ping;
    uint32_t pad0[15];
    volatile uint32_t pong;
    uint32_t pad1[15];
};

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    if (!vm_has_channel("chan-ping"))
        return 2;
    int pinger = hv_name_starts("ping");
    struct window *w = (struct window *)doorbell_read(0, DOORBELL_CH_BASE);
    plic_enable(0, doorbell_read(0, DOORBELL_CH_IRQ));
    write_csr(mie, 1u << 11); /* MEIE: the doorbell wakes WFI */

    if (pinger) {
        uint64_t min = ~0ull, max = 0, total = 0;
        for (uint32_t seq = 1; seq <= ROUND_TRIPS; seq++) {
            uint64_t start = clint_mtime();
            w->ping = seq;
            doorbell_ring(0);
            while (w->pong != seq)
                doorbell_sleep(0);
            uint64_t rtt = clint_mtime() - start;
            total += rtt;
            if (rtt < min) min = rtt;
            if (rtt > max) max = rtt;
        }
        printf("chan-ping: %u round trips answered in order\n", ROUND_TRIPS);
        printf("chan-ping: round trip min %llu avg %llu max %llu ticks\n", min, total / ROUND_TRIPS, max);
        return 0;
    }
    for (uint32_t expected = 1; expected <= ROUND_TRIPS; expected++) {
        while (w->ping != expected) {
            if (w->ping > expected) {
                printf("chan-ping: got %u, expected %u\n", (unsigned)w->ping, (unsigned)expected);
                return 1;
            }
            doorbell_sleep(0);
        }
        __asm__ volatile("fence r, rw" ::: "memory");
        w->pong = expected;
        doorbell_ring(0);
    }
    printf("chan-ping: answered %u pings\n", ROUND_TRIPS);
    return 0;
}
