/* pmp: PMP as U, S and M see it: no entry on (mret to U refused), TOR, NA4, NAPOT, priority, the
   default for each mode, execute rights, and the L bit (M-mode bound, the entry and a TOR's base frozen). */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "vm-probe.h"

#define R 1u
#define W 2u
#define X 4u
#define TOR   (1u << 3)
#define NA4   (2u << 3)
#define NAPOT (3u << 3)
#define L 0x80u

static uint8_t area[4][4096] __attribute__((aligned(4096)));

/* Entry i's configuration byte and address (entries 0..7 live in pmpcfg0/1). */
static uint32_t cfg[2];

static void entry(int i, uint32_t bits, uintptr_t addr)
{
    cfg[i >> 2] = (cfg[i >> 2] & ~(0xffu << (8 * (i & 3)))) | bits << (8 * (i & 3));
    switch (i) {
    case 0: write_csr(pmpaddr0, addr); break;
    case 1: write_csr(pmpaddr1, addr); break;
    case 2: write_csr(pmpaddr2, addr); break;
    case 3: write_csr(pmpaddr3, addr); break;
    case 4: write_csr(pmpaddr4, addr); break;
    case 5: write_csr(pmpaddr5, addr); break;
    case 6: write_csr(pmpaddr6, addr); break;
    default: write_csr(pmpaddr7, addr); break;
    }
    write_csr(pmpcfg0, cfg[0]);
    write_csr(pmpcfg1, cfg[1]);
}

static uintptr_t napot(const void *base, uint32_t bytes)
{
    return ((uintptr_t)base >> 2) | ((bytes >> 3) - 1);
}

static void load(uint32_t mode, const char *label, const void *addr)
{
    probe_run(mode, (uintptr_t)probe_lw, (uintptr_t)addr, 0);
    probe_show(label, (uintptr_t)addr);
}

static void store(uint32_t mode, const char *label, void *addr)
{
    probe_run(mode, (uintptr_t)probe_sw, (uintptr_t)addr, 0x77);
    probe_show(label, (uintptr_t)addr);
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    uint8_t *a = area[0], *b = area[1], *c = area[2], *d = area[3];

    printf("pmp off:");
    load(PROBE_U, "U-ld", a);   /* the mret to U is refused while no entry is on */
    load(PROBE_M, "M-ld", a);
    printf("\n");

    /* Entry 0: U and S may run the probes page (X only). */
    entry(0, NAPOT | X, napot(probes_page, 4096));
    printf("no match:");
    load(PROBE_U, "U-ld", a);
    load(PROBE_S, "S-ld", a);
    load(PROBE_M, "M-ld", a);
    printf("\n");

    uint8_t *t = a + 0x100;
    entry(1, 0, (uintptr_t)t >> 2);
    entry(2, TOR | R, ((uintptr_t)t + 0x100) >> 2);
    printf("tor [t, t+0x100) R:");
    load(PROBE_U, "ld-t", t);
    load(PROBE_U, "ld-t+fc", t + 0xfc);
    load(PROBE_U, "ld-t+100", t + 0x100);
    load(PROBE_U, "ld-t-4", t - 4);
    store(PROBE_U, "st-t", t);
    load(PROBE_S, "S-ld-t", t);
    printf("\n");

    entry(3, NA4 | R | W, (uintptr_t)b >> 2);
    printf("na4 b RW:");
    store(PROBE_U, "st-b", b);
    load(PROBE_U, "ld-b+4", b + 4);
    printf(" b=%x\n", (unsigned)*(volatile uint32_t *)b);

    entry(4, NAPOT | R | W, napot(c, 64));
    printf("napot c 64 RW:");
    load(PROBE_U, "ld-c+3c", c + 0x3c);
    load(PROBE_U, "ld-c+40", c + 0x40);
    probe_run(PROBE_U, (uintptr_t)probe_amo, (uintptr_t)c, 5);
    probe_show("amo-c", (uintptr_t)c);
    printf("\n");

    /* Entry 5 (no rights, 4 bytes) beats entry 6 (the whole page, RW). */
    entry(5, NA4, (uintptr_t)d >> 2);
    entry(6, NAPOT | R | W, napot(d, 4096));
    printf("priority:");
    load(PROBE_U, "ld-d", d);
    load(PROBE_U, "ld-d+4", d + 4);
    load(PROBE_M, "M-ld-d", d);
    printf("\n");

    /* Execute needs X: the landing copied to d+0x100, which entry 6 covers without X. */
    for (int i = 0; i < PROBE_LAND_BYTES; i++)
        d[0x100 + i] = ((const uint8_t *)probe_land)[i];
    __asm__ volatile("fence.i" ::: "memory");
    printf("exec:");
    probe_run(PROBE_U, (uintptr_t)probe_jump, (uintptr_t)d + 0x100, 0);
    probe_show("U-fx-d", (uintptr_t)d + 0x100);
    uint32_t ran = probe_run(PROBE_M, (uintptr_t)probe_jump, (uintptr_t)d + 0x100, 0);
    probe_show("M-fx-d", 0);
    printf(" ran=%x\n", (unsigned)ran);

    /* Locking entry 2 (TOR, R) binds M-mode and freezes pmpcfg's byte, pmpaddr2 and pmpaddr1 (its base). */
    entry(2, TOR | R | L, ((uintptr_t)t + 0x100) >> 2);
    printf("locked tor:");
    load(PROBE_M, "M-ld-t", t);
    store(PROBE_M, "M-st-t", t);
    store(PROBE_M, "M-st-t+100", t + 0x100);
    write_csr(pmpaddr1, 0);
    write_csr(pmpaddr2, 0);
    write_csr(pmpcfg0, read_csr(pmpcfg0) & ~0x00ff0000u);
    printf(" pmpaddr1=%x pmpaddr2=%x cfg2=%x\n", (unsigned)(read_csr(pmpaddr1) << 2), (unsigned)(read_csr(pmpaddr2) << 2),
           (unsigned)(read_csr(pmpcfg0) >> 16) & 0xff);
    printf("pmp: done\n");
    return 0;
}
