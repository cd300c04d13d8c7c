/* trap.S: M- and S-mode trap entries that call C with a register frame, lower-privilege calls, mtvec vector table. */

#define FRAME 144               /* x0..x31, then epc, status, cause, tval (see struct frame in selfcheck.h) */
#define LOWER_EXIT_MAGIC 0x10e0 /* a7 value of the ecall that ends run_lower's function */

/* Save x1..x31 and four CSRs, call HANDLER(frame), write back epc/status, restore, return with RET. */
.macro TRAP_ENTRY name, handler, epc, status, cause, tval, ret
        .balign 4
        .globl  \name
\name:
        addi    sp, sp, -FRAME
        .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        sw      x\r, 4*\r(sp)
        .endr
        addi    t0, sp, FRAME
        sw      t0, 8(sp)
        csrr    t0, \epc
        sw      t0, 128(sp)
        csrr    t0, \status
        sw      t0, 132(sp)
        csrr    t0, \cause
        sw      t0, 136(sp)
        csrr    t0, \tval
        sw      t0, 140(sp)
        mv      a0, sp
        call    \handler
        lw      t0, 128(sp)
        csrw    \epc, t0
        lw      t0, 132(sp)
        csrw    \status, t0
        .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        lw      x\r, 4*\r(sp)
        .endr
        addi    sp, sp, FRAME
        \ret
.endm

        .text
        TRAP_ENTRY m_trap_entry, m_trap, mepc, mstatus, mcause, mtval, mret
        TRAP_ENTRY s_trap_entry, s_trap, sepc, sstatus, scause, stval, sret

/* Vectored mtvec: entry N (a 4-byte jump, never compressed) records N in trap_vector, then runs m_trap_entry. */
        .balign 256
        .globl  m_vector_table
m_vector_table:
        .option push
        .option norvc
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        j       vector_\n
        .endr
        .option pop

        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
vector_\n:
        addi    sp, sp, -16
        sw      t0, 0(sp)
        sw      t1, 4(sp)
        li      t0, \n
        la      t1, trap_vector
        sw      t0, 0(t1)
        lw      t1, 4(sp)
        lw      t0, 0(sp)
        addi    sp, sp, 16
        j       m_trap_entry
        .endr

/* unsigned run_lower(unsigned mode, unsigned (*fn)(unsigned), unsigned arg):
   run fn(arg) in U (mode 0) or S (mode 1) with interrupts off; when fn returns, an ecall with
   a7 = LOWER_EXIT_MAGIC brings m_trap back here (lower_resume) with fn's result in a0. */
        .globl  run_lower
run_lower:
        la      t0, lower_ctx
        sw      ra, 0(t0)
        sw      sp, 4(t0)
        sw      gp, 8(t0)
        sw      tp, 12(t0)
        .irp r, 8,9,18,19,20,21,22,23,24,25,26,27
        sw      x\r, 4*(\r)(t0)
        .endr
        li      t1, (3 << 11) | (1 << 7)        /* MPP and MPIE */
        csrc    mstatus, t1
        slli    t1, a0, 11
        csrs    mstatus, t1
        csrw    mepc, a1
        mv      a0, a2
        la      ra, lower_exit
        mret

        .globl  lower_exit
lower_exit:
        li      a7, LOWER_EXIT_MAGIC
        ecall
1:      j       1b                              /* not reached */

        .globl  lower_resume
lower_resume:
        la      t0, lower_ctx
        lw      ra, 0(t0)
        lw      sp, 4(t0)
        lw      gp, 8(t0)
        lw      tp, 12(t0)
        .irp r, 8,9,18,19,20,21,22,23,24,25,26,27
        lw      x\r, 4*(\r)(t0)
        .endr
        ret

        .bss
        .balign 4
lower_ctx:
        .space  4 * 28

/* unsigned s_sret_call(const unsigned target[2]): called in S-mode by run_lower; SRETs to
   target[0] with sstatus.SPP = target[1] (0 U, 1 S), SPIE = 1, SIE = 0. That function's return
   goes to lower_exit, so run_lower returns its result. */
        .text
        .globl  s_sret_call
s_sret_call:
        lw      t0, 0(a0)
        csrw    sepc, t0
        lw      t1, 4(a0)
        li      t2, (1 << 8) | (1 << 5) | (1 << 1)     /* SPP, SPIE, SIE */
        csrc    sstatus, t2
        slli    t1, t1, 8
        csrs    sstatus, t1
        li      t2, (1 << 5)
        csrs    sstatus, t2
        la      ra, lower_exit
        sret
