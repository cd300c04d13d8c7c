/* probe.S: one access per probe function, so the trap handler knows exactly which instruction to skip; and the M-mode trap entry. */

        .text
/* uint32_t probe_load(uint32_t addr): lw; 0 if it faulted */
        .globl  probe_load
probe_load:
        mv      t0, a0
        li      a0, 0
        lw      a0, 0(t0)
        ret

/* void probe_store(uint32_t addr, uint32_t value): sw */
        .globl  probe_store
probe_store:
        sw      a1, 0(a0)
        ret

/* uint32_t probe_amoswap(uint32_t addr, uint32_t value): amoswap.w, the old value */
        .globl  probe_amoswap
probe_amoswap:
        mv      t0, a0
        li      a0, 0
        amoswap.w a0, a1, (t0)
        ret

/* uint32_t probe_amoadd(uint32_t addr, uint32_t value): amoadd.w, the old value */
        .globl  probe_amoadd
probe_amoadd:
        mv      t0, a0
        li      a0, 0
        amoadd.w a0, a1, (t0)
        ret

/* uint32_t probe_lr(uint32_t addr): lr.w */
        .globl  probe_lr
probe_lr:
        mv      t0, a0
        li      a0, 0
        lr.w    a0, (t0)
        ret

/* uint32_t probe_sc(uint32_t addr, uint32_t value): sc.w: 0 stored, non-zero failed; 2 is left if it faulted */
        .globl  probe_sc
probe_sc:
        mv      t0, a0
        li      a0, 2
        sc.w    a0, a1, (t0)
        ret

/* uint32_t probe_lrsc(uint32_t addr): lr.w then sc.w of the same value; the sc result (0 = stored) */
        .globl  probe_lrsc
probe_lrsc:
        mv      t0, a0
        li      a0, 2
        lr.w    t1, (t0)
        sc.w    a0, t1, (t0)
        ret

/* void probe_fetch(uint32_t addr): jalr to addr. A fetch fault returns to the instruction after the
   jalr (the handler resumes at ra); a mapped address runs whatever is there. */
        .globl  probe_fetch
probe_fetch:
        addi    sp, sp, -16
        sw      ra, 12(sp)
        jalr    ra, 0(a0)
        lw      ra, 12(sp)
        addi    sp, sp, 16
        ret

/* M-mode trap entry (direct): saves the caller-saved registers, mepc = hostile_trap(frame). */
        .balign 4
        .globl  hostile_trap_entry
hostile_trap_entry:
        addi    sp, sp, -64
        sw      ra, 0(sp)
        sw      t0, 4(sp)
        sw      t1, 8(sp)
        sw      t2, 12(sp)
        sw      a0, 16(sp)
        sw      a1, 20(sp)
        sw      a2, 24(sp)
        sw      a3, 28(sp)
        sw      a4, 32(sp)
        sw      a5, 36(sp)
        sw      a6, 40(sp)
        sw      a7, 44(sp)
        sw      t3, 48(sp)
        sw      t4, 52(sp)
        sw      t5, 56(sp)
        sw      t6, 60(sp)
        mv      a0, sp
        call    hostile_trap
        csrw    mepc, a0
        lw      ra, 0(sp)
        lw      t0, 4(sp)
        lw      t1, 8(sp)
        lw      t2, 12(sp)
        lw      a0, 16(sp)
        lw      a1, 20(sp)
        lw      a2, 24(sp)
        lw      a3, 28(sp)
        lw      a4, 32(sp)
        lw      a5, 36(sp)
        lw      a6, 40(sp)
        lw      a7, 44(sp)
        lw      t3, 48(sp)
        lw      t4, 52(sp)
        lw      t5, 56(sp)
        lw      t6, 60(sp)
        addi    sp, sp, 64
        mret
