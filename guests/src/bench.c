/* bench.c: CPU-bound benchmark (CRC32, matrix multiply, heapsort, 64-bit division) with exact instret per kernel. */
#include <stdint.h>
#include "console.h"
#include "csr.h"

#define CRC_BYTES  (64 * 1024)
#define CRC_PASSES 150
#define MAT_N      64
#define MAT_REPS   52
#define SORT_N     (16 * 1024)
#define SORT_REPS  22
#define DIV_COUNT  500000

static unsigned lcg_state;

static unsigned lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

/* ---- CRC32 (IEEE, reflected, table driven) ---- */
static uint8_t crc_buf[CRC_BYTES];
static unsigned crc_table[256];

static unsigned kernel_crc32(void)
{
    for (unsigned i = 0; i < 256; i++) {
        unsigned c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    lcg_state = 1;
    for (unsigned i = 0; i < CRC_BYTES; i++)
        crc_buf[i] = (uint8_t)(lcg() >> 24);
    unsigned crc = 0xffffffffu;
    for (int pass = 0; pass < CRC_PASSES; pass++)
        for (unsigned i = 0; i < CRC_BYTES; i++)
            crc = crc_table[(crc ^ crc_buf[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

/* ---- integer matrix multiply ---- */
static unsigned mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];

static unsigned kernel_matmul(void)
{
    lcg_state = 2;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            mat_a[i][j] = lcg() >> 20;
            mat_b[i][j] = lcg() >> 20;
        }
    unsigned sum = 0;
    for (int rep = 0; rep < MAT_REPS; rep++) {
        for (int i = 0; i < MAT_N; i++)
            for (int j = 0; j < MAT_N; j++) {
                unsigned acc = 0;
                for (int k = 0; k < MAT_N; k++)
                    acc += mat_a[i][k] * mat_b[k][j];
                mat_c[i][j] = acc;
            }
        for (int i = 0; i < MAT_N; i++)
            for (int j = 0; j < MAT_N; j++) {
                sum = (sum << 5 | sum >> 27) ^ mat_c[i][j];
                mat_a[i][j] = (mat_c[i][j] ^ mat_c[i][j] >> 16) & 0xfff;  /* feed the product back in */
            }
    }
    return sum;
}

/* ---- heapsort ---- */
static unsigned sort_buf[SORT_N];

static void sift_down(unsigned *v, unsigned root, unsigned n)
{
    for (;;) {
        unsigned child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && v[child + 1] > v[child])
            child++;
        if (v[root] >= v[child])
            return;
        unsigned t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

static void heapsort(unsigned *v, unsigned n)
{
    for (unsigned i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (unsigned end = n - 1; end > 0; end--) {
        unsigned t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift_down(v, 0, end);
    }
}

static unsigned kernel_sort(void)
{
    lcg_state = 3;
    unsigned sum = 0;
    for (int rep = 0; rep < SORT_REPS; rep++) {
        for (unsigned i = 0; i < SORT_N; i++)
            sort_buf[i] = lcg();
        heapsort(sort_buf, SORT_N);
        for (unsigned i = 1; i < SORT_N; i++)
            if (sort_buf[i - 1] > sort_buf[i])
                return 0xdeadbeefu;             /* not sorted */
        for (unsigned i = 0; i < SORT_N; i += 97)
            sum = sum * 31 + sort_buf[i];
    }
    return sum;
}

/* ---- 64-bit division through libgcc (__udivdi3 / __umoddi3) ---- */
static unsigned kernel_div64(void)
{
    lcg_state = 4;
    uint64_t acc = 0;
    for (unsigned i = 0; i < DIV_COUNT; i++) {
        uint64_t x = ((uint64_t)lcg() << 32) | lcg();
        uint64_t d = (((uint64_t)lcg() << 32) | lcg()) >> (i % 61);
        d |= 1;
        acc += (x / d) ^ (x % d);
    }
    return (unsigned)(acc ^ (acc >> 32));
}

struct kernel {
    const char *name;
    unsigned (*run)(void);
    unsigned want;          /* expected checksum (QEMU and an independent host computation agree) */
};

static const struct kernel kernels[] = {
    { "crc32",  kernel_crc32,  0x55fac925 },
    { "matmul", kernel_matmul, 0xfaabae45 },
    { "sort",   kernel_sort,   0xb0836a6e },
    { "div64",  kernel_div64,  0xe608d729 },
};

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    uint64_t total = 0;
    int bad = 0;
    for (unsigned i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
        uint64_t before = rdinstret();
        unsigned sum = kernels[i].run();
        uint64_t spent = rdinstret() - before;
        total += spent;
        int ok = sum == kernels[i].want;
        bad += !ok;
        printf("bench: %-6s checksum 0x%08x %s instret %llu\n", kernels[i].name, sum, ok ? "ok" : "WRONG", spent);
    }
    printf("bench: total instret %llu, %d wrong\n", total, bad);
    return bad;
}
