/* hart-pair.h: the start of a bare-machine guest whose harts 0 and 1 work together, woken by each other's msip. */
#ifndef HART_PAIR_H
#define HART_PAIR_H

#include "console.h"
#include "fdt.h"
#include "msip.h"

#define HART_PAIR_GO (-1)

/*
 * The first call in main: harts past 1 park (0); hart 1 runs `partner` and ends (0); hart 0 goes on
 * (HART_PAIR_GO) if the device tree names a second hart, else prints "NAME: needs 2 harts" (2).
 * Both wake from WFI on msip without taking it as an interrupt.
 */
static inline int hart_pair_start(const char *name, int hartid, const void *fdt, void (*partner)(void))
{
    if (hartid > 1)
        return 0;
    msip_enable();
    if (hartid == 1) {
        partner();
        return 0;
    }
    int harts = fdt_count_cpus(fdt);
    if (harts < 2) {
        printf("%s: needs 2 harts (found %d)\n", name, harts);
        return 2;
    }
    return HART_PAIR_GO;
}

#endif
