/* trap.c: sbi-check's S-mode trap handler: counts timer and software interrupts per hart, records an exception and steps over it. Hand-written: the handler only counts, records and steps over. */
#include <stdint.h>
#include "check.h"
#include "csr.h"
#include "sbi-call.h"

struct s_events events[CHECK_MAX_HARTS];

unsigned cur_hart(void)
{
    unsigned tp;
    __asm__("mv %0, tp" : "=r"(tp));
    return tp;
}

void s_trap(void)
{
    uint32_t cause = read_csr(scause);
    struct s_events *e = &events[cur_hart()];
    if (cause & MCAUSE_INTERRUPT) {
        switch (cause & 0x1f) {
        case IRQ_S_TIMER:
            e->timer++;
            sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0ul, ~0ul, 0, 0, 0);   /* no next event: clears STIP */
            break;
        case IRQ_S_SOFT:
            e->soft++;
            clear_csr(sip, 1u << IRQ_S_SOFT);
            break;
        default:
            clear_csr(sie, 1u << (cause & 0x1f));   /* unexpected: keep it from repeating */
            break;
        }
        return;
    }
    e->exc_cause = cause;
    e->exc_tval = read_csr(stval);
    uint32_t pc = read_csr(sepc);
    uint16_t parcel = *(volatile uint16_t *)pc;
    write_csr(sepc, pc + ((parcel & 3) == 3 ? 4 : 2));
}
