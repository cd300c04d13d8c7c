/* yield.c: exercises the hypervisor-services device: identity, 1000 yields, ready, the console, and refused arguments. */
#include <stdint.h>
#include "console.h"
#include "tessera-hv.h"

#define YIELDS 1000

static int failures;

static void expect_status(const char *what, int32_t got, int32_t want)
{
    printf("yield: %s -> status %d%s\n", what, (int)got, got == want ? "" : " (WRONG)");
    if (got != want)
        failures++;
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    if (!hv_present()) {
        puts("yield: no hypervisor-services device at 0x04000000 (not in a Tessera VM)");
        return 2;
    }
    char name[HV_NAME_BYTES + 1];
    hv_name(name);
    printf("yield: vm %u \"%s\" vcpu %u of %u, services version %u\n", (unsigned)hv_vm_id(), name,
           (unsigned)hv_vcpu_id(), (unsigned)hv_vcpu_count(), (unsigned)hv_read(HV_VERSION));

    int bad = 0;
    for (int i = 0; i < YIELDS; i++) {
        hv_yield();
        bad += hv_status() != HV_OK;
    }
    printf("yield: %d yields, %d with a non-zero status\n", YIELDS, bad);
    failures += bad != 0;

    expect_status("hv_ready(0)", hv_ready(0), HV_OK);
    expect_status("hv_ready(300)", hv_ready(300), -HV_EINVAL);
    expect_status("hv_console_putc(0x1234)", hv_console_putc(0x1234), -HV_EINVAL);
    int32_t console = HV_OK;
    for (const char *s = "yield: hello through the hv console\n"; *s; s++)
        if (hv_console_putc((uint8_t)*s) != HV_OK)
            console = hv_status();
    expect_status("hv_console_putc of a line", console, HV_OK);
    printf("yield: %s\n", failures ? "FAILED" : "done");
    return failures ? 1 : 0;
}
