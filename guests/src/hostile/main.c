/* main.c: hostile, an isolation prober: loads, stores, AMOs, LR/SC and fetches at and around every edge of its map must fault. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "exit.h"
#include "fdt.h"

#define RAM_BASE 0x80000000u
#define MAX_TRAPS_PER_PROBE 8       /* more means a probe ran away: give up */

enum kind { LOAD, STORE, AMOSWAP, AMOADD, LR, SC, FETCH, KINDS };
static const char *const kind_name[KINDS] = { "load", "store", "amoswap", "amoadd", "lr", "sc", "fetch" };

/* probe.S */
uint32_t probe_load(uint32_t addr);
void probe_store(uint32_t addr, uint32_t value);
uint32_t probe_amoswap(uint32_t addr, uint32_t value);
uint32_t probe_amoadd(uint32_t addr, uint32_t value);
uint32_t probe_lr(uint32_t addr);
uint32_t probe_sc(uint32_t addr, uint32_t value);
uint32_t probe_lrsc(uint32_t addr);
void probe_fetch(uint32_t addr);
void hostile_trap_entry(void);
uint32_t hostile_trap(const uint32_t *frame);

extern char _start[], __text_end[];

static volatile struct {
    unsigned count, cause, epc, tval;
} trap;

static unsigned probes, faults, leaks, refused, wrong, control_failures;

/*
 * Records the trap and picks where to resume: after the faulting instruction when it is one of
 * ours (2 or 4 bytes, from its low bits), else at the interrupted ra, i.e. right after
 * probe_fetch's jalr (a fetch fault, or a fetched instruction that trapped elsewhere).
 */
uint32_t hostile_trap(const uint32_t *frame)
{
    unsigned cause = read_csr(mcause), epc = read_csr(mepc), tval = read_csr(mtval);
    trap.cause = cause;
    trap.epc = epc;
    trap.tval = tval;
    if ((cause & MCAUSE_INTERRUPT) || ++trap.count > MAX_TRAPS_PER_PROBE) {
        printf("hostile: runaway trap mcause 0x%x mepc 0x%x mtval 0x%x\n", cause, epc, tval);
        exit(3);
    }
    if (epc >= (uintptr_t)_start && epc < (uintptr_t)__text_end) {
        uint16_t parcel = *(const volatile uint16_t *)epc;
        return epc + ((parcel & 3) == 3 ? 4 : 2);
    }
    return frame[0];
}

/* The right cause for this access, as a bit mask of acceptable mcause values. */
static unsigned wanted_causes(enum kind k, uint32_t addr)
{
    int aligned = (addr & 3) == 0;
    switch (k) {
    case LOAD: return 1u << CAUSE_LOAD_ACCESS;
    case STORE: return 1u << CAUSE_STORE_ACCESS;
    case LR: return aligned ? 1u << CAUSE_LOAD_ACCESS : 1u << CAUSE_MISALIGNED_LOAD;
    case FETCH: return 1u << CAUSE_FETCH_ACCESS;
    default:    /* AMOs and SC: a misaligned one is 6 by the spec, 4 on QEMU 7.2 */
        return aligned ? 1u << CAUSE_STORE_ACCESS : (1u << CAUSE_MISALIGNED_STORE) | (1u << CAUSE_MISALIGNED_LOAD);
    }
}

/* mtval names the access: the address for a misaligned one, a byte of the access for an access fault. */
static int tval_ok(enum kind k, uint32_t addr, unsigned cause, uint32_t tval)
{
    if (cause == CAUSE_MISALIGNED_LOAD || cause == CAUSE_MISALIGNED_STORE)
        return tval == addr;
    uint32_t first = k == FETCH ? addr & ~1u : addr;    /* jalr clears bit 0 */
    return tval - first < 4;
}

static void print_want(unsigned mask)
{
    const char *sep = "";
    for (unsigned c = 0; c < 16; c++)
        if (mask & (1u << c)) {
            printf("%s%u", sep, c);
            sep = " or ";
        }
}

static void probe(enum kind k, uint32_t addr)
{
    const uint32_t pattern = 0x5a5a5a5au;
    uint32_t value = 0;
    trap.count = 0;
    switch (k) {
    case LOAD: value = probe_load(addr); break;
    case STORE: probe_store(addr, pattern); break;
    case AMOSWAP: value = probe_amoswap(addr, pattern); break;
    case AMOADD: value = probe_amoadd(addr, 1); break;
    case LR: value = probe_lr(addr); break;
    case SC: value = probe_sc(addr, pattern); break;
    case FETCH: probe_fetch(addr); break;
    case KINDS: break;
    }
    probes++;
    printf("probe %-7s 0x%08x: ", kind_name[k], (unsigned)addr);
    unsigned n = trap.count, cause = trap.cause;
    if (n == 0 && k == SC && value != 0) {
        refused++;      /* no reservation, so nothing was stored: safe without a fault (QEMU does this) */
        puts("refused (sc failed, nothing stored)");
        return;
    }
    /* A fetch whose trap is not a fetch fault on the target instruction itself ran something there. */
    int fetched = k == FETCH && n && (cause != CAUSE_FETCH_ACCESS || !tval_ok(k, addr, cause, trap.tval));
    if (n == 0 || fetched) {
        leaks++;
        if (k == FETCH && n)
            printf("LEAK fetched, then cause %u at 0x%08x\n", cause, trap.epc);
        else if (k == FETCH || k == STORE || k == SC)
            puts("LEAK (no fault)");
        else
            printf("LEAK value 0x%08x\n", (unsigned)value);
        return;
    }
    faults++;
    printf("fault %u mtval 0x%08x", cause, trap.tval);
    unsigned want = wanted_causes(k, addr);
    if (k == FETCH && n == 1 && trap.epc != (addr & ~1u)) {
        wrong++;    /* mepc must name the instruction, even when only its second half faults */
        printf(" WRONG (mepc 0x%08x, want 0x%08x)\n", trap.epc, (unsigned)(addr & ~1u));
        return;
    }
    if (n == 1 && cause < 16 && (want & (1u << cause)) && tval_ok(k, addr, cause, trap.tval)) {
        putchar('\n');
        return;
    }
    wrong++;
    printf(" WRONG (want cause ");
    print_want(want);
    printf(n == 1 ? ", mtval in the access)\n" : ", one trap; got %u)\n", n);
}

