/* scan.c: rich-hostile's trap handler (record, skip, go on) and its hunt for the PIN: its own RAM, its windows, and everything outside its map. */
#include <stdint.h>
#include "../phone.h"
#include "console.h"
#include "csr.h"
#include "exit.h"
#include "hostile.h"

#define MAX_TRAPS_PER_PROBE 4u
#define SWEEP_BYTES (32u << 20)     /* beyond RAM's end: where neighbours' partitions would be */
#define PAGE 4096u

/* hostile/probe.S */
uint32_t probe_load(uint32_t addr);
void probe_store(uint32_t addr, uint32_t value);
uint32_t probe_amoadd(uint32_t addr, uint32_t value);
void probe_fetch(uint32_t addr);
void hostile_trap_entry(void);
uint32_t hostile_trap(const uint32_t *frame);

extern char _start[], __text_end[];

volatile uint32_t faults_taken;
static volatile uint32_t traps_this_probe, first_cause;

/*
 * Every exception: count it and resume after the faulting instruction (2 or 4 bytes) when it is
 * ours, else at ra (a fetch probe's jalr target faulted). Interrupts are never enabled; one, or
 * a probe that keeps trapping, means the handler lost control: give up.
 */
uint32_t hostile_trap(const uint32_t *frame)
{
    unsigned cause = read_csr(mcause), epc = read_csr(mepc);
    if (traps_this_probe == 0)
        first_cause = cause;
    faults_taken++;
    if ((cause & MCAUSE_INTERRUPT) || ++traps_this_probe > MAX_TRAPS_PER_PROBE) {
        printf("rich-hostile: runaway trap mcause 0x%x mepc 0x%x mtval 0x%x\n", cause, epc, read_csr(mtval));
        exit(3);
    }
    if (epc >= (uintptr_t)_start && epc < (uintptr_t)__text_end)
        return epc + ((*(const volatile uint16_t *)epc & 3) == 3 ? 4 : 2);
    return frame[0];
}

void traps_install(void)
{
    write_csr(mtvec, (uintptr_t)hostile_trap_entry);
}

int load_faults(uint32_t addr, uint32_t *value)
{
    uint32_t before = faults_taken;
    traps_this_probe = 0;
    *value = probe_load(addr);
    return faults_taken != before;
}

int store_faults(uint32_t addr, uint32_t value)
{
    uint32_t before = faults_taken;
    traps_this_probe = 0;
    probe_store(addr, value);
    return faults_taken != before;
}

int amo_faults(uint32_t addr)
{
    uint32_t before = faults_taken;
    traps_this_probe = 0;
    probe_amoadd(addr, 0);
    return faults_taken != before;
}

/* Only a fetch fault counts: anything else means an instruction there ran. */
int fetch_faults(uint32_t addr)
{
    uint32_t before = faults_taken;
    traps_this_probe = 0;
    probe_fetch(addr);
    return faults_taken != before && first_cause == CAUSE_FETCH_ACCESS;
}

/*
 * The salt is compared as w * KEY == SALT * KEY (KEY odd, so the same test) with KEY hidden from
 * the compiler: the salt itself never sits in this VM's registers, stack or image, so the scan
 * cannot find itself.
 */
#define KEY 0x2545f491u

uint32_t scan_for_secret(uint32_t base, uint32_t bytes)
{
    uint32_t key = KEY, found = 0;
    __asm__ volatile("" : "+r"(key));
    for (uint32_t off = 8; off + 4 <= bytes; off += 4) {
        uint32_t w = *(volatile uint32_t *)(base + off);
        if (w * key != PIN_VAULT_SALT * KEY)
            continue;
        const volatile char *digits = (const volatile char *)(base + off - 8);
        char pin[7];
        for (int i = 0; i < 6; i++)
            pin[i] = digits[i];
        pin[6] = 0;
        printf("rich-hostile: FOUND the PIN vault at 0x%08x: PIN %s\n", (unsigned)(base + off - 8), pin);
        found++;
    }
    return found;
}

static int in_window(uint32_t addr)
{
    for (uint32_t c = 0; c < channel_count; c++)
        if (addr - channels[c].base < channels[c].size)
            return 1;
    return 0;
}

/* A load at addr must fault; one that does not is a leak, and the page is searched for the PIN. */
static void probe_page(uint32_t addr, int also_write, struct probe_tally *t)
{
    if (in_window(addr))
        return;
    uint32_t value;
    t->probes++;
    if (load_faults(addr, &value)) {
        t->faults++;
    } else {
        t->leaks++;
        printf("rich-hostile: LEAK: load 0x%08x did not fault (read 0x%08x)\n", (unsigned)addr, (unsigned)value);
        scan_for_secret(addr & ~(PAGE - 1), PAGE);
    }
    if (!also_write)
        return;
    t->probes += 2;
    if (store_faults(addr, 0x5a5a5a5au))
        t->faults++;
    else {
        t->leaks++;
        printf("rich-hostile: LEAK: store 0x%08x did not fault\n", (unsigned)addr);
    }
    if (amo_faults(addr))
        t->faults++;
    else {
        t->leaks++;
        printf("rich-hostile: LEAK: amoadd 0x%08x did not fault\n", (unsigned)addr);
    }
}

void probe_outside(uint32_t ram_end, struct probe_tally *t)
{
    /* Between and around the devices (test 0x00100000, CLINT 0x02000000, services 0x04000000,
       doorbells 0x04100000, PLIC 0x0c000000, UART 0x10000000), below RAM, and at the top. */
    static const uint32_t holes[] = {
        0x00000000u, 0x00001000u, 0x000ff000u, 0x00101000u, 0x01000000u, 0x01fff000u, 0x02010000u,
        0x03000000u, 0x03fff000u, 0x04001000u, 0x04101000u, 0x08000000u, 0x0bfff000u, 0x0c600000u,
        0x0ffff000u, 0x10000100u, 0x10001000u, 0x20000000u, 0x30000000u, 0x40000000u, 0x60000000u,
        0x7ffff000u, 0x7ffffffcu, 0xc0000000u, 0xe0000000u, 0xfffff000u,
    };
    for (uint32_t i = 0; i < sizeof holes / sizeof holes[0]; i++)
        probe_page(holes[i], 1, t);
    /* Past RAM's end, page by page: the physical memory of the other partitions lies somewhere. */
    for (uint32_t off = 0; off < SWEEP_BYTES && ram_end + off >= ram_end; off += PAGE)
        probe_page(ram_end + off, (off & 0xffffu) == 0, t);
    /* Windows hold data only: running code from one must fault too. */
    for (uint32_t c = 0; c < channel_count; c++) {
        t->probes++;
        if (fetch_faults(channels[c].base))
            t->faults++;
        else {
            t->leaks++;
            printf("rich-hostile: LEAK: fetch from window 0x%08x did not fault\n", (unsigned)channels[c].base);
        }
    }
}
