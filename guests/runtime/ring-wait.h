/* ring-wait.h: tessera-ring calls that sleep while the ring is full or empty, for guests that wait in WFI. */
#ifndef RING_WAIT_H
#define RING_WAIT_H

#include <stdint.h>
#include "tessera-ring.h"

/* How a side sleeps until the peer's kick: msip_wait(hart) on a bare machine, a doorbell in a VM. */
typedef void (*ring_sleep_fn)(unsigned arg);

/*
 * After a full or empty ring: ring_prepare_wait (which publishes or releases what is pending and asks
 * the peer for a kick), then sleep(arg) unless work appeared meanwhile. 0: try again; or RING_CORRUPT.
 */
static inline int ring_wait(struct ring *r, ring_sleep_fn sleep, unsigned arg)
{
    int rc = ring_prepare_wait(r);
    if (rc == 1)
        sleep(arg);
    return rc < 0 ? rc : 0;
}

/*
 * Stages a message, sleeping while the ring is full, and publishes all that is staged when `publish`
 * (the end of a batch: one head store and at most one kick for the lot). RING_OK or the first failure.
 */
static inline int ring_send_wait(struct ring *r, const void *msg, uint32_t len, int publish, ring_sleep_fn sleep, unsigned arg)
{
    int rc;
    while ((rc = ring_stage(r, msg, len)) == RING_FULL) {
        rc = ring_wait(r, sleep, arg);
        if (rc < 0)
            return rc;
    }
    if (rc != RING_OK || !publish)
        return rc;
    rc = ring_publish(r);
    return rc < 0 ? rc : RING_OK;
}

#endif
