/* rv32i.c: base integer instruction checks: ALU, shifts, LUI/AUIPC, branches, jumps, loads, stores, x0. */
#include "selfcheck.h"

#define RR(op, a, b) ({ unsigned __r; __asm__ volatile(op " %0, %1, %2" : "=r"(__r) : "r"(a), "r"(b)); __r; })
#define RI(op, a, imm) ({ unsigned __r; __asm__ volatile(op " %0, %1, %2" : "=r"(__r) : "r"(a), "i"(imm)); __r; })
/* 1 if the branch is taken */
#define BR(op, a, b) ({ unsigned __t; __asm__ volatile("li %0, 1\n" op " %1, %2, 1f\nli %0, 0\n1:" \
                                                       : "=&r"(__t) : "r"(a), "r"(b)); __t; })

static volatile unsigned char bytes[8] __attribute__((aligned(8))) = { 0x80, 0x7f, 0xff, 0x01, 0x00, 0x80, 0xff, 0xff };
static volatile unsigned word_buf[2];

static void check_alu(void)
{
    check("add", RR("add", 0x7fffffffu, 1u), 0x80000000u);
    check("add-wrap", RR("add", 0xffffffffu, 2u), 1u);
    check("sub", RR("sub", 0u, 1u), 0xffffffffu);
    check("and", RR("and", 0xf0f0f0f0u, 0xff00ff00u), 0xf000f000u);
    check("or", RR("or", 0xf0f0f0f0u, 0x0f000f00u), 0xfff0fff0u);
    check("xor", RR("xor", 0xf0f0f0f0u, 0xff00ff00u), 0x0ff00ff0u);
    check("slt-signed", RR("slt", 0xffffffffu, 1u), 1u);
    check("slt-equal", RR("slt", 5u, 5u), 0u);
    check("sltu-unsigned", RR("sltu", 0xffffffffu, 1u), 0u);
    check("sltu-x0", ({ unsigned r; __asm__ volatile("sltu %0, x0, %1" : "=r"(r) : "r"(7u)); r; }), 1u);
    check("addi-negative", RI("addi", 5u, -7), 0xfffffffeu);
    check("addi-min-imm", RI("addi", 0u, -2048), 0xfffff800u);
    check("addi-max-imm", RI("addi", 1u, 2047), 2048u);
    check("slti", RI("slti", 0xfffffff0u, -1), 1u);
    check("sltiu-minus1", RI("sltiu", 0xfffffffeu, -1), 1u);   /* the immediate is sign-extended, then unsigned */
    check("sltiu-seqz", RI("sltiu", 0u, 1), 1u);
    check("xori-not", RI("xori", 0x12345678u, -1), 0xedcba987u);
    check("ori", RI("ori", 0x12340000u, 0x5a5), 0x123405a5u);
    check("andi-signext", RI("andi", 0x12345678u, -16), 0x12345670u);
}

static void check_shifts(void)
{
    check("sll", RR("sll", 0x00000001u, 31u), 0x80000000u);
    check("sll-amount-masked", RR("sll", 0x00000003u, 33u), 0x00000006u);   /* 33 & 31 = 1 */
    check("srl", RR("srl", 0x80000000u, 4u), 0x08000000u);
    check("srl-amount-masked", RR("srl", 0x80000000u, 63u), 1u);            /* 63 & 31 = 31 */
    check("sra", RR("sra", 0x80000000u, 4u), 0xf8000000u);
    check("sra-amount-masked", RR("sra", 0x80000000u, 35u), 0xf0000000u);   /* 35 & 31 = 3 */
    check("sra-by-32-is-0", RR("sra", 0x80000001u, 32u), 0x80000001u);
    check("slli", RI("slli", 0x00000081u, 7), 0x00004080u);
    check("srli", RI("srli", 0xf0000000u, 31), 1u);
    check("srai", RI("srai", 0x80000000u, 31), 0xffffffffu);
}

static void check_upper(void)
{
    unsigned r, here;
    __asm__ volatile("lui %0, 0xfffff" : "=r"(r));
    check("lui", r, 0xfffff000u);
    __asm__ volatile("lui %0, 0x12345\naddi %0, %0, -1" : "=r"(r));
    check("lui-addi", r, 0x12344fffu);
    __asm__ volatile(".option push\n.option norvc\n"
                     "1: auipc %0, 0\nla %1, 1b\n.option pop" : "=r"(r), "=r"(here));
    check("auipc-0", r, here);
    __asm__ volatile(".option push\n.option norvc\n"
                     "1: auipc %0, 0x80000\nla %1, 1b\n.option pop" : "=r"(r), "=r"(here));
    check("auipc-wraps", r - here, 0x80000000u);
}

static void check_branches(void)
{
    check("beq-taken", BR("beq", 3u, 3u), 1);
    check("beq-not-taken", BR("beq", 3u, 4u), 0);
    check("bne-taken", BR("bne", 3u, 4u), 1);
    check("bne-not-taken", BR("bne", 3u, 3u), 0);
    check("blt-negative-taken", BR("blt", 0xffffffffu, 1u), 1);
    check("blt-not-taken", BR("blt", 1u, 0xffffffffu), 0);
    check("bge-equal-taken", BR("bge", 0x80000000u, 0x80000000u), 1);
    check("bge-negative-not-taken", BR("bge", 0x80000000u, 0x7fffffffu), 0);
    check("bltu-taken", BR("bltu", 1u, 0xffffffffu), 1);
    check("bltu-not-taken", BR("bltu", 0xffffffffu, 1u), 0);
    check("bgeu-taken", BR("bgeu", 0xffffffffu, 1u), 1);
    check("bgeu-not-taken", BR("bgeu", 0u, 1u), 0);
    unsigned r;
    __asm__ volatile("li %0, 0\n"
                     "j 2f\n"
                     "1: addi %0, %0, 100\n j 3f\n"
                     "2: addi %0, %0, 1\n beq x0, x0, 1b\n"   /* backward branch */
                     "3:" : "=&r"(r));
    check("branch-backward", r, 101);
}

