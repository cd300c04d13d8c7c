/* htif-fail.c: reports failure code 3 the riscv-tests way, by storing (3 << 1) | 1 to tohost. */
#include <stdint.h>
#include "console.h"

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(8)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8)));

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    puts("htif-fail: tohost <- 7 (fail code 3)");
    volatile uint32_t *word = (volatile uint32_t *)&tohost;
    word[1] = 0;                    /* high half first, so the value is whole when the low half lands */
    word[0] = (3 << 1) | 1;         /* (code << 1) | 1 */
    for (;;)
        __asm__ volatile("");
}
