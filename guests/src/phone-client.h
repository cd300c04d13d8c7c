/* phone-client.h: the rich OS's side of the phone, shared by guests/src/rich.c (bare metal) and
 * guests/linux/phone/phone.c (a Linux program): PIN checks over synchronous IPC and the modem command
 * stream. Included once by each, after tessera-ipc.h and tessera-ring.h, with PHONE_STAMP() defined
 * as the 32-bit cycle count a modem command carries (its send time).
 *
 * The user at the PIN pad types the right PIN mostly, a wrong one one time in eight, never three
 * wrong in a row, so the service must never lock. Each reply must carry its request's seq (answered
 * once, in order), the expected yes/no and a plausible tries-left count; anything else counts as
 * wrong (an older seq: dup), a failed CALL as lost, one an interrupt cut short (-EINTR) apart. A full
 * ring keeps the message for the next burst: none is dropped. */
#ifndef PHONE_CLIENT_H
#define PHONE_CLIENT_H

#include <stdint.h>
#include "hash.h"
#include "phone.h"
#include "tessera-doorbell.h"
#include "tessera-ipc.h"
#include "tessera-ring.h"

#define SEND_BURST  8u      /* modem commands a burst */
#define LOUD_ERRORS 5u      /* wrong or duplicated answers printed; later ones are only counted */

static const uint32_t user_pin = 582917u;     /* what the user types */

static struct {
    uint32_t seq, answered, yes, no, wrong, lost, dup, interrupted, wrong_in_row;
    int32_t last_error;
} pin;

static struct ring modem;
static int modem_up;
static uint32_t modem_seq, modem_full, pending_len;
static uint32_t msg[MODEM_MAX / 4];

static void kick(struct ring *r)
{
    (void)r;
    doorbell_ring(RICH_CH_MODEM);
}

static uint32_t build(uint32_t seq)
{
    uint32_t len = MODEM_MIN + 4u * (mix32(seq) % ((MODEM_MAX - MODEM_MIN) / 4u + 1u));
    msg[0] = seq;
    msg[1] = len;
    msg[3] = 1u + seq % MODEM_CMDS;
    msg[4] = PHONE_STAMP();
    for (uint32_t i = 5; i < len / 4; i++)
        msg[i] = mix32(seq ^ (i * 0x27d4eb2du));
    msg[2] = modem_check(msg, len / 4);
    return len;
}

static void send_burst(void)
{
    if (!modem_up)
        return;
    for (uint32_t n = 0; n < SEND_BURST; n++) {
        if (pending_len == 0)
            pending_len = build(modem_seq);
        int rc = ring_stage(&modem, msg, pending_len);
        if (rc == RING_FULL) {
            modem_full++;
            break;
        }
        if (rc != RING_OK) {
            printf("rich: modem ring %s (%s); no more commands\n", ring_strerror(rc), ring_why_name(modem.why));
            modem_up = 0;
            return;
        }
        pending_len = 0;
        modem_seq++;
    }
    if (ring_publish(&modem) < 0) {
        printf("rich: modem ring corrupt (%s); no more commands\n", ring_why_name(modem.why));
        modem_up = 0;
    }
}

static void complain(const char *what, uint32_t seq, const struct ipc_msg *r)
{
    if (pin.wrong + pin.dup <= LOUD_ERRORS)
        printf("rich: PIN call %u: %s (reply len %u: %u %u %u)\n", (unsigned)seq, what, (unsigned)r->len,
               (unsigned)r->mr[0], (unsigned)r->mr[1], (unsigned)r->mr[2]);
}

static void call_pin(void)
{
    uint32_t seq = pin.seq++;
    int right = pin.wrong_in_row >= PIN_TRIES - 1 || (mix32(seq) & 7) != 0;
    uint32_t guess = right ? user_pin : (user_pin + 1 + mix32(~seq) % PIN_MAX) % (PIN_MAX + 1);
    /* Counted when sent: a call lost after the service saw it may still have cost a try. */
    pin.wrong_in_row = right ? pin.wrong_in_row : pin.wrong_in_row + 1;
    struct ipc_msg m = { .len = 3, .mr = { PIN_OP_VERIFY, guess, seq } }, r = { 0 };
    int32_t status = ipc_call(RICH_CH_PIN, &m, &r);
    if (status == -HV_EINTR) {
        pin.interrupted++;
        return;
    }
    if (status != 0) {
        pin.lost++;
        if (status != pin.last_error)
            printf("rich: PIN call %u failed with %d; counting calls without an answer as lost\n", (unsigned)seq, (int)status);
        pin.last_error = status;
        return;
    }
    if (pin.last_error != 0)
        printf("rich: PIN service answers again (call %u)\n", (unsigned)seq);
    pin.last_error = 0;
    pin.answered++;
    if (r.len != 3 || r.mr[2] != seq) {
        if (r.len == 3 && seq - r.mr[2] - 1u < 0x80000000u) {
            pin.dup++;
            complain("answer to an earlier call", seq, &r);
        } else {
            pin.wrong++;
            complain("malformed answer", seq, &r);
        }
        return;
    }
    int tries_ok = right ? r.mr[1] == PIN_TRIES : r.mr[1] >= 1 && r.mr[1] < PIN_TRIES;
    if (r.mr[0] != (right ? PIN_YES : PIN_NO) || !tries_ok) {
        pin.wrong++;
        complain(right ? "the right PIN was not accepted" : "a wrong PIN was not rejected", seq, &r);
        return;
    }
    if (right) {
        pin.yes++;
        pin.wrong_in_row = 0;
    } else {
        pin.no++;
    }
}

#endif