static void probe_every_kind(uint32_t addr)
{
    for (int k = 0; k < KINDS; k++)
        probe((enum kind)k, addr);
}

static void control(const char *what, uint32_t addr, int ok)
{
    if (trap.count)
        ok = 0;
    printf("control %-7s 0x%08x: %s", what, (unsigned)addr, ok ? "ok\n" : "FAILED");
    if (!ok) {
        control_failures++;
        if (trap.count)
            printf(" fault %u mtval 0x%08x", trap.cause, trap.tval);
        putchar('\n');
    }
}

static void plant16(uint32_t addr, uint16_t parcel)
{
    *(volatile uint16_t *)addr = parcel;
    __asm__ volatile("fence.i" ::: "memory");
}

/* Accesses inside RAM must work: otherwise a fault below would prove nothing. */
static void controls(uint32_t last)
{
    uint32_t saved = *(volatile uint32_t *)last;
    trap.count = 0;
    uint32_t v = probe_load(last);
    control("load", last, v == saved);
    trap.count = 0;
    probe_store(last, saved);
    control("store", last, 1);
    trap.count = 0;
    v = probe_amoadd(last, 0);
    control("amoadd", last, v == saved);
    trap.count = 0;
    control("lr/sc", last, probe_lrsc(last) == 0);
    trap.count = 0;
    v = probe_load(last - 2);
    control("load", last - 2, 1);
    plant16(last + 2, 0x8082);      /* c.ret in RAM's last halfword */
    trap.count = 0;
    probe_fetch(last + 2);
    control("fetch", last + 2, 1);
    *(volatile uint32_t *)last = saved;
    __asm__ volatile("fence.i" ::: "memory");
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        return 0;
    long long ram = fdt_memory_size(fdt);
    if (ram < 4) {
        printf("hostile: no usable RAM size in the device tree (error %d)\n", (int)ram);
        return 2;
    }
    uint64_t ram_end = RAM_BASE + (uint64_t)ram;
    if (ram_end > 0x100000000ull)
        ram_end = 0x100000000ull;
    printf("hostile: RAM 0x%08x..0x%08llx (%u KiB)\n", RAM_BASE, ram_end - 1, (unsigned)((ram_end - RAM_BASE) >> 10));
    write_csr(mtvec, (uintptr_t)hostile_trap_entry);

    uint32_t last = (uint32_t)(ram_end - 4);
    controls(last);

    /* Just below RAM, an aligned word and a misaligned one straddling into RAM. */
    probe_every_kind(0x7ffffffcu);
    probe_every_kind(0x7fffffffu);

    /* RAM's end: straddles (the fetch runs into a 32-bit parcel planted in the last halfword), the first word past. */
    if (ram_end < 0x100000000ull) {
        uint32_t saved = *(volatile uint32_t *)last;
        plant16(last + 2, 0x0003);
        probe_every_kind(last + 2);
        probe_every_kind(last + 3);
        *(volatile uint32_t *)last = saved;
        __asm__ volatile("fence.i" ::: "memory");
        probe_every_kind((uint32_t)ram_end);
    }

    /* Far beyond: 64 MiB past RAM's base (or past its end, if RAM is larger), and the top word. */
    uint64_t far = RAM_BASE + 0x4000000ull >= ram_end ? RAM_BASE + 0x4000000ull : ram_end + 0x4000000ull;
    if (far < 0x100000000ull)
        probe_every_kind((uint32_t)far);
    if (ram_end <= 0xfffffffcull)
        probe_every_kind(0xfffffffcu);

    /* Between devices: debug area, unused, PLIC (not modelled), past the UART, flash, PCI on QEMU. */
    static const uint32_t gaps[] = { 0x00000004u, 0x01000000u, 0x0c600000u, 0x10000100u, 0x20000000u, 0x40000000u };
    for (unsigned i = 0; i < sizeof gaps / sizeof gaps[0]; i++)
        probe_every_kind(gaps[i]);

    printf("hostile: %u probes, %u faults, %u leaks", probes, faults, leaks);
    if (refused)
        printf(", %u sc refused", refused);
    if (wrong)
        printf(", %u with the wrong cause, mtval or mepc", wrong);
    if (control_failures)
        printf(", %u controls FAILED", control_failures);
    putchar('\n');
    return leaks || wrong || control_failures ? 1 : 0;
}
