/* trap-frame.h (for .S files): an M-mode trap entry's save and restore of the registers a C call may clobber. */
#ifndef TRAP_FRAME_H
#define TRAP_FRAME_H

/* The caller-saved registers (ra, t0-t6, a0-a7), 4 bytes each; the callee saves the rest. */
#define TRAP_FRAME_BYTES 64

        .macro  trap_frame_save
        addi    sp, sp, -TRAP_FRAME_BYTES
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
        .endm

        .macro  trap_frame_restore
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
        addi    sp, sp, TRAP_FRAME_BYTES
        .endm

#endif
