/* spin.c: hart 0 loops forever and prints nothing (for timeout tests); the other harts park in WFI. */

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    for (;;)
        __asm__ volatile("");
}
