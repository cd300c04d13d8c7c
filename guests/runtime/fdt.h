/* fdt.h: a minimal, bounds-checked flattened device tree reader. */
#ifndef FDT_H
#define FDT_H

#define FDT_ERR_BADPTR    -1  /* null, unaligned or outside RAM (0x80000000..) */
#define FDT_ERR_BADHEADER -2  /* wrong magic, version or sizes */
#define FDT_ERR_BADSTRUCT -3  /* structure block malformed or truncated */
#define FDT_ERR_NOCPUS    -4  /* no /cpus node */
#define FDT_ERR_NOMEMORY  -5  /* no /memory node with a readable reg */

/* Number of nodes named cpu@... directly under /cpus (the hart count), or a negative FDT_ERR_*. */
int fdt_count_cpus(const void *fdt);

/* Size in bytes of the first range of the first /memory or /memory@... node (clamped to 4 GiB),
   using the root's #address-cells (at most 2) and #size-cells (1 or 2); or a negative FDT_ERR_*. */
long long fdt_memory_size(const void *fdt);

#endif
