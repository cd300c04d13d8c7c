/* main.c: rt-timer, the reference real-time guest: a periodic timer interrupt whose entry latency it measures. */
#include <stdint.h>
#include "clint.h"
#include "console.h"
#include "csr.h"
#include "exit.h"
#include "latency-window.h"
#include "tessera-hv.h"

/* Compile-time settings (-D...): deadline period in mtime ticks (10 MHz), periods to run, report interval. */
#ifndef RT_PERIOD_TICKS
#define RT_PERIOD_TICKS 10000u      /* 1 ms */
#endif
#ifndef RT_PERIODS
#define RT_PERIODS 10000u
#endif
#ifndef RT_REPORT_EVERY
#define RT_REPORT_EVERY 1000u
#endif

void rt_trap_entry(void);
void rt_trap(uint32_t entry_lo);

static uint64_t deadline;
static unsigned hart;
static int watchdog;                        /* hv-services answered MAGIC: kick it every period */
static struct latency_stats window, total;
static volatile struct latency_report report;
static volatile int done;

static void stats_print(const char *label, const struct latency_stats *s)
{
    uint64_t tenths = latency_avg_tenths(s);
    printf("rt-timer: %sn=%u min=%u avg=%u.%u max=%u misses=%u\n", label, (unsigned)s->n,
           (unsigned)(s->n ? s->min : 0), (unsigned)(tenths / 10), (unsigned)(tenths % 10), (unsigned)s->max,
           (unsigned)s->misses);
}

/* Prints the window the handler finished, if any (it finishes the next one 1000 periods later). */
static void print_report(void)
{
    struct latency_stats s;
    if (latency_take(&report, &s))
        stats_print("", &s);
}

/* Called by rt_trap_entry with the low word of mtime read on entry. */
void rt_trap(uint32_t entry_lo)
{
    unsigned cause = read_csr(mcause);
    if (cause != (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
        printf("rt-timer: unexpected trap mcause 0x%x mepc 0x%x mtval 0x%x\n", cause, read_csr(mepc), read_csr(mtval));
        exit(3);
    }
    if (done) {
        /* main has not seen `done` yet (or slept again just before it was set): wake it once more */
        clint_set_mtimecmp(hart, clint_mtime() + RT_PERIOD_TICKS);
        return;
    }
    uint32_t latency = entry_lo - (uint32_t)deadline;   /* ticks; exact while below 2^32 */
    uint32_t missed = latency / RT_PERIOD_TICKS;         /* later deadlines that passed before this entry */
    latency_add(&window, latency, missed);
    latency_add(&total, latency, missed);
    deadline += (uint64_t)(missed + 1) * RT_PERIOD_TICKS;
    clint_set_mtimecmp(hart, deadline);
    if (watchdog)
        hv_watchdog_kick();
    if (window.n == RT_REPORT_EVERY)
        latency_hand_over(&report, &window);
    if (total.n == RT_PERIODS)
        done = 1;
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;   /* one timer task, on hart 0 */
    hart = (unsigned)hartid;
    watchdog = hv_present();
    printf("rt-timer: period %u ticks, %u periods, %s\n", RT_PERIOD_TICKS, RT_PERIODS,
           watchdog ? "hv-services present: kicking the watchdog" : "no hv-services device: no watchdog kicks");
    latency_reset(&window);
    latency_reset(&total);

    write_csr(mtvec, (uintptr_t)rt_trap_entry);     /* direct mode */
    deadline = clint_mtime() + RT_PERIOD_TICKS;
    clint_set_mtimecmp(hart, deadline);
    write_csr(mie, 1u << IRQ_M_TIMER);
    if (watchdog)
        hv_ready(0);
    set_csr(mstatus, MSTATUS_MIE);

    /* Sleep between deadlines (or, built with RT_BUSY, compute through them as a superloop does);
       print finished windows here, never in the handler. */
    while (!done) {
#ifdef RT_BUSY
        for (volatile unsigned i = 0; i < 64; i++)
            ;
#else
        __asm__ volatile("wfi");
#endif
        print_report();
    }
    clear_csr(mstatus, MSTATUS_MIE);
    write_csr(mie, 0);
    clint_set_mtimecmp(hart, ~0ull);
    print_report();
    stats_print("done ", &total);
    return total.misses ? 1 : 0;
}
