/* hello.c: greets on the UART with the hart count read from the device tree, exits 0. */
#include "console.h"
#include "fdt.h"

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    int harts = fdt_count_cpus(fdt);
    if (harts > 0)
        printf("hello from tessera guest: hart 0 of %d\n", harts);
    else
        printf("hello from tessera guest: hart 0, no usable device tree (error %d)\n", harts);
    return 0;
}
