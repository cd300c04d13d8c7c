/* privilege.c: MRET/SRET state changes, S- and U-mode execution, ecalls by mode, privileged-instruction faults, medeleg. */
#include "selfcheck.h"

unsigned s_sret_call(unsigned target);  /* trap.S; target = address of { function, SPP } */

#define MPP_OF(status) (((status) & MSTATUS_MPP) >> 11)

static unsigned lower_ecall(unsigned arg)
{
    __asm__ volatile("li a7, 0\necall" ::: "a7", "memory");
    return arg + 1;
}

/* Each returns the address of its trapping instruction. */
static unsigned lower_read_mstatus(unsigned arg)
{
    unsigned at;
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: csrr t0, mstatus\n.option pop" : "=&r"(at) :: "t0", "memory");
    return at;
}

static unsigned lower_read_sstatus(unsigned arg)
{
    unsigned v;
    __asm__ volatile("csrr %0, sstatus" : "=r"(v) :: "memory");
    return v;
}

static unsigned lower_mret(unsigned arg)
{
    unsigned at;
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: mret\n.option pop" : "=&r"(at) :: "memory");
    return at;
}

static unsigned lower_sret(unsigned arg)
{
    unsigned at;
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: sret\n.option pop" : "=&r"(at) :: "memory");
    return at;
}

static unsigned lower_read_cycle(unsigned arg)
{
    unsigned at;
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: csrr t0, cycle\n.option pop" : "=&r"(at) :: "t0", "memory");
    return at;
}

static unsigned lower_unimp(unsigned arg)
{
    unsigned at;
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: .word 0xc0001073\n.option pop" : "=&r"(at) :: "memory");
    return at;
}

static unsigned lower_ebreak(unsigned arg)
{
    unsigned at;
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: ebreak\n.option pop" : "=&r"(at) :: "memory");
    return at;
}

static unsigned u_after_sret(unsigned arg)
{
    return 0x600d;
}

/* One M-mode check of a trap taken from a lower mode into M. */
static void check_m_trap(const char *name, unsigned cause, unsigned mpp, unsigned epc)
{
    check(cat(name, "-traps-once"), mtrap.count, 1);
    check(cat(name, "-mcause"), mtrap.cause, cause);
    check(cat(name, "-mpp"), MPP_OF(mtrap.status), mpp);
    if (epc)
        check(cat(name, "-mepc"), mtrap.epc, epc);
}

static void check_mret(void)
{
    unsigned st;
    clear_csr(mstatus, MSTATUS_MIE | MSTATUS_MPP);
    set_csr(mstatus, MSTATUS_MPIE | (3u << 11));     /* MPP = M */
    __asm__ volatile("la t0, 1f\ncsrw mepc, t0\nmret\n1: csrr %0, mstatus" : "=r"(st) :: "t0", "memory");
    clear_csr(mstatus, MSTATUS_MIE);
    check("mret-mie-from-mpie", st & MSTATUS_MIE, MSTATUS_MIE);
    check("mret-mpie-set", st & MSTATUS_MPIE, MSTATUS_MPIE);
    check("mret-mpp-to-u", MPP_OF(st), 0);
    set_csr(mstatus, 3u << 11);
    clear_csr(mstatus, MSTATUS_MPIE);
    __asm__ volatile("la t0, 1f\ncsrw mepc, t0\nmret\n1: csrr %0, mstatus" : "=r"(st) :: "t0", "memory");
    check("mret-mie-stays-off", st & MSTATUS_MIE, 0);
}

