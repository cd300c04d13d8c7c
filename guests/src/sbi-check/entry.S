/* entry.S: sbi-check's S-mode entries (the boot hart at _start, started harts at secondary_start) and its stvec handler. Hand-written assembly: S-mode entry and the trap frame cannot be done in C. */

        .section .text.init, "ax", @progbits
        .globl  _start
_start:
        /* a0 = hartid, a1 = device tree (SBI boot convention). */
        mv      s0, a0
        mv      tp, a0                  /* the hart id, for cur_hart() */
        mv      s1, a1
        call    set_stack
        la      t0, __bss_start
        la      t1, __bss_end
1:      bgeu    t0, t1, 2f
        sw      zero, 0(t0)
        addi    t0, t0, 4
        j       1b
2:      la      t0, s_trap_entry
        csrw    stvec, t0
        mv      a0, s0
        mv      a1, s1
        call    sbi_check_main
        j       halt

/* hart_start target: a0 = hartid, a1 = opaque. */
        .globl  secondary_start
secondary_start:
        mv      s0, a0
        mv      tp, a0                  /* the hart id, for cur_hart() */
        mv      s1, a1
        call    set_stack
        la      t0, s_trap_entry
        csrw    stvec, t0
        mv      a0, s0
        mv      a1, s1
        call    secondary_main
halt:   wfi
        j       halt

/* sp = __stack_top - hartid * __stack_size, for hartid in s0 (beyond MAX_HARTS: halt). */
set_stack:
        la      t0, __max_harts
        bgeu    s0, t0, halt
        la      t0, __stack_size
        mul     t0, t0, s0
        la      sp, __stack_top
        sub     sp, sp, t0
        ret

/* Save the caller-saved registers, call s_trap(), restore, sret. */
        .text
        .balign 4
s_trap_entry:
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
        call    s_trap
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
        sret
