/* fdt.c: walk a flattened device tree (big-endian, v16+) and count the cpu@ nodes under /cpus. */
#include <stdint.h>
#include "fdt.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define FDT_MAX_SIZE   (1u << 20)   /* refuse anything larger than 1 MiB */
#define RAM_BASE       0x80000000u

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int name_is(const uint8_t *name, uint32_t len, const char *want, int prefix)
{
    uint32_t i = 0;
    for (; want[i]; i++)
        if (i >= len || name[i] != (uint8_t)want[i])
            return 0;
    return prefix || i == len;
}

int fdt_count_cpus(const void *fdt)
{
    uintptr_t addr = (uintptr_t)fdt;
    if (addr < RAM_BASE || (addr & 3) || addr > 0xffffffffu - FDT_MAX_SIZE)
        return FDT_ERR_BADPTR;
    const uint8_t *base = fdt;
    if (be32(base) != FDT_MAGIC)
        return FDT_ERR_BADHEADER;
    uint32_t total = be32(base + 4), off_struct = be32(base + 8), version = be32(base + 20);
    if (total < 40 || total > FDT_MAX_SIZE || version < 16 || off_struct < 40 || off_struct >= total)
        return FDT_ERR_BADHEADER;
    uint32_t size_struct = version >= 17 ? be32(base + 36) : total - off_struct;
    if (size_struct > total - off_struct)
        return FDT_ERR_BADHEADER;

    const uint8_t *p = base + off_struct, *end = p + size_struct;
    int depth = 0, in_cpus = 0, found_cpus = 0, count = 0;
    for (;;) {
        if (end - p < 4)
            return FDT_ERR_BADSTRUCT;
        uint32_t token = be32(p);
        p += 4;
        switch (token) {
        case FDT_BEGIN_NODE: {
            uint32_t len = 0, room = (uint32_t)(end - p);
            while (len < room && p[len])
                len++;
            if (len == room || ++depth > 64)
                return FDT_ERR_BADSTRUCT;
            if (depth == 2 && name_is(p, len, "cpus", 0) && !found_cpus)
                in_cpus = found_cpus = 1;
            else if (depth == 3 && in_cpus && name_is(p, len, "cpu@", 1))
                count++;
            uint32_t skip = (len + 4) & ~3u;    /* name, NUL, padding to 4 */
            if (skip > room)
                return FDT_ERR_BADSTRUCT;
            p += skip;
            break;
        }
        case FDT_END_NODE:
            if (depth == 0)
                return FDT_ERR_BADSTRUCT;
            if (depth == 2)
                in_cpus = 0;
            depth--;
            break;
        case FDT_PROP: {
            if (end - p < 8)
                return FDT_ERR_BADSTRUCT;
            uint32_t len = be32(p);
            p += 8;                             /* len, nameoff */
            if (len > (uint32_t)(end - p))
                return FDT_ERR_BADSTRUCT;
            p += (len + 3) & ~3u;
            if (p > end)
                return FDT_ERR_BADSTRUCT;
            break;
        }
        case FDT_NOP:
            break;
        case FDT_END:
            if (depth != 0)
                return FDT_ERR_BADSTRUCT;
            return found_cpus ? count : FDT_ERR_NOCPUS;
        default:
            return FDT_ERR_BADSTRUCT;
        }
    }
}
