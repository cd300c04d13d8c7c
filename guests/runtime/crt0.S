/* crt0.S: guest entry point: per-hart stack, .bss clearing by hart 0, release of the other harts, main(), exit. */

        .section .text.init, "ax", @progbits
        .globl  _start
_start:
        /* QEMU virt (-bios none) enters here on every hart with a0 = mhartid, a1 = FDT address. */
        .option push
        .option norelax
        la      gp, __global_pointer$
        .option pop
        csrr    s0, mhartid             /* trust the CSR; equals a0 on QEMU */
        mv      s1, a1                  /* FDT address, passed on to main */

        /* Harts without a stack slot park at once. */
        la      t0, __max_harts
        bgeu    s0, t0, park

        /* sp = __stack_top - hartid * __stack_size */
        la      t0, __stack_size
        mul     t0, t0, s0
        la      sp, __stack_top
        sub     sp, sp, t0

        bnez    s0, wait_release

        /* Hart 0: clear .bss (16-byte aligned bounds), then release the others. */
        la      t0, __bss_start
        la      t1, __bss_end
1:      bgeu    t0, t1, 2f
        sw      zero, 0(t0)
        sw      zero, 4(t0)
        sw      zero, 8(t0)
        sw      zero, 12(t0)
        addi    t0, t0, 16
        j       1b
2:      fence   rw, rw
        la      t0, boot_release
        li      t1, 1
        sw      t1, 0(t0)
        fence   rw, rw
        j       call_main

wait_release:
        la      t0, boot_release
3:      fence   rw, rw
        lw      t1, 0(t0)
        beqz    t1, 3b
        fence   rw, rw

call_main:
        mv      a0, s0
        mv      a1, s1
        call    main
        bnez    s0, park
        call    exit                    /* hart 0: a0 = exit code; never returns */

        .globl  _park
_park:
park:   wfi
        j       park

        /* The release flag lives in .data (loaded as 0 from the ELF), never in .bss, which it guards. */
        .section .data, "aw", @progbits
        .balign 4
        .globl  boot_release
boot_release:
        .word   0
