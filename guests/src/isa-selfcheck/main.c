/* main.c: ISA self-check driver: result reporting, the C side of the M/S trap handlers, the summary. */
#include "selfcheck.h"

volatile struct trap_record mtrap, strap;
volatile unsigned trap_vector;
volatile unsigned lower_exit_status, lower_exit_cause;
static unsigned passed, failed;

void trap_reset(void)
{
    mtrap.count = mtrap.cause = mtrap.epc = mtrap.tval = mtrap.status = 0;
    strap.count = strap.cause = strap.epc = strap.tval = strap.status = 0;
    trap_vector = ~0u;
}

void check(const char *name, unsigned got, unsigned want)
{
    if (got == want) {
        passed++;
        printf("ok  %s\n", name);
    } else {
        failed++;
        printf("FAIL %s got 0x%08x want 0x%08x\n", name, got, want);
    }
}

const char *cat(const char *a, const char *b)
{
    static char buf[96];
    unsigned n = 0;
    while (*a && n < sizeof buf - 1)
        buf[n++] = *a++;
    while (*b && n < sizeof buf - 1)
        buf[n++] = *b++;
    buf[n] = 0;
    return buf;
}

void check_show(const char *name, unsigned got, unsigned want)
{
    if (got == want) {
        passed++;
        printf("ok  %s = %u\n", name, got);
    } else {
        check(name, got, want);
    }
}

/* Length of the instruction at pc: 2 if compressed, else 4 (read as halfwords: pc may be 2-aligned). */
static unsigned insn_length(unsigned pc)
{
    return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

/* Clear the source of an M-level interrupt so it does not fire again. */
static void quiesce_interrupt(unsigned irq)
{
    volatile unsigned *msip0 = (volatile unsigned *)0x02000000u;
    volatile unsigned *mtimecmp0 = (volatile unsigned *)0x02004000u;
    switch (irq) {
    case IRQ_M_SOFT:
        *msip0 = 0;
        break;
    case IRQ_M_TIMER:
        mtimecmp0[1] = 0xffffffffu;
        mtimecmp0[0] = 0xffffffffu;
        break;
    case IRQ_S_SOFT:
        clear_csr(mip, 1u << IRQ_S_SOFT);
        break;
    default:
        clear_csr(mie, 1u << irq);
        break;
    }
}

void m_trap(struct frame *f)
{
    if (f->cause & MCAUSE_INTERRUPT) {
        quiesce_interrupt(f->cause & 31);
    } else if ((f->cause == CAUSE_ECALL_U || f->cause == CAUSE_ECALL_S) && f->x[17] == LOWER_EXIT_MAGIC) {
        /* run_lower's function returned: resume in M-mode with interrupts off */
        lower_exit_status = f->status;
        lower_exit_cause = f->cause;
        f->epc = (unsigned)lower_resume;
        f->status = (f->status & ~(MSTATUS_MPP | MSTATUS_MPIE)) | MSTATUS_MPP;
        return;
    }
    mtrap.count++;
    mtrap.cause = f->cause;
    mtrap.epc = f->epc;
    mtrap.tval = f->tval;
    mtrap.status = f->status;
    if (f->cause & MCAUSE_INTERRUPT)
        return;
    if (f->cause == CAUSE_FETCH_ACCESS || f->cause == CAUSE_MISALIGNED_FETCH)
        f->epc = f->x[1];   /* a jump to a bad address: return to the caller (ra) */
    else
        f->epc += insn_length(f->epc);
}

void s_trap(struct frame *f)
{
    strap.count++;
    strap.cause = f->cause;
    strap.epc = f->epc;
    strap.tval = f->tval;
    strap.status = f->status;
    if (f->cause & MCAUSE_INTERRUPT)
        clear_csr(sip, 1u << (f->cause & 31));  /* only SSIP is writable here; that is the one we raise */
    else
        f->epc += insn_length(f->epc);
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    puts("isa-selfcheck: RV32IMAC + Zicsr + Zifencei, M/S/U");
    write_csr(mtvec, (unsigned)m_trap_entry);
    trap_reset();
    check_rv32i();
    check_rv32m();
    check_rv32a();
    check_rvc();
    check_zicsr();
    check_traps();
    check_privilege();
    check_interrupts();
    check_fencei_instret();
    printf("isa-selfcheck: %u passed, %u failed\n", passed, failed);
    return failed > 255 ? 255 : (int)failed;
}
