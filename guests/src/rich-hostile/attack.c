/* attack.c: rich-hostile's attacks on the channels: doorbell storms, forged doorbell registers, and a modem ring that floods, lies and breaks. */
#include <stdint.h>
#include "../phone.h"
#include "clint.h"
#include "console.h"
#include "csr.h"
#include "hostile.h"
#include "tessera-doorbell.h"
#include "tessera-ring.h"

#define FLOOD_TRIES   2048u     /* staging attempts per round */
#define FULL_PATIENCE 20u       /* consecutive full-ring waits (1 ms each) before the flood gives up */
#define SCRIBBLES     64u       /* scribbles per round, one a millisecond */
#define FORGED_WAIT   (150u * CLINT_TICKS_PER_MS)   /* longer than the baseband's 100 ms re-attach pause */

static uint32_t lcg_state = 12345u;
static uint32_t junk[2048];     /* 8 KiB: more than any message the baseband accepts */

static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state ^ (lcg_state >> 16);
}

/* WFI on this hart's timer, MIE off (no trap): costs the host nothing, unlike a polling loop. mie is
   0 again afterwards, so no pending timer can end a later IPC call with EINTR. */
void sleep_for(uint32_t ticks)
{
    unsigned hart = read_csr(mhartid);
    uint64_t end = clint_mtime() + ticks;
    clint_set_mtimecmp(hart, end);
    write_csr(mie, 1u << IRQ_M_TIMER);
    while (clint_mtime() < end)
        __asm__ volatile("wfi");
    write_csr(mie, 0);
    clint_set_mtimecmp(hart, ~0ull);
}

uint32_t doorbell_storm(uint32_t rings_per_channel, struct probe_tally *t)
{
    uint32_t rung = 0;
    for (uint32_t c = 0; c < channel_count; c++)
        for (uint32_t i = 0; i < rings_per_channel; i++, rung++)
            *(volatile uint32_t *)(DOORBELL_BASE + DOORBELL_CH(c) + DOORBELL_CH_RING) = i;
    /* Doorbells of channels it does not have, and its channels' read-only registers: must fault. */
    for (uint32_t c = 0; c < 64; c++) {
        uint32_t reg = DOORBELL_BASE + DOORBELL_CH(c) + (c < channel_count ? DOORBELL_CH_BASE : DOORBELL_CH_RING);
        t->probes++;
        if (store_faults(reg, 0x90000000u)) {
            t->faults++;
        } else {
            t->leaks++;
            printf("rich-hostile: LEAK: forged doorbell write 0x%08x did not fault\n", (unsigned)reg);
        }
    }
    return rung;
}

/* Lying messages (valid checksums, wrong seqs), garbage of plausible lengths, and oversized ones. */
static void flood(struct ring *tx, struct ring_tally *t)
{
    uint32_t fulls = 0;
    for (uint32_t i = 0; i < FLOOD_TRIES && fulls < FULL_PATIENCE; i++) {
        uint32_t kind = lcg() % 8, len;
        if (kind < 4) {
            len = MODEM_MIN;
            junk[0] = kind == 0 ? 0 : lcg();
            junk[1] = len;
            junk[3] = 1 + kind % MODEM_CMDS;
            junk[4] = 0;
            junk[2] = modem_check(junk, len / 4);
        } else {
            len = kind < 7 ? 4 * (1 + lcg() % 16) : 1024u << (lcg() % 4);
            if (len > tx->max_msg)
                len = tx->max_msg & ~3u;
            for (uint32_t w = 0; w < len / 4; w++)
                junk[w] = lcg();
        }
        int rc = ring_stage(tx, junk, len);
        if (rc == RING_OK) {
            t->flooded++;
            fulls = 0;
            if ((i & 7) == 7)
                ring_publish(tx);
        } else if (rc == RING_FULL) {
            ring_publish(tx);
            doorbell_ring(RICH_CH_MODEM);
            sleep_for(CLINT_TICKS_PER_MS);
            fulls++;
        } else {
            break;
        }
    }
    ring_publish(tx);
}

/* Random words anywhere in the window, often in the header lines, often small (plausible indices). */
static void scribble(const struct channel *ch, struct ring_tally *t)
{
    volatile uint32_t *w = (volatile uint32_t *)ch->base;
    uint32_t words = ch->size / 4;
    for (uint32_t k = 0; k < SCRIBBLES; k++) {
        uint32_t r = lcg(), value = lcg();
        uint32_t at = (r & 3) == 0 ? (r >> 8) % (RING_SLOTS_OFFSET / 4) : (r >> 8) % words;
        w[at] = (r & 0x30) == 0 ? value % 512 : value;
        t->scribbles++;
        doorbell_ring(RICH_CH_MODEM);
        sleep_for(CLINT_TICKS_PER_MS);
    }
}

static uint32_t header_check(const uint32_t *words)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 6; i++)
        for (int b = 0; b < 4; b++)
            h = (h ^ ((words[i] >> (8 * b)) & 0xffu)) * 16777619u;
    return h;
}

/* A header whose check word is right but whose slots lie far beyond the window. */
static void forge_header(const struct channel *ch, struct ring_tally *t)
{
    volatile uint32_t *w = (volatile uint32_t *)ch->base;
    const uint32_t count = 1u << 20, size = 64;
    uint32_t hdr[6] = { RING_MAGIC, RING_VERSION, count, size, RING_SLOTS_OFFSET, count * size - RING_SLOT_HDR };
    w[0] = 0;
    for (int i = 1; i < 6; i++)
        w[i] = hdr[i];
    w[6] = header_check(hdr);
    w[0x40 / 4] = 12345;    /* head */
    w[0] = RING_MAGIC;
    t->forged_headers++;
    doorbell_ring(RICH_CH_MODEM);
    sleep_for(FORGED_WAIT);
}

void ring_attack(uint32_t round, struct ring_tally *t)
{
    (void)round;
    if (channel_count <= RICH_CH_MODEM || !channels[RICH_CH_MODEM].writable)
        return;
    const struct channel *ch = &channels[RICH_CH_MODEM];
    static struct ring tx;
    if (ring_init(&tx, (void *)ch->base, ch->size, MODEM_SLOT) != RING_OK)
        return;
    doorbell_ring(RICH_CH_MODEM);
    flood(&tx, t);
    scribble(ch, t);
    forge_header(ch, t);
}
