/* fail.c: prints one line and ends through the test device with exit code 7 (fault-policy tests). */
#include "console.h"

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    puts("fail: exiting with code 7");
    return 7;
}