static void check_modes(void)
{
    unsigned r, at;

    trap_reset();
    r = run_lower(MODE_S, lower_ecall, 41);
    check("s-mode-runs-and-returns", r, 42);
    check_m_trap("ecall-from-s", CAUSE_ECALL_S, 1, 0);
    check("s-mode-exit-ecall-cause", lower_exit_cause, CAUSE_ECALL_S);

    trap_reset();
    r = run_lower(MODE_U, lower_ecall, 99);
    check("u-mode-runs-and-returns", r, 100);
    check_m_trap("ecall-from-u", CAUSE_ECALL_U, 0, 0);
    check("u-mode-exit-ecall-cause", lower_exit_cause, CAUSE_ECALL_U);

    trap_reset();
    run_lower(MODE_S, lower_read_sstatus, 0);
    check("s-reads-sstatus-no-trap", mtrap.count, 0);
    at = run_lower(MODE_S, lower_read_mstatus, 0);
    check_m_trap("s-reads-mstatus", CAUSE_ILLEGAL, 1, at);
    check("s-reads-mstatus-mtval", mtrap.tval, 0x300022f3u);
    trap_reset();
    at = run_lower(MODE_S, lower_mret, 0);
    check_m_trap("s-mret", CAUSE_ILLEGAL, 1, at);
    trap_reset();
    at = run_lower(MODE_U, lower_read_sstatus, 0);
    check_m_trap("u-reads-sstatus", CAUSE_ILLEGAL, 0, 0);
    trap_reset();
    at = run_lower(MODE_U, lower_sret, 0);
    check_m_trap("u-sret", CAUSE_ILLEGAL, 0, at);
    trap_reset();
    at = run_lower(MODE_U, lower_read_cycle, 0);
    check_m_trap("u-cycle-without-mcounteren", CAUSE_ILLEGAL, 0, at);

    /* SRET from S to U and to S: SIE <- SPIE (1), SPIE <- 1, SPP <- U */
    static const unsigned to_u[2] = { (unsigned)u_after_sret, 0 }, to_s[2] = { (unsigned)u_after_sret, 1 };
    trap_reset();
    r = run_lower(MODE_S, s_sret_call, (unsigned)to_u);
    check("sret-to-u-runs", r, 0x600d);
    check("sret-to-u-exit-cause", lower_exit_cause, CAUSE_ECALL_U);
    check("sret-to-u-sstatus", lower_exit_status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE), MSTATUS_SPIE | MSTATUS_SIE);
    r = run_lower(MODE_S, s_sret_call, (unsigned)to_s);
    check("sret-to-s-exit-cause", lower_exit_cause, CAUSE_ECALL_S);
    check("sret-to-s-sstatus", lower_exit_status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE), MSTATUS_SPIE | MSTATUS_SIE);
    check("no-unexpected-traps", mtrap.count, 0);
    clear_csr(mstatus, MSTATUS_SIE | MSTATUS_SPIE);
}

static void check_medeleg(void)
{
    unsigned at;
    write_csr(stvec, (unsigned)s_trap_entry);
    write_csr(medeleg, (1u << CAUSE_ILLEGAL) | (1u << CAUSE_BREAKPOINT));

    trap_reset();
    at = run_lower(MODE_S, lower_unimp, 0);
    check("medeleg-illegal-from-s-to-s", strap.count, 1);
    check("medeleg-illegal-not-in-m", mtrap.count, 0);
    check("medeleg-scause", strap.cause, CAUSE_ILLEGAL);
    check("medeleg-sepc", strap.epc, at);
    check("medeleg-stval", strap.tval, 0xc0001073u);
    check("medeleg-spp-s", strap.status & MSTATUS_SPP, MSTATUS_SPP);

    trap_reset();
    at = run_lower(MODE_U, lower_ebreak, 0);
    check("medeleg-ebreak-from-u-to-s", strap.count, 1);
    check("medeleg-ebreak-scause", strap.cause, CAUSE_BREAKPOINT);
    check("medeleg-ebreak-sepc", strap.epc, at);
    check("medeleg-spp-u", strap.status & MSTATUS_SPP, 0);
    check("medeleg-ebreak-not-in-m", mtrap.count, 0);

    trap_reset();
    __asm__ volatile(".word 0xc0001073" ::: "memory");
    check("medeleg-never-delegates-m-traps", mtrap.count == 1 && strap.count == 0, 1);

    write_csr(medeleg, 0);
    trap_reset();
}

void check_privilege(void)
{
    /* PMP: one NAPOT entry over the whole address space, so S and U may access everything
       (with PMP present and no entry matching, QEMU denies every S/U access). */
    write_csr(pmpaddr0, 0xffffffffu);
    write_csr(pmpcfg0, 0x1fu);  /* R W X, A = NAPOT */
    check_mret();
    check_modes();
    check_medeleg();
}
