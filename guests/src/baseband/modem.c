/* modem.c: the baseband's end of the modem ring: attaches, checks every command (seq, length, checksum), and outlives a hostile producer. */
#include <stdint.h>
#include "../phone.h"
#include "baseband.h"
#include "console.h"
#include "tessera-doorbell.h"
#include "tessera-ring.h"

/*
 * The producer is not trusted. The ring library rejects impossible shared state (RING_CORRUPT);
 * this side then detaches and tries to attach again every RETRY_PERIODS, resuming at the shared
 * tail and taking the next well-formed message's seq as the expected one. Malformed messages are
 * counted and dropped, oversized ones up to SCRATCH_BYTES too; a larger one ends the attachment
 * (it stays in place, so the ring is in effect no longer consumed until the producer starts over).
 * Every call does a bounded amount of work: at most BATCH messages.
 */

#define RETRY_PERIODS  100u     /* 100 ms between attempts on a broken ring */
#define BATCH          16u
#define SCRATCH_BYTES  4096u
#define LOUD_INCIDENTS 5u       /* incidents printed; later ones are only counted */
#define MAX_GAP        4096u    /* a seq further ahead than this is implausible: a bad message, not a loss */

static struct ring ring;
static void *window;
static uint32_t window_bytes;
static int attached, ever_attached, synced;
static int last_attach_rc;
static uint32_t expected, retry_at;
static struct modem_counts counts;
static volatile uint32_t doorbells;
static uint32_t msg[MODEM_MAX / 4];
static uint32_t scratch[SCRATCH_BYTES / 4];

static void kick(struct ring *r)
{
    (void)r;
    doorbell_ring(BASEBAND_CH_MODEM);
}

int modem_setup(void)
{
    if (doorbell_channels() <= BASEBAND_CH_MODEM)
        return 0;
    window = (void *)doorbell_read(BASEBAND_CH_MODEM, DOORBELL_CH_BASE);
    window_bytes = doorbell_read(BASEBAND_CH_MODEM, DOORBELL_CH_SIZE);
    plic_enable(0, doorbell_read(BASEBAND_CH_MODEM, DOORBELL_CH_IRQ));
    return 1;
}

void modem_doorbell(void)
{
    plic_drain(0);
    doorbells++;
}

void modem_counts(struct modem_counts *out)
{
    *out = counts;
    out->doorbells = doorbells;
}

static void incident(const char *what, const char *detail)
{
    attached = 0;
    retry_at = bb_periods + RETRY_PERIODS;
    counts.ring_errors++;
    if (counts.ring_errors <= LOUD_INCIDENTS)
        printf("baseband: modem ring %s (%s) after %u good messages; detached, re-attaching in 100 ms%s\n", what, detail,
               (unsigned)counts.ok, counts.ring_errors == LOUD_INCIDENTS ? " (further incidents are only counted)" : "");
}

/* A missing header is normal at boot (the producer has not started): retried every period, silently. */
static int attach(void)
{
    if ((int32_t)(bb_periods - retry_at) < 0)
        return 0;
    int rc = ring_attach(&ring, window, window_bytes);
    if (rc != RING_OK) {
        retry_at = bb_periods + (rc == RING_NOHDR ? 1u : RETRY_PERIODS);
        if (rc != RING_NOHDR && rc != last_attach_rc && counts.ring_errors < LOUD_INCIDENTS)
            printf("baseband: modem ring cannot be attached (%s); retrying every 100 ms\n", ring_strerror(rc));
        if (rc != RING_NOHDR)
            counts.ring_errors++;
        last_attach_rc = rc;
        return 0;
    }
    ring_set_kick(&ring, kick, 0);
    if (ever_attached && counts.ring_errors <= LOUD_INCIDENTS)
        printf("baseband: modem ring attached again\n");
    /* A ring nothing was read from yet starts at seq 0; one this side read from before (a re-attach, or a
       restarted baseband resuming at the shared tail while the producer streams on) takes the next seq. */
    synced = !ever_attached && ring.mine == 0;
    attached = ever_attached = 1;
    last_attach_rc = RING_OK;
    return 1;
}

static void check(uint32_t len)
{
    uint32_t seq = msg[0];
    if (len < MODEM_MIN || len % 4 || msg[1] != len || msg[3] - 1u >= MODEM_CMDS || msg[2] != modem_check(msg, len / 4)) {
        counts.bad++;
        return;
    }
    doorbell_sent_at(BASEBAND_CH_MODEM, msg[4]);
    if (!synced) {
        expected = seq;
        synced = 1;
    }
    if (seq == expected) {
        counts.ok++;
        expected++;
    } else if (seq - expected <= MAX_GAP) {
        counts.lost += seq - expected;
        counts.ok++;
        expected = seq + 1;
    } else if (expected - seq <= MAX_GAP) {
        counts.dup++;
    } else {
        counts.bad++;
    }
}

int modem_service(void)
{
    if (!attached && !attach())
        return 0;
    uint32_t n = 0;
    for (; n < BATCH; n++) {
        uint32_t len = 0;
        int rc = ring_read(&ring, msg, sizeof msg, &len);
        if (rc == RING_OK) {
            check(len);
            continue;
        }
        if (rc == RING_EMPTY)
            break;
        if (rc == RING_TOO_BIG) {
            counts.bad++;
            if (len <= sizeof scratch && ring_read(&ring, scratch, sizeof scratch, &len) == RING_OK)
                continue;
            if (!ring.why) {
                ring_release(&ring);    /* free what was read before it */
                incident("message too big", "stopped consuming");
                return 0;
            }
        }
        incident("corrupt", ring_why_name(ring.why));
        return 0;
    }
    if (ring_release(&ring) < 0) {
        incident("corrupt", ring_why_name(ring.why));
        return 0;
    }
    return n == BATCH;
}

int modem_arm(void)
{
    if (!attached)
        return MODEM_SLEEP;
    int rc = ring_prepare_wait(&ring);
    if (rc == 0)
        return MODEM_BUSY;
    if (rc < 0)
        incident("corrupt", ring_why_name(ring.why));
    return MODEM_SLEEP;
}
