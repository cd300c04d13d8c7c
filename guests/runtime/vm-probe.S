/* vm-probe.S: runs one small access in U, S or M (with MPRV) mode from M-mode and reports the trap it took,
   for the Sv32 and PMP guests. Every trap goes to M-mode (no delegation); M-mode itself is untranslated. */

#define MSTATUS_MPRV 0x20000

/* No fault yet; traps go to probe_trap. */
.macro PROBE_ARM
        li      t1, -1
        la      t0, probe_cause
        sw      t1, 0(t0)
        la      t0, probe_trap
        csrw    mtvec, t0
.endm

        .section .text, "ax", @progbits
        .option push
        .option norvc

/* unsigned probe_run(unsigned mstatus_bits, unsigned pc, unsigned a0, unsigned a1): mret to pc with
   mstatus |= mstatus_bits (MPP, MPRV, SUM, MXR: the caller clears them first) and a0/a1; the code ends in
   ecall. Returns the a0 it left; probe_cause/probe_tval say which fault it took (cause ~0: none). */
        .globl  probe_run
probe_run:
        la      t0, probe_saved
        sw      ra, 0(t0)
        sw      sp, 4(t0)
        sw      s0, 8(t0)
        sw      gp, 12(t0)
        PROBE_ARM
        csrs    mstatus, a0
        csrw    mepc, a1
        mv      a0, a2
        mv      a1, a3
        mret
        j       probe_done              /* the handler skips an mret that was illegal to here */

/* unsigned probe_mprv_lw(unsigned mstatus_bits, unsigned addr): an M-mode load with mstatus |= bits
   (MPRV, MPP, SUM, MXR); the result and fault as probe_run reports them. */
        .globl  probe_mprv_lw
probe_mprv_lw:
        PROBE_ARM
        csrs    mstatus, a0
        lw      a0, 0(a1)
        li      t0, 0x1800 | MSTATUS_MPRV | 0xc0000
        csrc    mstatus, t0
        ret

/* The trap handler: a fault is recorded and the faulting instruction skipped (probe instructions are four
   bytes), except a failed fetch, which ends the probe like its ecall. t0 and t1 are the handler's. */
        .balign 4
probe_trap:
        li      t0, MSTATUS_MPRV        /* M-mode data must be physical again before the handler stores */
        csrc    mstatus, t0
        csrr    t0, mcause
        li      t1, 8
        beq     t0, t1, probe_done
        li      t1, 9
        beq     t0, t1, probe_done
        li      t1, 11
        beq     t0, t1, probe_done
        la      t1, probe_cause
        sw      t0, 0(t1)
        csrr    t0, mtval
        la      t1, probe_tval
        sw      t0, 0(t1)
        csrr    t0, mcause
        li      t1, 1
        beq     t0, t1, probe_done
        li      t1, 12
        beq     t0, t1, probe_done
        csrr    t0, mepc
        addi    t0, t0, 4
        csrw    mepc, t0
        mret
probe_done:
        li      t0, 0x1800 | MSTATUS_MPRV | 0xc0000   /* MPP, MPRV, SUM, MXR back to 0 */
        csrc    mstatus, t0
        la      t0, probe_saved
        lw      ra, 0(t0)
        lw      sp, 4(t0)
        lw      s0, 8(t0)
        lw      gp, 12(t0)
        ret

/* The probes run in U or S mode from a page of their own, so it can be mapped for U alone. They use a0 and
   a1 only, and end in ecall. */
        .section .text.probes, "ax", @progbits
        .balign 4096
        .globl  probes_page, probe_lw, probe_sw, probe_amo, probe_lr, probe_jump, probe_land, probe_sfence, probe_satp
probes_page:
probe_lw:
        lw      a0, 0(a0)
        ecall
probe_sw:
        sw      a1, 0(a0)
        ecall
probe_amo:
        amoadd.w a0, a1, (a0)
        ecall
probe_lr:
        lr.w    a0, (a0)
        ecall
probe_sfence:
        sfence.vma
        ecall
probe_satp:
        csrr    a0, satp
        ecall
probe_jump:
        jr      a0
/* Copied to pages a probe jumps into: a fetch that worked returns 0x42. */
probe_land:
        li      a0, 0x42
        ecall
        .balign 4096
        .option pop

        .section .bss
        .balign 4
        .globl  probe_cause, probe_tval
probe_cause: .word 0
probe_tval:  .word 0
probe_saved: .word 0, 0, 0, 0
