/* main.c: baseband, the phone's real-time guest: a 1 kHz task on the CLINT timer that measures its own wake-up latency; the modem ring in its spare time. */
#include <stdint.h>
#include "baseband.h"
#include "clint.h"
#include "console.h"
#include "csr.h"
#include "exit.h"
#include "latency-window.h"
#include "tessera-hv.h"

/*
 * As rt-timer: the trap entry (rt-timer/entry.S) reads mtime on its third instruction; latency =
 * entry mtime - deadline in ticks; a miss is a handler that ran at or after the next deadline.
 * The handler re-arms the timer and kicks the watchdog every period. main prints a line every
 * REPORT_EVERY periods and, between periods, handles the modem ring. It sleeps with MIE off (so
 * nothing slips in between its last check and the WFI), then enables MIE to take what woke it.
 * The modem's doorbell interrupt (MEIE) wakes it early, at most DOORBELL_WAKES times a period:
 * past that the handler masks it until the next period, so a doorbell storm cannot eat the core.
 */

#define PERIOD_TICKS   10000u   /* 1 ms */
#define REPORT_EVERY   1000u
#define DOORBELL_WAKES 4u       /* doorbell wake-ups per period; past that, a storm waits for the next tick */

void rt_trap_entry(void);
void rt_trap(uint32_t entry_lo);

volatile uint32_t bb_periods;
static uint64_t deadline;
static int services;
static struct latency_stats window;
static volatile struct latency_report report;
static volatile uint32_t doorbell_budget;
static uint32_t doorbell_irq;           /* 1 << IRQ_M_EXT with a modem channel, else 0 */
static uint32_t total_periods, total_misses;

void rt_trap(uint32_t entry_lo)
{
    unsigned cause = read_csr(mcause);
    if (cause == (MCAUSE_INTERRUPT | IRQ_M_EXT)) {
        modem_doorbell();
        if (doorbell_budget == 0 || --doorbell_budget == 0)
            clear_csr(mie, 1u << IRQ_M_EXT);    /* until the next period */
        return;
    }
    if (cause != (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
        printf("baseband: unexpected trap mcause 0x%x mepc 0x%x mtval 0x%x\n", cause, read_csr(mepc), read_csr(mtval));
        exit(3);
    }
    uint32_t latency = entry_lo - (uint32_t)deadline;
    uint32_t missed = latency / PERIOD_TICKS;
    latency_add(&window, latency, missed);
    deadline += (uint64_t)(missed + 1) * PERIOD_TICKS;
    clint_set_mtimecmp(0, deadline);
    if (services)
        hv_watchdog_kick();
    bb_periods++;
    doorbell_budget = DOORBELL_WAKES;
    set_csr(mie, doorbell_irq);
    if (window.n == REPORT_EVERY)
        latency_hand_over(&report, &window);
}

static void print_report(void)
{
    struct latency_stats s;
    if (!latency_take(&report, &s))
        return;
    total_periods += s.n;
    total_misses += s.misses;
    uint64_t tenths = latency_avg_tenths(&s);
    struct modem_counts m;
    modem_counts(&m);
    printf("baseband: n=%u min=%u avg=%u.%u max=%u misses=%u (total %u periods, %u misses) | modem %u ok, %u bad, %u lost, "
           "%u dup, %u ring errors, %u doorbells\n",
           (unsigned)s.n, (unsigned)s.min, (unsigned)(tenths / 10), (unsigned)(tenths % 10), (unsigned)s.max,
           (unsigned)s.misses, (unsigned)total_periods, (unsigned)total_misses, (unsigned)m.ok, (unsigned)m.bad,
           (unsigned)m.lost, (unsigned)m.dup, (unsigned)m.ring_errors, (unsigned)m.doorbells);
}

/* Sleeps until the next period or the modem's doorbell (the producer rings only when asked to). */
static void sleep_until_work(int modem)
{
    clear_csr(mstatus, MSTATUS_MIE);
    if ((!modem || modem_arm() != MODEM_BUSY) && !report.ready)
        __asm__ volatile("wfi");
    set_csr(mstatus, MSTATUS_MIE);
}

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;   /* one periodic task, on hart 0 */
    services = hv_present();
    int modem = services && modem_setup();
    printf("baseband: 1 kHz task (%u ticks), %s, %s\n", PERIOD_TICKS,
           services ? "kicking the watchdog" : "no hv-services device", modem ? "modem ring on channel 0" : "no modem channel");
    latency_reset(&window);
    doorbell_budget = DOORBELL_WAKES;
    doorbell_irq = modem ? 1u << IRQ_M_EXT : 0u;

    write_csr(mtvec, (uintptr_t)rt_trap_entry);     /* direct mode */
    deadline = clint_mtime() + PERIOD_TICKS;
    clint_set_mtimecmp(0, deadline);
    write_csr(mie, (1u << IRQ_M_TIMER) | doorbell_irq);
    if (services)
        hv_ready(0);
    set_csr(mstatus, MSTATUS_MIE);

    for (;;) {
        print_report();
        if (modem && modem_service())
            continue;
        sleep_until_work(modem);
    }
}
