/* cpu-hog.c: CPU-bound forever: CRC32 over 64 KiB, about 100 M instructions a round, on every hart; hart 0 reports each round. */
#include <stdint.h>
#include "console.h"
#include "crc-load.h"

#define BUF_BYTES (64 * 1024)
#define PASSES    150               /* ~10 instructions a byte: ~100 M instructions a round */
#ifndef CPU_HOG_ROUNDS
#define CPU_HOG_ROUNDS 0            /* 0: forever; otherwise hart 0 exits 0 after this many rounds */
#endif

static uint8_t buf[BUF_BYTES];
static uint32_t table[256];
static volatile int ready;

static void setup(void)
{
    crc_load_setup(table, buf, BUF_BYTES);
    __asm__ volatile("fence rw, rw" ::: "memory");
    ready = 1;
}

/* One round: PASSES passes over the buffer, continuing from crc. */
static unsigned round_crc(unsigned crc)
{
    for (int pass = 0; pass < PASSES; pass++)
        crc = crc_load_block(table, crc, buf, BUF_BYTES);
    return crc;
}

int main(int hartid, const void *fdt)
{
    if (hartid == 0) {
        puts("cpu-hog: CRC32 over 64 KiB, 150 passes a round (about 100 M instructions), on every hart");
        setup();
    } else {
        while (!ready)
            __asm__ volatile("fence rw, rw");
    }
    unsigned crc = 0xffffffffu;
    for (unsigned round = 1; CPU_HOG_ROUNDS == 0 || round <= CPU_HOG_ROUNDS; round++) {
        crc = round_crc(crc);
        if (hartid == 0)
            printf("cpu-hog: round %u crc 0x%08x\n", round, crc ^ 0xffffffffu);
    }
    return 0;
}
