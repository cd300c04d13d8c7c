/* trap-loop.c: executes an illegal instruction with mtvec left at its reset value 0 (a trap loop). */
#include "console.h"

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    puts("trap-loop: illegal instruction with no trap handler");
    /* c.unimp (all zeros) is illegal; the trap jumps to mtvec = 0, where fetching faults again, forever. */
    __asm__ volatile(".2byte 0x0000");
    puts("trap-loop: unreachable");
    return 1;
}
