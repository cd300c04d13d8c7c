/* entry.S: tessera-sbi's entry for every hart (fw_dynamic convention), its M-mode trap vector, and the jump to the next stage. Hand-written assembly: stack and trap-frame set-up cannot be done in C. */

#define FRAME 128               /* struct trap_frame: 32 words */

        .section .text.init, "ax", @progbits
        .globl  _start
_start:
        /* a0 = mhartid, a1 = device tree, a2 = struct fw_dynamic_info (QEMU's fw_dynamic entry). */
        csrw    mie, zero
        csrr    t0, mhartid
        la      t1, __max_harts
        bgeu    t0, t1, park            /* no stack slot: never used */

        /* sp = __stack_top - hartid * __stack_size; mscratch always holds this top. */
        la      t1, __stack_size
        mul     t1, t1, t0
        la      sp, __stack_top
        sub     sp, sp, t1
        csrw    mscratch, sp
        la      t1, trap_entry
        csrw    mtvec, t1

        mv      a0, t0
        call    fw_main                 /* (hartid, fdt, info): never returns */
park:   wfi
        j       park

/* Every trap, from any mode: switch to this hart's M stack, save all registers, call trap_handler(frame). */
        .text
        .balign 4
        .globl  trap_entry
trap_entry:
        csrrw   sp, mscratch, sp
        addi    sp, sp, -FRAME
        sw      x1, 4(sp)
        sw      x3, 12(sp)
        sw      x4, 16(sp)
        sw      x5, 20(sp)
        sw      x6, 24(sp)
        sw      x7, 28(sp)
        sw      x8, 32(sp)
        sw      x9, 36(sp)
        sw      x10, 40(sp)
        sw      x11, 44(sp)
        sw      x12, 48(sp)
        sw      x13, 52(sp)
        sw      x14, 56(sp)
        sw      x15, 60(sp)
        sw      x16, 64(sp)
        sw      x17, 68(sp)
        sw      x18, 72(sp)
        sw      x19, 76(sp)
        sw      x20, 80(sp)
        sw      x21, 84(sp)
        sw      x22, 88(sp)
        sw      x23, 92(sp)
        sw      x24, 96(sp)
        sw      x25, 100(sp)
        sw      x26, 104(sp)
        sw      x27, 108(sp)
        sw      x28, 112(sp)
        sw      x29, 116(sp)
        sw      x30, 120(sp)
        sw      x31, 124(sp)
        csrr    t0, mscratch            /* the interrupted sp */
        sw      t0, 8(sp)
        addi    t0, sp, FRAME
        csrw    mscratch, t0            /* back to the stack top for the next trap */

        mv      a0, sp
        call    trap_handler

        lw      x1, 4(sp)
        lw      x3, 12(sp)
        lw      x4, 16(sp)
        lw      x5, 20(sp)
        lw      x6, 24(sp)
        lw      x7, 28(sp)
        lw      x8, 32(sp)
        lw      x9, 36(sp)
        lw      x10, 40(sp)
        lw      x11, 44(sp)
        lw      x12, 48(sp)
        lw      x13, 52(sp)
        lw      x14, 56(sp)
        lw      x15, 60(sp)
        lw      x16, 64(sp)
        lw      x17, 68(sp)
        lw      x18, 72(sp)
        lw      x19, 76(sp)
        lw      x20, 80(sp)
        lw      x21, 84(sp)
        lw      x22, 88(sp)
        lw      x23, 92(sp)
        lw      x24, 96(sp)
        lw      x25, 100(sp)
        lw      x26, 104(sp)
        lw      x27, 108(sp)
        lw      x28, 112(sp)
        lw      x29, 116(sp)
        lw      x30, 120(sp)
        lw      x31, 124(sp)
        lw      sp, 8(sp)
        mret

/* enter_next(hartid, arg, addr, mode): mret to addr in mode with a0 = hartid, a1 = arg, satp = 0, SIE = 0. */
        .globl  enter_next
enter_next:
        csrw    mepc, a2
        li      t0, (3 << 11) | (1 << 7)        /* MPP, MPIE */
        csrc    mstatus, t0
        slli    t1, a3, 11
        csrs    mstatus, t1
        csrw    satp, zero
        csrci   sstatus, 2                      /* SIE */
        sfence.vma
        fence.i
        mret
