/* fencei_instret.c: self-modifying code made visible by FENCE.I, and exact minstret deltas. */
#include "selfcheck.h"

/* Code written at run time lives in a data page (never in a code page: see link.ld). */
static volatile unsigned code_buf[4] __attribute__((aligned(16)));

static unsigned call_buf(void)
{
    unsigned (*fn)(void) = (unsigned (*)(void))(unsigned)code_buf;
    return fn();
}

static void check_fencei(void)
{
    code_buf[0] = 0x02a00513u;      /* addi a0, x0, 42 */
    code_buf[1] = 0x00008067u;      /* jalr x0, 0(ra) */
    __asm__ volatile("fence.i" ::: "memory");
    check("fence.i-runs-written-code", call_buf(), 42);
    code_buf[0] = 0x02b00513u;      /* addi a0, x0, 43: the same address, new code */
    __asm__ volatile("fence.i" ::: "memory");
    check("fence.i-sees-rewritten-code", call_buf(), 43);
    code_buf[0] = 0x80824515u;      /* c.li a0, 5 ; c.jr ra */
    __asm__ volatile("fence.i" ::: "memory");
    check("fence.i-compressed-code", call_buf(), 5);
}

static void check_instret(void)
{
    unsigned a, b;
    /* 10 instructions between the reads (5 compressed, 5 not); the delta also counts the first csrr */
    __asm__ volatile(".option push\n.option norvc\n"
                     "csrr %0, minstret\n"
                     "addi t0, x0, 1\n"
                     ".option rvc\n"
                     "c.addi t0, 1\nc.slli t0, 2\nc.mv t1, t0\nc.add t1, t0\nc.nop\n"
                     ".option norvc\n"
                     "add t0, t0, t1\nlui t1, 1\nxor t0, t0, t1\nnop\n"
                     "csrr %1, minstret\n"
                     ".option pop" : "=&r"(a), "=r"(b) :: "t0", "t1");
    check_show("minstret-delta-10-straight-line", b - a, 11);
    __asm__ volatile("csrr %0, minstret\ncsrr %1, minstret" : "=&r"(a), "=r"(b));
    check_show("minstret-delta-adjacent-reads", b - a, 1);
    /* a taken branch over 3 instructions: only executed instructions count */
    __asm__ volatile(".option push\n.option norvc\n"
                     "csrr %0, minstret\n"
                     "beq x0, x0, 1f\n"
                     "nop\nnop\nnop\n"
                     "1: nop\n"
                     "csrr %1, minstret\n"
                     ".option pop" : "=&r"(a), "=r"(b));
    check_show("minstret-delta-taken-branch", b - a, 3);
    /* a loop of 100 iterations x 2 instructions, plus the li */
    __asm__ volatile("csrr %0, minstret\n"
                     "li t0, 100\n"
                     "1: addi t0, t0, -1\n"
                     "bnez t0, 1b\n"
                     "csrr %1, minstret" : "=&r"(a), "=r"(b) :: "t0");
    check_show("minstret-delta-loop-100", b - a, 202);
    /* a trap: ecall, the handler and mret all retire; the exact count depends on the handler code,
       so only check that minstret keeps counting across it */
    uint64_t before = rdinstret();
    __asm__ volatile("ecall" ::: "memory");
    check("minstret-counts-across-trap", rdinstret() - before > 20, 1);
    trap_reset();
}

void check_fencei_instret(void)
{
    check_fencei();
    check_instret();
}
