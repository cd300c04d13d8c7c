/* reset-loop.c: every hart asks the board for a reset (SiFive test device 0x7777) soon after boot, forever:
 * a guest that resets itself in a loop must pay for its reboots in its own virtual time and never stall others. */
#include "console.h"
#include "exit.h"

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid == 0)
        puts("reset-loop: booted, resetting");
    for (volatile int i = 0; i < 100 * (hartid + 1); i++)
        ;
    *(volatile unsigned *)TEST_DEVICE_BASE = 0x7777u;
    for (;;)
        ;
}
