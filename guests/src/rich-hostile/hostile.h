/* hostile.h: the parts of rich-hostile, a compromised rich OS that attacks the phone's other VMs. */
#ifndef RICH_HOSTILE_H
#define RICH_HOSTILE_H

#include <stdint.h>

#define MAX_CHANNELS 8u

struct channel {
    uint32_t base, size, writable;
};

extern struct channel channels[MAX_CHANNELS];
extern uint32_t channel_count;

/* scan.c: the trap handler (records and skips every fault) and the memory scans. */
extern volatile uint32_t faults_taken;
void traps_install(void);
/* 1 if a load, store or AMO at addr faulted. */
int load_faults(uint32_t addr, uint32_t *value);
int store_faults(uint32_t addr, uint32_t value);
int amo_faults(uint32_t addr);
int fetch_faults(uint32_t addr);
/* Looks for the PIN vault's salt word in [base, base + bytes); prints and counts every find. */
uint32_t scan_for_secret(uint32_t base, uint32_t bytes);

struct probe_tally {
    uint32_t probes, faults, leaks;
};
/* Loads (and some stores and AMOs) everywhere outside RAM and the windows: each must fault. */
void probe_outside(uint32_t ram_end, struct probe_tally *t);

/* attack.c: forged doorbells and a hostile modem ring. */
uint32_t doorbell_storm(uint32_t rings_per_channel, struct probe_tally *t);
struct ring_tally {
    uint32_t flooded, scribbles, forged_headers;
};
void ring_attack(uint32_t round, struct ring_tally *t);
/* Sleeps `ticks` of mtime in WFI. */
void sleep_for(uint32_t ticks);

/* brute.c: guesses PINs through the PIN service until it locks. */
struct brute_tally {
    uint32_t tries, accepted, refused_after, bad_answers;
    int locked;
};
void brute_force(struct brute_tally *t);

#endif