static void check_jumps(void)
{
    unsigned link, at, r;
    __asm__ volatile(".option push\n.option norvc\n"
                     "la %1, 1f\n"
                     "1: jal %0, 2f\n"
                     "li %2, 1\n"            /* skipped */
                     "2: li %2, 2\n"
                     ".option pop" : "=r"(link), "=&r"(at), "=r"(r));
    check("jal-link", link - at, 4);
    check("jal-target", r, 2);
    __asm__ volatile(".option push\n.option norvc\n"
                     "la t0, 2f\n"
                     "addi t0, t0, 1\n"       /* odd target: jalr clears bit 0 */
                     "li %2, 0\n"
                     "la %1, 1f\n"
                     "1: jalr %0, 0(t0)\n"
                     "li %2, 99\n"
                     ".balign 4\n"
                     "2: addi %2, %2, 7\n"
                     ".option pop" : "=&r"(link), "=&r"(at), "=&r"(r) :: "t0");
    check("jalr-clears-bit0", r, 7);
    check("jalr-link", link - at, 4);
    __asm__ volatile(".option push\n.option norvc\n"
                     "la %0, 2f\n"
                     "addi %0, %0, -3\n"
                     "li %1, 0\n"
                     "jalr %0, 3(%0)\n"       /* rd == rs1: the target uses the old value */
                     "li %1, 99\n"
                     "2: addi %1, %1, 5\n"
                     ".option pop" : "=&r"(link), "=&r"(r));
    check("jalr-rd-equals-rs1", r, 5);
}

static void check_loads_stores(void)
{
    volatile unsigned char *b = bytes;
    check("lb-sign-extends", ({ unsigned v; __asm__ volatile("lb %0, 0(%1)" : "=r"(v) : "r"(b)); v; }), 0xffffff80u);
    check("lbu-zero-extends", ({ unsigned v; __asm__ volatile("lbu %0, 0(%1)" : "=r"(v) : "r"(b)); v; }), 0x80u);
    check("lb-positive", ({ unsigned v; __asm__ volatile("lb %0, 1(%1)" : "=r"(v) : "r"(b)); v; }), 0x7fu);
    check("lh-positive", ({ unsigned v; __asm__ volatile("lh %0, 0(%1)" : "=r"(v) : "r"(b)); v; }), 0x7f80u);
    check("lh-sign-extends", ({ unsigned v; __asm__ volatile("lh %0, 4(%1)" : "=r"(v) : "r"(b)); v; }), 0xffff8000u);
    check("lhu-zero-extends", ({ unsigned v; __asm__ volatile("lhu %0, 4(%1)" : "=r"(v) : "r"(b)); v; }), 0x8000u);
    check("lw", ({ unsigned v; __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(b)); v; }), 0x01ff7f80u);
    check("lw-negative-offset", ({ unsigned v; __asm__ volatile("lw %0, -4(%1)" : "=r"(v) : "r"(b + 8)); v; }), 0xffff8000u);

    volatile unsigned *w = word_buf;
    w[0] = 0x11223344u;
    __asm__ volatile("sb %0, 1(%1)" :: "r"(0xffffffabu), "r"(w) : "memory");
    check("sb-one-byte", w[0], 0x1122ab44u);
    __asm__ volatile("sh %0, 2(%1)" :: "r"(0x1234beefu), "r"(w) : "memory");
    check("sh-one-half", w[0], 0xbeefab44u);
    __asm__ volatile("sw %0, -4(%1)" :: "r"(0xcafef00du), "r"(w + 2) : "memory");
    check("sw-negative-offset", w[1], 0xcafef00du);
    check("sw-leaves-neighbour", w[0], 0xbeefab44u);
}

static void check_x0(void)
{
    unsigned r;
    __asm__ volatile("addi x0, x0, 123\nmv %0, x0" : "=r"(r));
    check("x0-addi-discarded", r, 0);
    __asm__ volatile("lui x0, 0x12345\nmv %0, x0" : "=r"(r));
    check("x0-lui-discarded", r, 0);
    __asm__ volatile("lw x0, 0(%1)\nmv %0, x0" : "=r"(r) : "r"(bytes));
    check("x0-load-discarded", r, 0);
    __asm__ volatile(".option push\n.option norvc\njal x0, 1f\n1: auipc x0, 1\nmv %0, x0\n.option pop" : "=r"(r));
    check("x0-jal-auipc-discarded", r, 0);
    __asm__ volatile("fence rw, rw\nfence iorw, iorw\nfence.tso\nli %0, 1" : "=r"(r));
    check("fence-variants-execute", r, 1);
}

void check_rv32i(void)
{
    check_alu();
    check_shifts();
    check_upper();
    check_branches();
    check_jumps();
    check_loads_stores();
    check_x0();
}
