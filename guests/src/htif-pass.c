/* htif-pass.c: reports success the riscv-tests way, by storing 1 to the 64-bit HTIF tohost word. */
#include <stdint.h>
#include "console.h"

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(8)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8)));

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    puts("htif-pass: tohost <- 1");
    volatile uint32_t *word = (volatile uint32_t *)&tohost;
    word[1] = 0;                    /* high half first, so the value is whole when the low half lands */
    word[0] = (0 << 1) | 1;         /* (code << 1) | 1 */
    for (;;)
        __asm__ volatile("");
}
