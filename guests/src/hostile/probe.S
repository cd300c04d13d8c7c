/* probe.S: one access per probe function, so the trap handler knows exactly which instruction to skip; and the M-mode trap entry. */
#include "trap-frame.h"

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
        trap_frame_save
        mv      a0, sp
        call    hostile_trap
        csrw    mepc, a0
        trap_frame_restore
        mret
