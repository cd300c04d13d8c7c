/* park.c: every hart waits in WFI with no interrupt enabled, so nothing can ever wake it (deadlock tests). */

int main(int hartid, const void *fdt)
{
    (void)hartid;
    (void)fdt;
    for (;;)
        __asm__ volatile("wfi");
}
