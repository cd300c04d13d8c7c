/* rv32m.c: M extension checks: products and their high halves, division and remainder corner cases. */
#include "selfcheck.h"

#define RR(op, a, b) ({ unsigned __r; __asm__ volatile(op " %0, %1, %2" : "=r"(__r) : "r"(a), "r"(b)); __r; })

void check_rv32m(void)
{
    check("mul", RR("mul", 0x12345678u, 0x9abcdef0u), 0x242d2080u);
    check("mul-negative", RR("mul", 0xfffffffdu, 7u), 0xffffffebu);
    check("mulh-both-negative", RR("mulh", 0x80000000u, 0x80000000u), 0x40000000u);
    check("mulh-minus1-squared", RR("mulh", 0xffffffffu, 0xffffffffu), 0u);
    check("mulh-mixed-sign", RR("mulh", 0xffffffffu, 2u), 0xffffffffu);
    check("mulhu", RR("mulhu", 0xffffffffu, 0xffffffffu), 0xfffffffeu);
    check("mulhu-small", RR("mulhu", 0x80000000u, 2u), 1u);
    check("mulhsu-negative-by-unsigned", RR("mulhsu", 0xffffffffu, 0xffffffffu), 0xffffffffu);
    check("mulhsu-positive-by-unsigned", RR("mulhsu", 2u, 0xffffffffu), 1u);
    check("mulhsu-min-by-max", RR("mulhsu", 0x80000000u, 0xffffffffu), 0x80000000u);
    check("div-truncates", RR("div", 0xfffffff9u, 2u), 0xfffffffdu);       /* -7 / 2 = -3 */
    check("rem-sign-of-dividend", RR("rem", 0xfffffff9u, 2u), 0xffffffffu); /* -7 % 2 = -1 */
    check("rem-negative-divisor", RR("rem", 7u, 0xfffffffeu), 1u);          /* 7 % -2 = 1 */
    check("divu", RR("divu", 0xfffffff9u, 2u), 0x7ffffffcu);
    check("remu", RR("remu", 0xfffffff9u, 2u), 1u);
    check("div-by-zero", RR("div", 5u, 0u), 0xffffffffu);
    check("divu-by-zero", RR("divu", 5u, 0u), 0xffffffffu);
    check("rem-by-zero", RR("rem", 0xfffffffbu, 0u), 0xfffffffbu);
    check("remu-by-zero", RR("remu", 5u, 0u), 5u);
    check("div-overflow", RR("div", 0x80000000u, 0xffffffffu), 0x80000000u);
    check("rem-overflow", RR("rem", 0x80000000u, 0xffffffffu), 0u);
    check("divu-no-overflow", RR("divu", 0x80000000u, 0xffffffffu), 0u);
}
