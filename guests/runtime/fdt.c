/* fdt.c: walk a flattened device tree (big-endian, v16+): the cpu@ nodes under /cpus, the size of /memory. */
#include <stdint.h>
#include "fdt.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define FDT_MAX_SIZE   (1u << 20)   /* refuse anything larger than 1 MiB */
#define FDT_MAX_DEPTH  64
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

/* What the walker reports; depth is 1 for the root node. A callback returning non-zero stops the walk. */
struct fdt_visitor {
    int (*begin_node)(void *ctx, int depth, const uint8_t *name, uint32_t len);
    void (*end_node)(void *ctx, int depth);
    int (*prop)(void *ctx, int depth, const uint8_t *name, uint32_t name_len, const uint8_t *value, uint32_t len);
};

/* Walks the structure block, every read bounded by it; 0 at FDT_END (or when a callback stopped it), else FDT_ERR_*. */
static int fdt_walk(const void *fdt, const struct fdt_visitor *v, void *ctx)
{
    uintptr_t addr = (uintptr_t)fdt;
    if (addr < RAM_BASE || (addr & 3) || addr > 0xffffffffu - FDT_MAX_SIZE)
        return FDT_ERR_BADPTR;
    const uint8_t *base = fdt;
    if (be32(base) != FDT_MAGIC)
        return FDT_ERR_BADHEADER;
    uint32_t total = be32(base + 4), off_struct = be32(base + 8), off_strings = be32(base + 12);
    uint32_t version = be32(base + 20);
    if (total < 40 || total > FDT_MAX_SIZE || version < 16 || off_struct < 40 || off_struct >= total)
        return FDT_ERR_BADHEADER;
    uint32_t size_struct = version >= 17 ? be32(base + 36) : total - off_struct;
    if (size_struct > total - off_struct)
        return FDT_ERR_BADHEADER;
    /* Property names are checked only when a visitor asks for them: a bad strings block is an error then. */
    uint32_t size_strings = off_strings < total ? total - off_strings : 0;
    if (version >= 17 && be32(base + 32) < size_strings)
        size_strings = be32(base + 32);
    const uint8_t *strings = base + off_strings;

    const uint8_t *p = base + off_struct, *end = p + size_struct;
    int depth = 0;
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
            if (len == room || ++depth > FDT_MAX_DEPTH)
                return FDT_ERR_BADSTRUCT;
            if (v->begin_node && v->begin_node(ctx, depth, p, len))
                return 0;
            uint32_t skip = (len + 4) & ~3u;    /* name, NUL, padding to 4 */
            if (skip > room)
                return FDT_ERR_BADSTRUCT;
            p += skip;
            break;
        }
        case FDT_END_NODE:
            if (depth == 0)
                return FDT_ERR_BADSTRUCT;
            if (v->end_node)
                v->end_node(ctx, depth);
            depth--;
            break;
        case FDT_PROP: {
            if (end - p < 8)
                return FDT_ERR_BADSTRUCT;
            uint32_t len = be32(p), nameoff = be32(p + 4);
            p += 8;
            if (len > (uint32_t)(end - p))
                return FDT_ERR_BADSTRUCT;
            if (v->prop) {
                uint32_t name_len = 0;
                if (nameoff >= size_strings)
                    return FDT_ERR_BADSTRUCT;
                while (nameoff + name_len < size_strings && strings[nameoff + name_len])
                    name_len++;
                if (nameoff + name_len == size_strings)
                    return FDT_ERR_BADSTRUCT;
                if (v->prop(ctx, depth, strings + nameoff, name_len, p, len))
                    return 0;
            }
            p += (len + 3) & ~3u;
            if (p > end)
                return FDT_ERR_BADSTRUCT;
            break;
        }
        case FDT_NOP:
            break;
        case FDT_END:
            return depth == 0 ? 0 : FDT_ERR_BADSTRUCT;
        default:
            return FDT_ERR_BADSTRUCT;
        }
    }
}

struct cpu_count {
    int in_cpus, found_cpus, count;
};

static int cpus_begin(void *ctx, int depth, const uint8_t *name, uint32_t len)
{
    struct cpu_count *c = ctx;
    if (depth == 2 && name_is(name, len, "cpus", 0) && !c->found_cpus)
        c->in_cpus = c->found_cpus = 1;
    else if (depth == 3 && c->in_cpus && name_is(name, len, "cpu@", 1))
        c->count++;
    return 0;
}

static void cpus_end(void *ctx, int depth)
{
    struct cpu_count *c = ctx;
    if (depth == 2)
        c->in_cpus = 0;
}

int fdt_count_cpus(const void *fdt)
{
    static const struct fdt_visitor visitor = { cpus_begin, cpus_end, 0 };
    struct cpu_count c = { 0, 0, 0 };
    int err = fdt_walk(fdt, &visitor, &c);
    if (err)
        return err;
    return c.found_cpus ? c.count : FDT_ERR_NOCPUS;
}

struct memory_size {
    uint32_t address_cells, size_cells;
    int in_memory;
    long long size;     /* -1 until found */
};

static int memory_begin(void *ctx, int depth, const uint8_t *name, uint32_t len)
{
    struct memory_size *m = ctx;
    m->in_memory = depth == 2 && (name_is(name, len, "memory", 0) || name_is(name, len, "memory@", 1));
    return 0;
}

static int memory_prop(void *ctx, int depth, const uint8_t *name, uint32_t name_len, const uint8_t *value, uint32_t len)
{
    struct memory_size *m = ctx;
    if (depth == 1 && len == 4 && name_is(name, name_len, "#address-cells", 0))
        m->address_cells = be32(value);
    else if (depth == 1 && len == 4 && name_is(name, name_len, "#size-cells", 0))
        m->size_cells = be32(value);
    else if (depth == 2 && m->in_memory && name_is(name, name_len, "reg", 0)) {
        uint32_t a = m->address_cells, s = m->size_cells;
        if (a > 2 || s < 1 || s > 2 || len < 4 * (a + s))
            return 0;           /* not a layout we read: keep looking, NOMEMORY if nothing else */
        const uint8_t *cell = value + 4 * a;
        uint32_t hi = s == 2 ? be32(cell) : 0, lo = be32(cell + 4 * (s - 1));
        m->size = hi ? 0x100000000ll : lo;  /* RV32: clamp to 4 GiB */
        return 1;
    }
    return 0;
}

long long fdt_memory_size(const void *fdt)
{
    static const struct fdt_visitor visitor = { memory_begin, 0, memory_prop };
    struct memory_size m = { 2, 1, 0, -1 };     /* the devicetree spec's defaults */
    int err = fdt_walk(fdt, &visitor, &m);
    if (err)
        return err;
    return m.size >= 0 ? m.size : FDT_ERR_NOMEMORY;
}
