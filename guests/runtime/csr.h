/* csr.h: CSR access macros (32-bit values as unsigned int) and 64-bit counter reads for RV32. */
#ifndef CSR_H
#define CSR_H

#include <stdint.h>

#define read_csr(reg) ({ unsigned __v; __asm__ volatile("csrr %0, " #reg : "=r"(__v) :: "memory"); __v; })
#define write_csr(reg, val) __asm__ volatile("csrw " #reg ", %0" :: "rK"(val) : "memory")
#define set_csr(reg, bits) __asm__ volatile("csrs " #reg ", %0" :: "rK"(bits) : "memory")
#define clear_csr(reg, bits) __asm__ volatile("csrc " #reg ", %0" :: "rK"(bits) : "memory")
#define swap_csr(reg, val) ({ unsigned __v; __asm__ volatile("csrrw %0, " #reg ", %1" : "=r"(__v) : "rK"(val) : "memory"); __v; })

/* mstatus / sstatus fields */
#define MSTATUS_SIE  (1u << 1)
#define MSTATUS_MIE  (1u << 3)
#define MSTATUS_SPIE (1u << 5)
#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_SPP  (1u << 8)
#define MSTATUS_MPP  (3u << 11)
#define MSTATUS_MPRV (1u << 17)

/* interrupt numbers (mip / mie bits, mcause low bits) */
#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11
#define MCAUSE_INTERRUPT 0x80000000u

/* exception causes */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11

/* Read a 64-bit counter on RV32: hi, lo, hi again until both hi reads agree (no carry in between). */
#define READ_CSR64(lo, hi) ({                                                \
    unsigned __h, __l, __h2;                                                  \
    do {                                                                      \
        __asm__ volatile("csrr %0, " #hi : "=r"(__h));                        \
        __asm__ volatile("csrr %0, " #lo : "=r"(__l));                        \
        __asm__ volatile("csrr %0, " #hi : "=r"(__h2));                       \
    } while (__h != __h2);                                                    \
    ((uint64_t)__h << 32) | __l; })

#ifdef CSR_USER_COUNTERS  /* code that runs below M-mode reads the unprivileged aliases (mcounteren permitting) */
static inline uint64_t rdinstret(void) { return READ_CSR64(instret, instreth); }
#else
static inline uint64_t rdinstret(void) { return READ_CSR64(minstret, minstreth); }
#endif
static inline uint64_t rdcycle(void) { return READ_CSR64(mcycle, mcycleh); }

#endif
