/* uart-irq.c: the UART's THR-empty interrupt through the PLIC (source 10) into an M-mode handler. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "exit.h"

/* The PLIC of QEMU virt (SiFive): context 0 is hart 0's M-mode. */
#define PLIC_BASE           0x0c000000u
#define PLIC_PRIORITY(src)  (PLIC_BASE + 4u * (src))
#define PLIC_PENDING(word)  (PLIC_BASE + 0x1000u + 4u * (word))
#define PLIC_ENABLE(ctx)    (PLIC_BASE + 0x2000u + 0x80u * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx)     (PLIC_BASE + 0x200004u + 0x1000u * (ctx))
#define UART_IRQ 10u
#define CONTEXT 0u

#define UART_IER 1
#define UART_IIR 2
#define IER_THRI 0x02u

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define UART ((volatile uint8_t *)UART_BASE)

/* One word of the message travels in each THR-empty interrupt's line. */
static const char *const words[] = { "THR-empty", "interrupts", "through", "the", "PLIC" };
#define WORDS (sizeof words / sizeof words[0])

static volatile unsigned interrupts;
static volatile int done;

/*
 * Each interrupt: claim (source 10), claim again (0: it is in service), read IIR (which
 * acknowledges THR-empty), print one line, complete. Printing empties THR again, so the UART's
 * line is high when the handler completes and the PLIC interrupts once more; the last interrupt
 * turns THRI off before printing, so its completion leaves nothing pending.
 */
__attribute__((interrupt("machine"), aligned(4))) static void trap_handler(void)
{
    unsigned cause = read_csr(mcause);
    if (cause != (MCAUSE_INTERRUPT | IRQ_M_EXT)) {
        printf("uart-irq: unexpected trap mcause 0x%08x mepc 0x%08x mtval 0x%08x\n", cause, read_csr(mepc), read_csr(mtval));
        exit(3);
    }
    uint32_t id = REG32(PLIC_CLAIM(CONTEXT));
    uint32_t again = REG32(PLIC_CLAIM(CONTEXT));
    unsigned iir = UART[UART_IIR];
    unsigned n = ++interrupts;
    if (n > WORDS) {
        printf("uart-irq: interrupt %u after THRI was turned off (claim %u)\n", n, (unsigned)id);
        exit(2);
    }
    if (n == WORDS)
        UART[UART_IER] = 0;
    printf("uart-irq: interrupt %u: mcause 0x%08x, claim %u (again %u), IIR 0x%02x: %s\n", n, cause, (unsigned)id,
           (unsigned)again, iir, words[n - 1]);
    REG32(PLIC_CLAIM(CONTEXT)) = id;
    if (n == WORDS)
        done = 1;
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    write_csr(mtvec, (uintptr_t)trap_handler);
    REG32(PLIC_PRIORITY(UART_IRQ)) = 1;
    REG32(PLIC_ENABLE(CONTEXT)) = 1u << UART_IRQ;
    REG32(PLIC_THRESHOLD(CONTEXT)) = 1;     /* priority 1 is not above threshold 1: held back */
    printf("uart-irq: PLIC source %u priority %u, context 0 enable 0x%08x threshold %u\n", UART_IRQ,
           (unsigned)REG32(PLIC_PRIORITY(UART_IRQ)), (unsigned)REG32(PLIC_ENABLE(CONTEXT)),
           (unsigned)REG32(PLIC_THRESHOLD(CONTEXT)));
    set_csr(mie, 1u << IRQ_M_EXT);
    set_csr(mstatus, MSTATUS_MIE);

    UART[UART_IER] = IER_THRI;              /* THR is empty: the UART raises its line at once */
    uint32_t pending = REG32(PLIC_PENDING(0));
    printf("uart-irq: THRI on, threshold 1: pending 0x%08x, %u interrupts taken\n", (unsigned)pending, interrupts);

    REG32(PLIC_THRESHOLD(CONTEXT)) = 0;     /* now priority 1 is above the threshold */
    while (!done)
        __asm__ volatile("wfi");

    clear_csr(mstatus, MSTATUS_MIE);
    uint32_t claim = REG32(PLIC_CLAIM(CONTEXT));
    pending = REG32(PLIC_PENDING(0));
    unsigned meip = (read_csr(mip) >> IRQ_M_EXT) & 1u;
    printf("uart-irq: %u interrupts; after the last: claim %u, pending 0x%08x, mip.MEIP %u\n", interrupts, (unsigned)claim,
           (unsigned)pending, meip);
    return interrupts == WORDS && claim == 0 && pending == 0 && meip == 0 ? 0 : 1;
}
