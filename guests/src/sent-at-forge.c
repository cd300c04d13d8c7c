/* sent-at-forge.c: reports send times that cannot be true (before the run began, far in the future) to the
 * doorbell device's SENT_AT on channel 0, around one true one: only the true one may enter the latency figures. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "tessera-doorbell.h"

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    if (doorbell_channels() == 0) {
        puts("sent-at-forge: no channel");
        return 2;
    }
    while (read_csr(mcycle) < 100000u) /* let the run age, so "1000 cycles ago" lies within it */
        ;
    uint32_t now = read_csr(mcycle);
    doorbell_sent_at(0, now - 1000u);          /* sent 1000 cycles ago: true */
    doorbell_sent_at(0, now + 0x40000000u);    /* a billion cycles in the future */
    doorbell_sent_at(0, now + 0x80000010u);    /* about 2^31 cycles ago: before the run began */
    puts("sent-at-forge: reported 1 true and 2 impossible send times");
    return 0;
}
