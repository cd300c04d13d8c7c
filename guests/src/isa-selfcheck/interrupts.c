/* interrupts.c: CLINT timer and software interrupts, direct and vectored mtvec, priority, WFI, SSIP delegated to S. */
#include "clint.h"
#include "selfcheck.h"

#define CLINT_MSIP0     ((volatile unsigned *)CLINT_BASE)
#define MIP_MSIP (1u << IRQ_M_SOFT)
#define MIP_MTIP (1u << IRQ_M_TIMER)
#define MIP_SSIP (1u << IRQ_S_SOFT)

/* Spin (interrupts as configured) until a trap is recorded or ~10 ms of mtime pass; returns 1 if one was. */
static int wait_for_trap(void)
{
    uint64_t give_up = clint_mtime() + 100000;
    while (!mtrap.count && clint_mtime() < give_up)
        ;
    return mtrap.count != 0;
}

static void check_timer_direct(void)
{
    write_csr(mtvec, (unsigned)m_trap_entry);
    clint_set_mtimecmp(0, ~0ull);
    check("mtip-clear-when-mtimecmp-max", read_csr(mip) & MIP_MTIP, 0);
    trap_reset();
    write_csr(mie, MIP_MTIP);
    clint_set_mtimecmp(0, clint_mtime() + 50);
    set_csr(mstatus, MSTATUS_MIE);
    int taken = wait_for_trap();
    unsigned after = read_csr(mstatus);
    clear_csr(mstatus, MSTATUS_MIE);
    check("timer-interrupt-taken", taken, 1);
    check("timer-mcause", mtrap.cause, MCAUSE_INTERRUPT | IRQ_M_TIMER);
    check("timer-mstatus-in-handler", mtrap.status & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP), MSTATUS_MPIE | MSTATUS_MPP);
    check("timer-mtip-cleared-by-mtimecmp", read_csr(mip) & MIP_MTIP, 0);
    check("timer-mret-restores-mie", after & MSTATUS_MIE, MSTATUS_MIE);
    write_csr(mie, 0);
}

static void check_software_and_vectored(void)
{
    *CLINT_MSIP0 = 1;
    check("msip-sets-mip-msip", read_csr(mip) & MIP_MSIP, MIP_MSIP);
    *CLINT_MSIP0 = 0;
    check("msip-clear-clears-mip-msip", read_csr(mip) & MIP_MSIP, 0);

    write_csr(mtvec, (unsigned)m_vector_table | 1);
    check("mtvec-vectored-mode-bit", read_csr(mtvec), (unsigned)m_vector_table | 1);

    trap_reset();
    write_csr(mie, MIP_MSIP);
    *CLINT_MSIP0 = 1;
    set_csr(mstatus, MSTATUS_MIE);
    int taken = wait_for_trap();
    clear_csr(mstatus, MSTATUS_MIE);
    check("vectored-software-interrupt-taken", taken, 1);
    check("vectored-software-mcause", mtrap.cause, MCAUSE_INTERRUPT | IRQ_M_SOFT);
    check("vectored-software-entry-3", trap_vector, 3);

    trap_reset();
    write_csr(mie, MIP_MTIP);
    clint_set_mtimecmp(0, clint_mtime() + 50);
    set_csr(mstatus, MSTATUS_MIE);
    taken = wait_for_trap();
    clear_csr(mstatus, MSTATUS_MIE);
    check("vectored-timer-interrupt-taken", taken, 1);
    check("vectored-timer-mcause", mtrap.cause, MCAUSE_INTERRUPT | IRQ_M_TIMER);
    check("vectored-timer-entry-7", trap_vector, 7);

    trap_reset();
    __asm__ volatile("ecall" ::: "memory");
    check("vectored-exception-entry-0", trap_vector, 0);
    check("vectored-exception-mcause", mtrap.cause, CAUSE_ECALL_M);

    /* both pending when enabled: the software interrupt (3) outranks the timer (7) */
    trap_reset();
    write_csr(mie, MIP_MSIP | MIP_MTIP);
    *CLINT_MSIP0 = 1;
    clint_set_mtimecmp(0, 0);
    check("both-pending", read_csr(mip) & (MIP_MSIP | MIP_MTIP), MIP_MSIP | MIP_MTIP);
    set_csr(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    clear_csr(mstatus, MSTATUS_MIE);
    check("priority-two-interrupts", mtrap.count, 2);
    check("priority-timer-last", mtrap.cause, MCAUSE_INTERRUPT | IRQ_M_TIMER);
    write_csr(mie, 0);
    write_csr(mtvec, (unsigned)m_trap_entry);
    trap_reset();
}

static void check_wfi(void)
{
    /* MIE off: WFI wakes on a pending enabled interrupt without taking it */
    trap_reset();
    write_csr(mie, MIP_MTIP);
    clint_set_mtimecmp(0, clint_mtime() + 1000);
    uint64_t give_up = clint_mtime() + 100000;
    while (!(read_csr(mip) & MIP_MTIP) && clint_mtime() < give_up)
        __asm__ volatile("wfi");
    check("wfi-wakes-on-timer", (read_csr(mip) & MIP_MTIP) != 0, 1);
    check("wfi-no-trap-with-mie-off", mtrap.count, 0);
    set_csr(mstatus, MSTATUS_MIE);     /* now it is taken */
    __asm__ volatile("nop");
    clear_csr(mstatus, MSTATUS_MIE);
    check("pending-taken-when-enabled", mtrap.count, 1);
    check("pending-taken-mcause", mtrap.cause, MCAUSE_INTERRUPT | IRQ_M_TIMER);

    /* an interrupt already pending: WFI falls through */
    trap_reset();
    write_csr(mie, MIP_MSIP);
    *CLINT_MSIP0 = 1;
    __asm__ volatile("wfi");
    check("wfi-returns-when-pending", (read_csr(mip) & MIP_MSIP) != 0, 1);
    *CLINT_MSIP0 = 0;
    write_csr(mie, 0);
    check("wfi-pending-no-trap", mtrap.count, 0);
}

static unsigned s_raise_ssip(unsigned arg)
{
    set_csr(sie, MIP_SSIP);
    set_csr(sstatus, MSTATUS_SIE);
    set_csr(sip, MIP_SSIP);             /* taken at once, in S-mode */
    __asm__ volatile("nop");
    clear_csr(sstatus, MSTATUS_SIE);
    clear_csr(sie, MIP_SSIP);
    return read_csr(sip) & MIP_SSIP;
}

static void check_ssip_delegation(void)
{
    write_csr(stvec, (unsigned)s_trap_entry);
    write_csr(mideleg, MIP_SSIP);
    check("mideleg-ssip", read_csr(mideleg) & MIP_SSIP, MIP_SSIP);
    trap_reset();
    unsigned still_pending = run_lower(MODE_S, s_raise_ssip, 0);
    check("ssip-delegated-taken-in-s", strap.count, 1);
    check("ssip-scause", strap.cause, MCAUSE_INTERRUPT | IRQ_S_SOFT);
    check("ssip-spp-s", strap.status & MSTATUS_SPP, MSTATUS_SPP);
    check("ssip-cleared-by-handler", still_pending, 0);
    check("ssip-not-in-m", mtrap.count, 0);
    write_csr(mideleg, 0);
    trap_reset();
}

void check_interrupts(void)
{
    check_timer_direct();
    check_software_and_vectored();
    check_wfi();
    check_ssip_delegation();
}
