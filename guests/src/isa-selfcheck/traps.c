/* traps.c: synchronous exceptions taken in M-mode: ecall, ebreak, illegal instructions, access faults, misalignment. */
#include "selfcheck.h"

/* Execute INSN (4 bytes unless it says otherwise) at a label whose address lands in `at`. */
#define TRAP_AT(at, insn) __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: " insn "\n.option pop" \
                                           : "=&r"(at) :: "memory")

static volatile unsigned char misaligned_buf[12] __attribute__((aligned(4))) =
    { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc };

static void check_trap(const char *name, unsigned cause, unsigned epc)
{
    check(cat(name, "-traps-once"), mtrap.count, 1);
    check(cat(name, "-mcause"), mtrap.cause, cause);
    check(cat(name, "-mepc"), mtrap.epc, epc);
}

static unsigned load_word(unsigned addr)
{
    unsigned v = 0x5a5a5a5au;
    __asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(addr) : "memory");
    return v;
}

void check_traps(void)
{
    unsigned at, v;

    trap_reset();
    TRAP_AT(at, "ecall");
    check_trap("ecall-from-m", CAUSE_ECALL_M, at);
    check("ecall-mtval-0", mtrap.tval, 0);
    check("trap-mstatus-mpp-m", (mtrap.status & MSTATUS_MPP) >> 11, 3);
    check("trap-mstatus-mie-to-mpie", mtrap.status & (MSTATUS_MIE | MSTATUS_MPIE), 0);

    /* ebreak: QEMU 7.2 writes mtval = 0, the spec allows 0 or the pc: mtval is not checked. */
    trap_reset();
    TRAP_AT(at, "ebreak");
    check_trap("ebreak", CAUSE_BREAKPOINT, at);
    trap_reset();
    __asm__ volatile(".option push\n.option rvc\nla %0, 1f\n1: c.ebreak\n.option pop" : "=&r"(at) :: "memory");
    check_trap("c.ebreak", CAUSE_BREAKPOINT, at);

    /* illegal instructions: mtval holds the instruction bits (the 16 bits of a compressed one) */
    trap_reset();
    TRAP_AT(at, ".word 0xc0001073");
    check_trap("unimp-32bit", CAUSE_ILLEGAL, at);
    check("unimp-32bit-mtval", mtrap.tval, 0xc0001073u);
    trap_reset();
    TRAP_AT(at, ".2byte 0x0000");
    check_trap("c.unimp-16bit-zero", CAUSE_ILLEGAL, at);
    check("c.unimp-mtval", mtrap.tval, 0);
    trap_reset();
    TRAP_AT(at, ".2byte 0x0004");    /* c.addi4spn with a zero immediate is reserved */
    check_trap("c.addi4spn-zero-reserved", CAUSE_ILLEGAL, at);
    check("c.addi4spn-zero-mtval", mtrap.tval, 0x0004u);
    trap_reset();
    TRAP_AT(at, ".word 0x00007053"); /* fadd.s: no F here (QEMU has F, but mstatus.FS = Off) */
    check_trap("fp-instruction", CAUSE_ILLEGAL, at);
    check("fp-instruction-mtval", mtrap.tval, 0x00007053u);

    /* access faults at an unmapped address: mtval = the address */
    trap_reset();
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: lw %1, 0(%2)\n.option pop"
                     : "=&r"(at), "=r"(v) : "r"(4u) : "memory");
    check_trap("load-access-fault", CAUSE_LOAD_ACCESS, at);
    check("load-access-fault-mtval", mtrap.tval, 4u);
    trap_reset();
    __asm__ volatile(".option push\n.option norvc\nla %0, 1f\n1: sw zero, 0(%1)\n.option pop"
                     : "=&r"(at) : "r"(4u) : "memory");
    check_trap("store-access-fault", CAUSE_STORE_ACCESS, at);
    check("store-access-fault-mtval", mtrap.tval, 4u);
    trap_reset();
    __asm__ volatile("jalr ra, 0(%0)" :: "r"(4u) : "ra", "memory");  /* the handler returns to ra */
    check_trap("fetch-access-fault", CAUSE_FETCH_ACCESS, 4u);
    check("fetch-access-fault-mtval", mtrap.tval, 4u);

    /* Misaligned loads and stores to RAM do not trap on QEMU: they complete (little-endian). */
    trap_reset();
    v = load_word((unsigned)misaligned_buf + 1);
    check("misaligned-lw-value", v, 0x55443322u);
    __asm__ volatile("lh %0, 3(%1)" : "=r"(v) : "r"(misaligned_buf) : "memory");
    check("misaligned-lh-value", v, 0x00005544u);
    __asm__ volatile("lhu %0, 7(%1)" : "=r"(v) : "r"(misaligned_buf) : "memory");
    check("misaligned-lhu-value", v, 0x00009988u);
    __asm__ volatile("sw %0, 5(%1)" :: "r"(0xdeadbeefu), "r"(misaligned_buf) : "memory");
    check("misaligned-sw-stored", load_word((unsigned)misaligned_buf + 4), 0xadbeef55u);
    check("misaligned-sw-stored-high", load_word((unsigned)misaligned_buf + 8), 0xccbbaadeu);
    __asm__ volatile("sh %0, 1(%1)" :: "r"(0xbeefu), "r"(misaligned_buf) : "memory");
    check("misaligned-sh-stored", load_word((unsigned)misaligned_buf), 0x44beef11u);
    check("misaligned-no-trap", mtrap.count, 0);
    trap_reset();
}
