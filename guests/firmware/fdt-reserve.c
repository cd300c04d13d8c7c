/* fdt-reserve.c: adds the firmware's region to the device tree's memory reservation block (/memreserve/), so an OS never allocates the RAM that PMP hides from it. Hand-written: runtime/fdt.c only reads, and a 16-byte insertion needs no FDT library. */
#include <stdint.h>
#include "fw.h"

#define FDT_MAGIC 0xd00dfeedu
enum { H_MAGIC, H_TOTALSIZE, H_OFF_STRUCT, H_OFF_STRINGS, H_OFF_RSVMAP, H_VERSION, H_LAST_COMP,
       H_BOOT_CPU, H_SIZE_STRINGS, H_SIZE_STRUCT };

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t hdr(const uint8_t *fdt, int field)
{
    return be32(fdt + 4 * field);
}

static void set_hdr(uint8_t *fdt, int field, uint32_t v)
{
    put_be32(fdt + 4 * field, v);
}

/* Insert the entry (base, size) before the map's terminator, moving everything after it 16 bytes on
   (growing totalsize into the RAM after the blob when it has no slack). NULL on success, else why not. */
const char *fdt_reserve_region(void *blob, uint32_t base, uint32_t size)
{
    uint8_t *fdt = blob;
    if (!fdt || ((uint32_t)fdt & 7) || hdr(fdt, H_MAGIC) != FDT_MAGIC || hdr(fdt, H_VERSION) < 17)
        return "not a version 17 device tree";
    uint32_t total = hdr(fdt, H_TOTALSIZE), rsv = hdr(fdt, H_OFF_RSVMAP);
    uint32_t st = hdr(fdt, H_OFF_STRUCT), st_end = st + hdr(fdt, H_SIZE_STRUCT);
    uint32_t str = hdr(fdt, H_OFF_STRINGS), str_end = str + hdr(fdt, H_SIZE_STRINGS);
    if ((rsv & 7) || rsv >= total || st_end > total || str_end > total || st_end < st || str_end < str)
        return "device tree header out of bounds";

    uint32_t term = rsv;   /* find the (0, 0) terminator; an entry equal to ours means nothing to do */
    for (;; term += 16) {
        if (term + 16 > total)
            return "memory reservation block has no terminator";
        uint32_t addr_hi = be32(fdt + term), addr_lo = be32(fdt + term + 4);
        uint32_t size_hi = be32(fdt + term + 8), size_lo = be32(fdt + term + 12);
        if (!addr_hi && !addr_lo && !size_hi && !size_lo)
            break;
        if (!addr_hi && addr_lo == base && !size_hi && size_lo == size)
            return 0;
    }
    if (st < term + 16 || str < term + 16)
        return "blocks before the memory reservation block's end are not supported";

    uint32_t used = st_end > str_end ? st_end : str_end;
    if (used + 16 > total) {
        uint32_t end = (uint32_t)fdt + used + 16;
        if (end < (uint32_t)fdt || (fw_ram_end != 0 && end > fw_ram_end))
            return "no room after the device tree to grow it";
        total = used + 16;
    }
    for (uint32_t i = used; i-- > term;)   /* move up, from the end down */
        fdt[i + 16] = fdt[i];
    put_be32(fdt + term, 0);
    put_be32(fdt + term + 4, base);
    put_be32(fdt + term + 8, 0);
    put_be32(fdt + term + 12, size);
    set_hdr(fdt, H_OFF_STRUCT, st + 16);
    set_hdr(fdt, H_OFF_STRINGS, str + 16);
    set_hdr(fdt, H_TOTALSIZE, total);
    return 0;
}
