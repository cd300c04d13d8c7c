/* main.c: rich-hostile, a compromised rich OS: hunts for the PIN, forges doorbells, abuses the modem ring and brute-forces the PIN service. */
#include <stdint.h>
#include "../phone.h"
#include "clint.h"
#include "console.h"
#include "exit.h"
#include "fdt.h"
#include "hostile.h"
#include "tessera-doorbell.h"
#include "tessera-hv.h"

/*
 * Channels as rich's (phone.h): 0 the PIN service, 1 the modem ring; every channel it has is
 * attacked. Hart 0 runs the attack once in full, prints a summary, then repeats the channel
 * attacks in rounds forever; other harts storm every doorbell in bursts the whole time.
 * Exit: 1 if it found the PIN or any access outside its map did not fault (after the summary),
 * 2 outside a Tessera VM with services version 2 and a channel, 3 if its trap handler lost control.
 */

#define RAM_BASE        0x80000000u
#define STORM           2000u       /* rings per channel in hart 0's storm (each costs the host a cross-core wake-up) */
#define BURST           100u       /* rings per channel in each of the other harts' bursts */
#define ROUND_TICKS     (500u * CLINT_TICKS_PER_MS)

struct channel channels[MAX_CHANNELS];
uint32_t channel_count;
static volatile int started;
static volatile uint32_t burst_rings;

static void read_channels(void)
{
    uint32_t n = doorbell_channels();
    channel_count = n < MAX_CHANNELS ? n : MAX_CHANNELS;
    for (uint32_t c = 0; c < channel_count; c++) {
        channels[c].base = doorbell_read(c, DOORBELL_CH_BASE);
        channels[c].size = doorbell_read(c, DOORBELL_CH_SIZE);
        channels[c].writable = doorbell_read(c, DOORBELL_CH_FLAGS) & 1;
    }
}

/* Other harts: bursts of doorbells on every channel, one every 10 ms, for ever. */
static void storm_forever(void)
{
    while (!started)
        __asm__ volatile("fence rw, rw");
    for (;;) {
        for (uint32_t c = 0; c < channel_count; c++)
            for (uint32_t i = 0; i < BURST; i++)
                *(volatile uint32_t *)(DOORBELL_BASE + DOORBELL_CH(c) + DOORBELL_CH_RING) = i;
        burst_rings += BURST * channel_count;
        sleep_for(10u * CLINT_TICKS_PER_MS);
    }
}

static uint32_t scan_own(uint32_t ram_bytes, uint32_t *kib)
{
    uint32_t found = scan_for_secret(RAM_BASE, ram_bytes);
    *kib = ram_bytes / 1024;
    for (uint32_t c = 0; c < channel_count; c++) {
        found += scan_for_secret(channels[c].base, channels[c].size);
        *kib += channels[c].size / 1024;
    }
    return found;
}

int main(int hartid, const void *fdt)
{
    if (hartid != 0)
        storm_forever();
    if (!hv_present() || hv_read(HV_VERSION) < 2 || doorbell_channels() == 0) {
        puts("rich-hostile: needs a Tessera VM with services version 2 and a channel");
        return 2;
    }
    long long ram = fdt_memory_size(fdt);
    if (ram < 4096 || ram > 0x7ffff000ll) {
        printf("rich-hostile: no usable RAM size in the device tree (%d)\n", (int)ram);
        return 2;
    }
    read_channels();
    traps_install();
    printf("rich-hostile: compromised rich OS, RAM 0x%08x..0x%08x, %u channels: attacking\n", (unsigned)RAM_BASE,
           (unsigned)(RAM_BASE + ram - 1), (unsigned)channel_count);
    hv_ready(0);
    started = 1;

    uint32_t kib;
    uint32_t found = scan_own((uint32_t)ram, &kib);
    struct probe_tally probes = { 0 };
    probe_outside(RAM_BASE + (uint32_t)ram, &probes);
    struct brute_tally brute = { 0 };
    brute_force(&brute);
    uint32_t forged = doorbell_storm(STORM, &probes);
    struct ring_tally ring = { 0 };
    ring_attack(0, &ring);

    printf("rich-hostile: summary: %u probes outside its map, %u faulted, %u leaks; %u faults taken; %s in %u KiB of RAM "
           "and windows; PIN %s after %u tries, %u later guesses refused, %u accepted; %u doorbells forged; modem ring: %u "
           "messages flooded, %u scribbles, %u forged headers\n",
           (unsigned)probes.probes, (unsigned)probes.faults, (unsigned)probes.leaks, (unsigned)faults_taken,
           found ? "secret FOUND" : "secret not found", (unsigned)kib, brute.locked ? "locked" : "NOT locked",
           (unsigned)brute.tries, (unsigned)brute.refused_after, (unsigned)brute.accepted, (unsigned)(forged + burst_rings),
           (unsigned)ring.flooded, (unsigned)ring.scribbles, (unsigned)ring.forged_headers);
    if (found || probes.leaks || brute.accepted || !brute.locked || brute.bad_answers)
        exit(1);

    /* Keep at it: the real-time guest must hold out for as long as this runs. */
    for (uint32_t round = 1;; round++) {
        uint64_t start = clint_mtime();
        forged += doorbell_storm(STORM, &probes);
        ring_attack(round, &ring);
        found += scan_own((uint32_t)ram, &kib);
        printf("rich-hostile: round %u: %u faults taken, %u leaks, %s; %u doorbells forged; %u messages flooded, %u scribbles\n",
               (unsigned)round, (unsigned)faults_taken, (unsigned)probes.leaks, found ? "secret FOUND" : "secret not found",
               (unsigned)(forged + burst_rings), (unsigned)ring.flooded, (unsigned)ring.scribbles);
        if (found || probes.leaks)
            exit(1);
        uint64_t spent = clint_mtime() - start;
        if (spent < ROUND_TICKS)
            sleep_for((uint32_t)(ROUND_TICKS - spent));
    }
}
