/* zicsr.c: CSR instruction checks: register and immediate forms, read-only CSRs, misa. */
#include "selfcheck.h"

/* Run an instruction expected to trap as illegal; returns 1 if it did, with mtval = its encoding. */
#define EXPECT_ILLEGAL(name, insn, bits) do {                                   \
        trap_reset();                                                           \
        __asm__ volatile(insn ::: "t0", "memory");                              \
        check(name "-illegal", mtrap.count == 1 && mtrap.cause == CAUSE_ILLEGAL, 1); \
        check(name "-mtval", mtrap.tval, bits);                                 \
    } while (0)

void check_zicsr(void)
{
    unsigned old, now;
    write_csr(mscratch, 0x12345678u);
    check("mscratch-round-trip", read_csr(mscratch), 0x12345678u);
    __asm__ volatile("csrrw %0, mscratch, %1" : "=r"(old) : "r"(0xa5a5a5a5u));
    check("csrrw-returns-old", old, 0x12345678u);
    __asm__ volatile("csrrs %0, mscratch, %1" : "=r"(old) : "r"(0x0000ff00u));
    check("csrrs-returns-old", old, 0xa5a5a5a5u);
    check("csrrs-sets", read_csr(mscratch), 0xa5a5ffa5u);
    __asm__ volatile("csrrc %0, mscratch, %1" : "=r"(old) : "r"(0xf000000fu));
    check("csrrc-returns-old", old, 0xa5a5ffa5u);
    check("csrrc-clears", read_csr(mscratch), 0x05a5ffa0u);
    __asm__ volatile("csrrwi %0, mscratch, 31" : "=r"(old));
    check("csrrwi-returns-old", old, 0x05a5ffa0u);
    check("csrrwi-writes-zero-extended", read_csr(mscratch), 31u);
    __asm__ volatile("csrrci %0, mscratch, 5\ncsrrsi x0, mscratch, 0x10" : "=r"(old));
    check("csrrci-csrrsi", read_csr(mscratch), (31u & ~5u) | 0x10u);
    __asm__ volatile("csrrw x0, mscratch, %0\ncsrr %1, mscratch" : "+r"(old), "=r"(now));
    check("csrrw-rd-x0-writes", now, 31u);
    write_csr(mscratch, 0);

    check("mhartid-is-0", read_csr(mhartid), 0);
    unsigned misa = read_csr(misa);
    unsigned want = (1u << ('I' - 'A')) | (1u << ('M' - 'A')) | (1u << ('A' - 'A')) | (1u << ('C' - 'A')) |
                    (1u << ('S' - 'A')) | (1u << ('U' - 'A'));
    check("misa-mxl-32", misa >> 30, 1);
    check("misa-has-imacsu", misa & want, want);
    check("misa-no-e", (misa >> ('E' - 'A')) & 1, 0);
    write_csr(mtvec, (unsigned)m_trap_entry);
    check("mtvec-direct-round-trip", read_csr(mtvec), (unsigned)m_trap_entry);

    /* Reading a read-only CSR is fine; any write, even of x0 through csrrw, is illegal. */
    trap_reset();
    __asm__ volatile("csrrs %0, mhartid, x0\ncsrrc %0, mvendorid, x0\ncsrrsi %0, mimpid, 0" : "=r"(old) :: "memory");
    check("read-only-csr-read-no-trap", mtrap.count, 0);
    EXPECT_ILLEGAL("csrw-mhartid", "csrw mhartid, x0", 0xf1401073u);
    /* rs1 = x0 never writes; rs1 != x0 writes even a zero (QEMU 7.2 skips the trap when the value is 0). */
    EXPECT_ILLEGAL("csrrs-mvendorid-rs1-nonzero", "li t0, 1\ncsrrs t0, mvendorid, t0", 0xf112a2f3u);
    EXPECT_ILLEGAL("csrw-cycle", ".word 0xc0001073", 0xc0001073u);   /* unimp */
    trap_reset();
}
