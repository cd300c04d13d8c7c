/* trap.c: tessera-sbi's M-mode trap dispatch: SBI calls, the M timer and software interrupts, and exceptions passed on to S-mode. Hand-written, as the rest of the firmware, from the privileged spec and the SBI spec. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "exit.h"
#include "fw.h"
#include "sbi.h"

#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_SPP_SHIFT 8

/* Hand an exception from S/U to S-mode's trap vector as if it had been delegated. */
static void redirect_to_s(unsigned cause, uint32_t mtval)
{
    uint32_t mstatus = read_csr(mstatus);
    uint32_t prev = (mstatus >> MSTATUS_MPP_SHIFT) & 3;
    write_csr(scause, cause);
    write_csr(stval, mtval);
    write_csr(sepc, read_csr(mepc));
    mstatus &= ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_MPP);
    if (prev == 1)
        mstatus |= MSTATUS_SPP;
    if (mstatus & MSTATUS_SIE)
        mstatus |= MSTATUS_SPIE;
    mstatus &= ~MSTATUS_SIE;
    mstatus |= 1u << MSTATUS_MPP_SHIFT;   /* return to S */
    write_csr(mstatus, mstatus);
    write_csr(mepc, read_csr(stvec) & ~3u);
}

void trap_handler(struct trap_frame *f)
{
    uint32_t mcause = read_csr(mcause);
    unsigned hartid = read_csr(mhartid);
    if (mcause & MCAUSE_INTERRUPT) {
        switch (mcause & 0x1f) {
        case IRQ_M_TIMER: timer_handle_irq(); return;
        case IRQ_M_SOFT: ipi_handle_soft(hartid); return;
        }
    }
    uint32_t mstatus = read_csr(mstatus);
    uint32_t prev = (mstatus >> MSTATUS_MPP_SHIFT) & 3;
    if (!(mcause & MCAUSE_INTERRUPT) && prev != 3) {
        if (mcause == CAUSE_ECALL_S) {
            write_csr(mepc, read_csr(mepc) + 4);   /* before the call: hart_stop never returns */
            struct sbiret r = sbi_dispatch(f, hartid);
            f->x[REG_A0] = (uint32_t)r.error;
            if (f->x[REG_A7] > 0x0f)               /* legacy calls return only a0 */
                f->x[REG_A1] = (uint32_t)r.value;
            return;
        }
        if (read_csr(stvec) != 0) {   /* 0: S has no handler yet, and the redirect would loop */
            redirect_to_s(mcause, read_csr(mtval));
            return;
        }
    }
    printf("tessera-sbi: unexpected trap on hart %u: mcause 0x%08x mepc 0x%08x mtval 0x%08x from mode %u\n", hartid,
           (unsigned)mcause, (unsigned)read_csr(mepc), (unsigned)read_csr(mtval), (unsigned)prev);
    exit(1);
}
