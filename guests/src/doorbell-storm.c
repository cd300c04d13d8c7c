/* doorbell-storm.c: rings channel 0's doorbell 1,000,000 times as fast as it can, then exits 0 (bad-input tests). */
#include <stdint.h>
#include "console.h"
#include "tessera-doorbell.h"
#include "vm-channel.h"

#define RINGS 1000000u

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    if (!vm_has_channel("doorbell-storm"))
        return 2;
    volatile uint32_t *ring = (volatile uint32_t *)(DOORBELL_BASE + DOORBELL_CH(0) + DOORBELL_CH_RING);
    for (uint32_t i = 0; i < RINGS; i++)
        *ring = i;
    printf("doorbell-storm: rang %u times\n", (unsigned)RINGS);
    return 0;
}
