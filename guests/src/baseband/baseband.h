/* baseband.h: the baseband's two halves: the 1 kHz task (main.c) and the modem ring consumer (modem.c). */
#ifndef BASEBAND_H
#define BASEBAND_H

#include <stdint.h>

/* Periods completed so far (the timer handler counts them; the modem side paces its retries by them). */
extern volatile uint32_t bb_periods;

struct modem_counts {
    uint32_t ok, bad, lost, dup;    /* messages: accepted, malformed, skipped seqs, old seqs again */
    uint32_t ring_errors;           /* ring incidents: corrupt, oversized, bad header after a detach */
    uint32_t doorbells;             /* doorbell interrupts taken */
};

/* 1 if this VM has a modem channel (channel BASEBAND_CH_MODEM); routes its doorbell to the PLIC. */
int modem_setup(void);
/* Attaches (rate-limited) and handles up to a batch of messages; 1 if more may be waiting. */
int modem_service(void);
/* Before sleeping, with interrupts masked: asks the producer for a doorbell when attached; MODEM_BUSY
   if messages arrived meanwhile (do not sleep). */
#define MODEM_SLEEP 0
#define MODEM_BUSY  1
int modem_arm(void);
void modem_counts(struct modem_counts *out);
/* From the trap handler: claims and completes the doorbell's PLIC interrupt, counts it. */
void modem_doorbell(void);

#endif
