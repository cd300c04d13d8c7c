/* htif-pass.c: reports success the riscv-tests way, by storing 1 to the 64-bit HTIF tohost word. */
#include <stdint.h>
#include "console.h"

/* Compile-time settings (-D..., or htif-fail.c): the code reported, and the line printed first. */
#ifndef HTIF_CODE
#define HTIF_CODE 0
#define HTIF_LINE "htif-pass: tohost <- 1"
#endif

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(8)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8)));

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    puts(HTIF_LINE);
    volatile uint32_t *word = (volatile uint32_t *)&tohost;
    word[1] = 0;                    /* high half first, so the value is whole when the low half lands */
    word[0] = (HTIF_CODE << 1) | 1;
    for (;;)
        __asm__ volatile("");
}
