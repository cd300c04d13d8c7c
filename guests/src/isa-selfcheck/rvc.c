/* rvc.c: runs the compressed-instruction functions of rvc.S and checks their results. */
#include "selfcheck.h"

unsigned rvc_li_addi(void);
unsigned rvc_shifts(void);
unsigned rvc_lui(void);
unsigned rvc_reg_ops(void);
unsigned rvc_sp_adjust(void);
unsigned rvc_stack_round_trip(unsigned v);
unsigned rvc_load_store(volatile unsigned *words);
unsigned rvc_branches(unsigned v);
unsigned rvc_jal_link(void);
unsigned rvc_jalr_link(void);
unsigned rvc_nops(void);

static volatile unsigned words[2];

void check_rvc(void)
{
    check("c.li-c.addi", rvc_li_addi(), 0xfffffffeu);
    check("c.srai-c.srli-c.slli-c.andi", rvc_shifts(), 0x1cu);
    check("c.lui-negative", rvc_lui(), 0xfffe1000u);
    check("c.mv-c.and-c.or-c.xor-c.add-c.sub", rvc_reg_ops(), 17u);
    check("c.addi16sp-c.addi4spn", rvc_sp_adjust(), 64u * 256 + 20);
    check("c.swsp-c.lwsp", rvc_stack_round_trip(0x12345677u), 0x12345678u);
    words[0] = 0x7fffffffu;
    words[1] = 0;
    check("c.lw-c.sw", rvc_load_store(words), 0x80000000u);
    check("c.sw-stored", words[1], 0x80000000u);
    check("c.beqz-taken", rvc_branches(0), 1u);
    check("c.beqz-not-taken-c.bnez-taken", rvc_branches(5), 12u);
    check("c.jal-link", rvc_jal_link(), 2u);
    check("c.jalr-link", rvc_jalr_link(), 2u);
    check("c.nop", rvc_nops(), 3u);
}
