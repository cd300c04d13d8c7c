/* console-in.c: polled NS16550A receive for the SBI console calls (runtime/console.c only transmits). Hand-written: three register reads do not need a driver library. */
#include <stdint.h>
#include "console.h"
#include "fw.h"

#define UART_RBR 0      /* receive buffer register (read) */
#define UART_LSR 5      /* line status register */
#define LSR_DR   0x01   /* data ready */

int uart_getc(void)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    if (!(uart[UART_LSR] & LSR_DR))
        return -1;
    return uart[UART_RBR];
}
