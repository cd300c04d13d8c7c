/* entry.S: rt-timer's M-mode trap entry: samples mtime on its third instruction, then saves registers and calls C. */
#include "trap-frame.h"

#define CLINT_MTIME_LO 0x0200bff8

        .text
        .balign 4
        .globl  rt_trap_entry
rt_trap_entry:
        /* A short, constant prologue: free t0, load mtime's low word, nothing else before it. */
        csrw    mscratch, t0
        lui     t0, %hi(CLINT_MTIME_LO)
        lw      t0, %lo(CLINT_MTIME_LO)(t0)
        csrrw   t0, mscratch, t0        /* t0 back; mscratch = mtime (low word) at entry */

        trap_frame_save
        csrr    a0, mscratch
        call    rt_trap                 /* void rt_trap(uint32_t mtime_lo_at_entry) */
        trap_frame_restore
        mret
