/* ring-pingpong.c: hart 0 sends a small message through one ring, hart 1 answers through another, many times over. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "hart-pair.h"
#include "msip.h"
#include "ring-wait.h"
#include "tessera-ring.h"

/*
 * One 8 KiB window holds two rings of 32 slots of 64 bytes: ring A (hart 0 -> hart 1) in its first
 * half, ring B (hart 1 -> hart 0) in its second. Each hart initialises the ring it produces into and
 * attaches to the other once its producer has written the header. Hart 0 sends {seq, value}, then
 * waits for the reply {seq, ~value ^ seq}; hart 1 answers each ping as it arrives. Both sleep in WFI
 * (ring_prepare_wait, then the msip doorbell) whenever their ring is empty, so each round trip is
 * two kicks and two wake-ups. Hart 1 reads with ring_recv_batch and answers with ring_send_batch.
 */

#ifndef ROUND_TRIPS
#define ROUND_TRIPS 10000u
#endif
#define HALF 4096u
#define U(x) ((unsigned)(x))

struct ping {
    uint32_t seq, value, pad[2];        /* 16 bytes: one slot */
};

static uint8_t window[2 * HALF] __attribute__((aligned(4096)));

static volatile uint32_t pong_done;     /* hart 1: finished, its results below */
static struct {
    uint32_t answered, errors;
    int error;
    struct ring_stats a, b;
} pong;

static uint32_t value_of(uint32_t seq)
{
    uint32_t x = seq * 0x9e3779b1u + 0x7f4a7c15u;
    return x ^ (x >> 16);
}

/* Attach once the peer has initialised its ring (RING_NOHDR until then). */
static int attach(struct ring *r, void *at, uint32_t kick_hart)
{
    int rc;
    while ((rc = ring_attach(r, at, HALF)) == RING_NOHDR)
        __asm__ volatile("fence r, r" ::: "memory");
    if (rc == RING_OK)
        ring_set_kick(r, msip_kick, (void *)(uintptr_t)kick_hart);
    return rc;
}

/* ring_recv, sleeping while the ring is empty. */
static int recv_wait(struct ring *r, unsigned me, void *buf, uint32_t cap, uint32_t *len)
{
    for (;;) {
        int rc = ring_recv(r, buf, cap, len);
        if (rc != RING_EMPTY)
            return rc;
        rc = ring_wait(r, msip_wait, me);
        if (rc < 0)
            return rc;
    }
}

static void ponger(void)
{
    static struct ring a, b;
    int rc = ring_init(&b, window + HALF, HALF, 64);
    if (rc == RING_OK) {
        ring_set_kick(&b, msip_kick, (void *)0);
        rc = attach(&a, window, 0);
    }
    while (rc == RING_OK && pong.answered < ROUND_TRIPS) {
        struct ping in[4], out[4];
        struct ring_buf bufs[4];
        struct ring_msg msgs[4];
        uint32_t got, sent;
        for (int i = 0; i < 4; i++)
            bufs[i] = (struct ring_buf){ &in[i], sizeof in[i], 0 };
        rc = ring_recv_batch(&a, bufs, 4, &got);
        if (rc == RING_EMPTY) {
            rc = ring_wait(&a, msip_wait, 1);
            continue;
        }
        if (rc)
            break;
        for (uint32_t i = 0; i < got; i++) {
            if (bufs[i].len != sizeof(struct ping) || in[i].value != value_of(in[i].seq))
                pong.errors++;
            out[i] = (struct ping){ in[i].seq, ~in[i].value ^ in[i].seq, { 0, 0 } };
            msgs[i] = (struct ring_msg){ &out[i], sizeof out[i] };
        }
        rc = ring_send_batch(&b, msgs, got, &sent);     /* 32 slots: a reply always fits */
        pong.answered += sent;
    }
    pong.error = rc;
    pong.a = a.stats;
    pong.b = b.stats;
    msip_signal(&pong_done, 1, 0);
}

int main(int hartid, const void *fdt)
{
    int start = hart_pair_start("ring-pingpong", hartid, fdt, ponger);
    if (start != HART_PAIR_GO)
        return start;
    static struct ring a, b;
    int rc = ring_init(&a, window, HALF, 64);
    if (rc == RING_OK) {
        ring_set_kick(&a, msip_kick, (void *)1);
        rc = attach(&b, window + HALF, 1);
    }
    uint32_t trips = 0, errors = 0;
    uint64_t t0 = clint_mtime(), i0 = rdinstret();
    for (uint32_t seq = 0; rc == RING_OK && seq < ROUND_TRIPS; seq++) {
        struct ping ping = { seq, value_of(seq), { 0, 0 } }, pong_msg;
        uint32_t len;
        rc = ring_send(&a, &ping, sizeof ping);
        if (rc)
            break;
        rc = recv_wait(&b, 0, &pong_msg, sizeof pong_msg, &len);
        if (rc)
            break;
        if (len != sizeof pong_msg || pong_msg.seq != seq || pong_msg.value != (~ping.value ^ seq))
            errors++;
        trips++;
    }
    uint64_t ticks = clint_mtime() - t0, instret = rdinstret() - i0;
    msip_wait_for(&pong_done, 1, 0);
    errors += pong.errors;
    printf("ring-pingpong: %u round trips of %u-byte messages, %u errors\n", U(trips), U(sizeof(struct ping)), U(errors));
    if (rc || pong.error)
        printf("ring-pingpong: hart 0 %s (%s), hart 1 %s\n", ring_strerror(rc),
               ring_why_name(a.why ? a.why : b.why), ring_strerror(pong.error));
    uint32_t n = trips ? trips : 1;
    printf("ring-pingpong: timing: %llu mtime ticks, %llu instructions on hart 0; per round trip %u ticks, %u instructions\n",
           (unsigned long long)ticks, (unsigned long long)instret, U(ticks / n), U(instret / n));
    printf("ring-pingpong: timing: kicks A %u (%u suppressed) B %u (%u suppressed); waits hart 0 %u, hart 1 %u\n",
           U(a.stats.kicks), U(a.stats.suppressed), U(pong.b.kicks), U(pong.b.suppressed), U(b.stats.waits), U(pong.a.waits));
    return rc || pong.error || errors || trips != ROUND_TRIPS || pong.answered != ROUND_TRIPS;
}
