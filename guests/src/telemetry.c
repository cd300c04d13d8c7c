/* telemetry.c: a periodic telemetry task: every 10 ms it wakes on its timer, checksums a synthetic sensor frame and notes how late it woke. */
#include <stdint.h>
#include "clint.h"
#include "console.h"
#include "csr.h"

/*
 * Sleeps in WFI (MIE off, MTIE on: no trap) until each deadline. Under time partitioning the
 * wake-up waits for the VM's window, so `late` shows where the window lies in the frame. Prints
 * a line every REPORT_EVERY frames; never exits.
 */

#define PERIOD_TICKS (10u * CLINT_TICKS_PER_MS)
#define REPORT_EVERY 10u
#define FRAME_WORDS  256u

static uint32_t frame[FRAME_WORDS];

static uint32_t sample(uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < FRAME_WORDS; i++) {
        uint32_t x = (n + 1) * 0x9e3779b1u ^ i * 0x85ebca6bu;
        frame[i] = x ^ (x >> 15);
        h = (h ^ frame[i]) * 16777619u;
    }
    return h;
}

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    printf("telemetry: a sensor frame every 10 ms, a line every %u frames\n", REPORT_EVERY);
    uint64_t deadline = clint_mtime() + PERIOD_TICKS;
    uint32_t late_max = 0, check = 0;
    write_csr(mie, 1u << IRQ_M_TIMER);
    for (uint32_t n = 1;; n++) {
        clint_set_mtimecmp(0, deadline);
        uint64_t now;
        while ((now = clint_mtime()) < deadline)
            __asm__ volatile("wfi");
        uint32_t late = (uint32_t)(now - deadline);
        if (late > late_max)
            late_max = late;
        check ^= sample(n);
        if (n % REPORT_EVERY == 0) {
            printf("telemetry: frame %u checksum 0x%08x, woke up to %u ticks late\n", (unsigned)n, (unsigned)check, (unsigned)late_max);
            late_max = 0;
        }
        deadline += PERIOD_TICKS;
        if (deadline <= now)
            deadline = now + PERIOD_TICKS;
    }
}
