/* rvc.S: C extension checks written with explicit compressed mnemonics; each function returns a value to check. */

        .text
        .option push
        .option rvc

/* c.li, c.addi (negative), c.slli, c.srli, c.srai, c.andi: returns -2, then a chain of shifts */
        .globl  rvc_li_addi
rvc_li_addi:
        c.li    a0, -5
        c.addi  a0, 3                   /* -2 */
        c.jr    ra

        .globl  rvc_shifts
rvc_shifts:
        c.li    a0, -16                 /* 0xfffffff0 */
        c.srai  a0, 2                   /* 0xfffffffc */
        c.srli  a0, 28                  /* 0x0000000f */
        c.slli  a0, 8                   /* 0x00000f00 */
        c.andi  a0, -32                 /* 0x00000f00 */
        c.addi  a0, 31                  /* 0x00000f1f */
        c.andi  a0, 0x1c                /* 0x0000001c */
        c.jr    ra

/* c.lui with a negative immediate */
        .globl  rvc_lui
rvc_lui:
        c.lui   a0, 0xfffe1             /* 0xfffe1000 */
        c.jr    ra

/* c.mv, c.add, c.sub, c.and, c.or, c.xor: returns ((12 & 10) | 1) ^ 6 + 12 - 10 ... see rvc.c */
        .globl  rvc_reg_ops
rvc_reg_ops:
        c.li    a0, 12
        c.li    a1, 10
        c.mv    a2, a0                  /* 12 */
        c.and   a0, a1                  /* 8 */
        c.li    a3, 1
        c.or    a0, a3                  /* 9 */
        c.li    a3, 6
        c.xor   a0, a3                  /* 15 */
        c.add   a0, a2                  /* 27 */
        c.sub   a0, a1                  /* 17 */
        c.jr    ra

/* c.addi16sp and c.addi4spn: returns (sp - sp') * 256 + (a0 - sp') */
        .globl  rvc_sp_adjust
rvc_sp_adjust:
        c.mv    a1, sp
        c.addi16sp sp, -64
        c.addi4spn a0, sp, 20
        c.mv    a3, sp
        c.sub   a1, a3                  /* 64 */
        sub     a0, a0, sp              /* 20 */
        c.slli  a1, 8
        c.add   a0, a1
        c.addi16sp sp, 64
        c.jr    ra

/* c.swsp / c.lwsp round trip through the stack */
        .globl  rvc_stack_round_trip
rvc_stack_round_trip:                   /* a0 = value */
        c.addi16sp sp, -16
        c.swsp  a0, 12(sp)
        c.li    a0, 0
        c.lwsp  a0, 12(sp)
        c.addi  a0, 1
        c.addi16sp sp, 16
        c.jr    ra

/* c.lw / c.sw: a0 = pointer to two words; word[1] = word[0] + 1; returns word[1] */
        .globl  rvc_load_store
rvc_load_store:
        c.lw    a1, 0(a0)
        c.addi  a1, 1
        c.sw    a1, 4(a0)
        c.lw    a0, 4(a0)
        c.jr    ra

/* c.beqz / c.bnez: returns 1 if a0 == 0, else 2; then 10 more if a0 != 0 again via c.bnez */
        .globl  rvc_branches
rvc_branches:
        c.mv    a1, a0
        c.beqz  a1, 1f
        c.li    a0, 2
        c.j     2f
1:      c.li    a0, 1
2:      c.bnez  a1, 3f
        c.jr    ra
3:      c.addi  a0, 10
        c.jr    ra

/* c.jal links ra = pc + 2: returns the link offset from the c.jal itself */
        .globl  rvc_jal_link
rvc_jal_link:
        c.mv    a5, ra
        la      a1, 1f
1:      c.jal   2f
        c.j     3f
2:      sub     a0, ra, a1              /* 2 */
        c.jr    ra
3:      c.mv    ra, a5
        c.jr    ra

/* c.jalr links ra = pc + 2 and jumps through a register */
        .globl  rvc_jalr_link
rvc_jalr_link:
        c.mv    a5, ra
        la      a2, 2f
        la      a1, 1f
1:      c.jalr  a2
        c.mv    ra, a5
        c.jr    ra
2:      sub     a0, ra, a1              /* 2 */
        c.jr    ra

/* c.nop and c.add x0-hints change nothing */
        .globl  rvc_nops
rvc_nops:
        c.li    a0, 3
        c.nop
        c.addi  a0, 0                   /* a HINT, no effect */
        c.jr    ra

        .option pop
