/* fw.h: the firmware's shared state and the functions its files offer each other. Hand-written; nothing here is generated. */
#ifndef FW_H
#define FW_H

#include <stdint.h>

#define FW_MAX_HARTS 8   /* matches MAX_HARTS in link.ld */

/* The registers a trap saved, x[i] at 4 * i (x[0] unused); the handler may change any of them. */
struct trap_frame {
    uint32_t x[32];
};
#define REG_A0 10
#define REG_A1 11
#define REG_A2 12
#define REG_A6 16
#define REG_A7 17

/* What an SBI call returns: a0 = error, a1 = value. */
struct sbiret {
    long error;
    long value;
};

/* Per-hart state other harts read and write: HSM state, start request, IPI and fence requests. */
struct hart {
    volatile int state;              /* SBI_HSM_* */
    volatile uint32_t start_addr;
    volatile uint32_t opaque;
    volatile uint32_t ipi_pending;   /* 1: raise SSIP at the next software interrupt */
    volatile uint32_t fence_req;     /* fence requests made (counter) */
    volatile uint32_t fence_done;    /* fence_req value the hart had seen when it last fenced */
};

extern struct hart harts[FW_MAX_HARTS];
extern unsigned fw_nharts;           /* harts in the device tree, at most FW_MAX_HARTS */
extern uint32_t fw_ram_end;          /* end of the first memory range (exclusive; 0 = 4 GiB) */
extern char _fw_start[], _fw_region_end[];   /* link.ld: the PMP-protected region */

/* boot.c */
void fw_fail(const char *why) __attribute__((noreturn));
int fw_range_is_payload_ram(uint32_t addr, uint32_t len);

/* entry.S: enter the next stage at addr in mode (0 U, 1 S, 3 M) with a0 = hartid, a1 = arg. */
void enter_next(uint32_t hartid, uint32_t arg, uint32_t addr, uint32_t mode) __attribute__((noreturn));

/* trap.c */
void trap_handler(struct trap_frame *f);

/* ecall.c */
struct sbiret sbi_dispatch(struct trap_frame *f, unsigned hartid);

/* hsm.c */
void hsm_wait_for_start(unsigned hartid) __attribute__((noreturn));
struct sbiret hsm_call(unsigned fid, struct trap_frame *f, unsigned hartid);

/* ipi.c */
void ipi_handle_soft(unsigned hartid);
struct sbiret ipi_send(uint32_t mask, uint32_t base);
struct sbiret rfence_call(unsigned fid, uint32_t mask, uint32_t base, unsigned hartid);

/* timer.c */
/* Whether the hart has Sstc (menvcfg.STCE stuck at 1): S's timer is then stimecmp. */
extern int fw_sstc;
struct sbiret timer_set(unsigned hartid, uint32_t lo, uint32_t hi);
void timer_handle_irq(void);
void timer_stop(unsigned hartid);

/* fdt-reserve.c: reserve [base, base + size) in the blob's /memreserve/ map; NULL or a reason. */
const char *fdt_reserve_region(void *fdt, uint32_t base, uint32_t size);

/* console-in.c */
int uart_getc(void);   /* a received byte, or -1 if none is waiting */

#endif
