/* check.h: what sbi-check's files share: the trap counters, the hand-over with the started hart, the checks and their reporter. Hand-written; nothing here is generated. */
#ifndef CHECK_H
#define CHECK_H

#include <stdint.h>

/* Set by the S trap handler (per hart for interrupts). */
struct s_events {
    volatile uint32_t timer;       /* S timer interrupts */
    volatile uint32_t soft;        /* S software interrupts */
    volatile uint32_t exc_cause;   /* last exception's scause */
    volatile uint32_t exc_tval;
};
#define CHECK_MAX_HARTS 8
extern struct s_events events[CHECK_MAX_HARTS];

/* Hand-over between the boot hart and a started hart. */
extern volatile uint32_t sec_started;   /* incremented by the started hart once it has printed */
extern volatile uint32_t sec_stop;      /* set by the boot hart: the started hart calls hart_stop */
extern volatile uint32_t sec_hartid;    /* the hart id the boot hart starts, which must arrive in a0 */
void secondary_start(void);             /* entry.S: where hart_start sends the other hart */

/* report.c: one line per check, "ok   NAME" or "FAIL NAME: got X, want Y"; counts both. */
void check_eq(const char *name, long got, long want);
void check_true(const char *name, int ok);
extern unsigned checks_passed, checks_failed;

/* wait.c: spin until *p == want or about two seconds of mtime have passed; returns whether it got there. */
int wait_for(volatile uint32_t *p, uint32_t want);
void nap(void);   /* WFI until an interrupt, at most about 100 us (an S timer interrupt) */
void wfi_then_take(void);   /* with sstatus.SIE = 0: WFI, then take the interrupt that woke it */
uint64_t rdtime64(void);

/* trap.c */
void s_trap(void);
unsigned cur_hart(void);

/* The groups of checks, in the order main runs them. */
void base_checks(void);
void console_checks(void);
void fault_checks(void);
void interrupt_checks(unsigned me);
void hsm_checks(unsigned me, unsigned nharts);

#endif
