/* ring-corrupt.c: one hart scribbles over a ring's indices and slot headers while the other keeps using it; the victim must report RING_CORRUPT and stop cleanly. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "exit.h"
#include "hart-pair.h"
#include "hash.h"
#include "msip.h"
#include "ring-wait.h"
#include "tessera-ring.h"

/*
 * Six rounds over a fresh ring of 64 slots of 64 bytes each. Hart 1 is always the victim, hart 0
 * the scribbler. A round passes GOOD valid messages (one slot each) from producer to consumer,
 * waits until they are all consumed, and then hart 0 writes values from an LCG into the window,
 * ringing hart 1's doorbell after every write and waiting until hart 1 has looked (it rings back
 * before each sleep: lock-step, so a round-robin emulator such as QEMU with -icount cannot let the
 * scribbler run ahead), until hart 1 reports that its ring call returned RING_CORRUPT (or GIVE_UP
 * writes went by unnoticed: a failure). Rounds 1-4 and 6 corrupt what the
 * consumer reads (hart 0 produced the good messages); in round 5 hart 1 is the producer and hart 0,
 * the consumer, scribbles over the tail. Rounds 1-5 each aim at one check, so the reason is fixed;
 * round 6 writes anything anywhere, so which check fires depends on timing (printed as timing).
 *
 * Out-of-window accesses: the window sits between two 4 KiB guard pages filled with a pattern, and
 * hart 1's receive buffer is followed by one; all are checked at the end. Hart 1 also locks two PMP
 * entries over the guard pages (no access, enforced in M-mode because locked), so on an emulator
 * that enforces PMP (QEMU) even a read there traps into a handler that prints and exits 3.
 */

#define GOOD 1000u
#define GIVE_UP 100000u
#define WIN 8192u
#define SLOT 64u
#define SLOTS 64u               /* what ring_init makes of WIN: (8192 - 192) / 64 = 125, rounded down to 2^6 */
#define RX_CAP 64u
#define CANARY 0xa5u
#define U(x) ((unsigned)(x))

enum kind { HEAD_RANDOM = 1, HEAD_STALE, LEN_RANDOM, FORGED_SPAN, TAIL_RANDOM, ANYTHING };

static const struct round {
    uint32_t kind;
    uint32_t victim_produces;
    uint32_t expect;            /* RING_WHY_*, 0: any */
    const char *what;
} rounds[] = {
    { HEAD_RANDOM, 0, RING_WHY_INDEX, "head := random" },
    { HEAD_STALE, 0, RING_WHY_TAG, "head := tail + 1..N over stale slots" },
    { LEN_RANDOM, 0, RING_WHY_LENGTH, "slot len := random > max, head := tail + 1..N" },
    { FORGED_SPAN, 0, RING_WHY_SPAN, "forged N-slot header with a valid tag, head := tail + 1..N-1" },
    { TAIL_RANDOM, 1, RING_WHY_INDEX, "tail := random" },
    { ANYTHING, 0, 0, "random or plausible words anywhere in the window" },
};
#define ROUNDS (sizeof rounds / sizeof rounds[0])

static struct {
    uint8_t lo[4096];
    uint8_t win[WIN];
    uint8_t hi[4096];
} area __attribute__((aligned(4096)));

/* Hand-over flags (outside the window): each holds the number of the round it last signalled. */
static volatile uint32_t ready, drained, go, scribbled, done, gave_up;
static volatile uint32_t finished;      /* hart 1: all rounds over, rx_canary_ok set */
static volatile uint32_t looked;        /* hart 1: times it found nothing to do and went to sleep */
static struct result {
    int rc;                     /* the victim's last ring result: RING_CORRUPT when it noticed */
    uint32_t why, handled, bad, scribbles;
} results[ROUNDS];
static volatile uint32_t rx_canary_ok;

static uint8_t rx[RX_CAP + 64] __attribute__((aligned(4)));
static uint8_t tx[RX_CAP] __attribute__((aligned(4)));

__attribute__((interrupt("machine"), aligned(4))) static void trap(void)
{
    printf("ring-corrupt: OUT-OF-WINDOW access or other trap on hart %u: mcause 0x%x mepc 0x%x mtval 0x%x\n",
           read_csr(mhartid), read_csr(mcause), read_csr(mepc), read_csr(mtval));
    exit(3);
}

/* ---- messages: seq, len, FNV-1a of the rest; 12..56 bytes, so one slot each ---- */

static uint32_t msg_len(uint32_t seq)
{
    return 12 + (seq * 0x9e3779b1u >> 16) % 45;
}

static uint32_t build(uint32_t seq)
{
    uint32_t len = msg_len(seq), *w = (uint32_t *)tx;
    for (uint32_t i = 12; i < len; i++)
        tx[i] = (uint8_t)(seq * 7 + i);
    w[0] = seq;
    w[1] = len;
    w[2] = fnv1a_bytes(FNV1A_START, tx + 12, len - 12);
    return len;
}

static int good_message(uint32_t seq, uint32_t len)
{
    const uint32_t *w = (const uint32_t *)rx;
    return len == msg_len(seq) && w[0] == seq && w[1] == len && w[2] == fnv1a_bytes(FNV1A_START, rx + 12, len - 12);
}

/* ---- the honest sides ---- */

/* Sleep on the doorbell; hart 1 first tells hart 0 it has looked (the scribbler waits for that). */
static void sleep_until_kicked(unsigned me)
{
    if (me == 1) {
        looked++;
        msip_ring(0);
    }
    msip_wait(me);
}

/* Sends, sleeping while the ring is full; RING_FULL only if the scribbler gave up meanwhile. */
static int send_wait(struct ring *r, uint32_t seq, unsigned me, uint32_t round)
{
    uint32_t len = build(seq);
    for (;;) {
        int rc = ring_send(r, tx, len);
        if (rc != RING_FULL || gave_up == round)
            return rc;
        rc = ring_wait(r, sleep_until_kicked, me);
        if (rc < 0)
            return rc;
    }
}

/* Receives until a good message arrived (0), or any other result; bad messages counted. */
static int recv_wait(struct ring *r, uint32_t seq, unsigned me, uint32_t round, uint32_t *bad)
{
    for (;;) {
        if (gave_up == round)
            return 0;
        uint32_t len;
        int rc = ring_recv(r, rx, RX_CAP, &len);
        if (rc == RING_OK) {
            if (good_message(seq, len))
                return 0;
            (*bad)++;
            continue;
        }
        if (rc != RING_EMPTY)
            return rc;
        rc = ring_wait(r, sleep_until_kicked, me);
        if (rc < 0)
            return rc;
    }
}

/* ---- the scribbler (hart 0) ---- */

static uint32_t lcg_state = 12345;
static uint32_t rnd(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}
static uint32_t rnd32(void)
{
    uint32_t a = rnd(), b = rnd();
    return (a & 0xffff0000u) | (b >> 16);
}
static uint32_t below(uint32_t n)
{
    return (rnd() >> 8) % n;
}

static volatile uint32_t *word(uint32_t offset)
{
    return (volatile uint32_t *)(area.win + offset);
}

#define W_HEAD 0x40u
#define W_TAIL 0x80u

static void put(uint32_t offset, uint32_t value)
{
    __asm__ volatile("fence rw, w" ::: "memory");
    *word(offset) = value;
}

/* One scribble; `first` is set for the first one of the round (headers written once). */
static void scribble(const struct ring *g, uint32_t kind, uint32_t tail, int first)
{
    uint32_t n = g->count, slot0 = RING_SLOTS_OFFSET + (tail & g->mask) * g->size;
    switch (kind) {
    case HEAD_RANDOM:
        put(W_HEAD, rnd32());
        break;
    case HEAD_STALE:
        put(W_HEAD, tail + 1 + below(n));
        break;
    case LEN_RANDOM:
        if (first)
            put(slot0, g->max_msg + 1 + below(0xffffffffu - g->max_msg));
        put(W_HEAD, tail + 1 + below(n));
        break;
    case FORGED_SPAN:
        if (first) {    /* a consistent header for a message of all N slots */
            put(slot0, g->max_msg);
            put(slot0 + 4, ring_slot_tag(tail, g->max_msg));
        }
        put(W_HEAD, tail + 1 + below(n - 1));
        break;
    case TAIL_RANDOM:
        put(W_TAIL, rnd32());
        break;
    default: {
        uint32_t v = below(2) ? rnd32() : tail + below(n + 1);
        uint32_t slot = RING_SLOTS_OFFSET + below(n) * g->size;
        switch (below(16)) {
        case 0: put(W_HEAD, v); break;
        case 1: put(slot, below(2) ? v : below(g->max_msg + 1)); break;     /* a slot's len */
        case 2: put(slot + 4, v); break;                                    /* a slot's tag */
        case 3: put(W_TAIL, v); break;
        case 4: put(W_HEAD + 4 * (1 + below(2)), v); break;                 /* prod_wake, prod_wake_at */
        case 5: put(W_TAIL + 4 * (1 + below(2)), v); break;                 /* cons_wake, cons_wake_at */
        case 6: put(4 * below(16), v); break;                               /* the configuration line */
        default: put(4 * below(WIN / 4), v); break;                         /* any word at all */
        }
    }
    }
}

/* Scribbles, kicks hart 1 and waits until it looked, until it is done with the round (or GIVE_UP scribbles went unnoticed). */
static void scribble_until_done(const struct ring *g, uint32_t round, uint32_t kind, uint32_t tail, struct result *res)
{
    uint32_t n = 0;
    lcg_state = 12345 + round;
    while (done != round) {
        if (n == GIVE_UP) {
            msip_signal(&gave_up, round, 1);
            break;
        }
        uint32_t seen = looked;
        scribble(g, kind, tail, n == 0);
        if (n == 0 && kind == TAIL_RANDOM)
            msip_signal(&scribbled, round, 1);
        n++;
        msip_ring(1);
        while (looked == seen && done != round)
            msip_wait(0);
    }
    msip_wait_for(&done, round, 0);
    res->scribbles = n;
}

static void hart0_round(uint32_t round, const struct round *rd, struct result *res)
{
    static struct ring r;
    uint32_t bad = 0;
    if (!rd->victim_produces) {
        int rc = ring_init(&r, area.win, WIN, SLOT);
        if (rc || r.count != SLOTS)
            return;
        ring_set_kick(&r, msip_kick, (void *)1);
        msip_signal(&ready, round, 1);
        for (uint32_t seq = 0; seq < GOOD && rc == RING_OK; seq++)
            rc = send_wait(&r, seq, 0, round);
        msip_wait_for(&drained, round, 0);
        scribble_until_done(&r, round, rd->kind, *word(W_TAIL), res);
        return;
    }
    msip_wait_for(&ready, round, 0);
    int rc = ring_attach(&r, area.win, WIN);
    if (rc == RING_OK)
        ring_set_kick(&r, msip_kick, (void *)1);
    for (uint32_t seq = 0; seq < GOOD && rc == RING_OK; seq++)
        rc = recv_wait(&r, seq, 0, round, &bad);
    ring_release(&r);
    msip_signal(&drained, round, 1);
    msip_wait_for(&go, round, 0);
    scribble_until_done(&r, round, rd->kind, r.mine, res);
    res->bad += bad;
}

/* ---- the victim (hart 1) ---- */

static void hart1_round(uint32_t round, const struct round *rd, struct result *res)
{
    static struct ring r;
    int rc;
    if (!rd->victim_produces) {
        msip_wait_for(&ready, round, 1);
        rc = ring_attach(&r, area.win, WIN);
        if (rc == RING_OK)
            ring_set_kick(&r, msip_kick, (void *)0);
        for (uint32_t seq = 0; rc == RING_OK && gave_up != round; seq++) {
            rc = recv_wait(&r, seq, 1, round, &res->bad);
            if (rc == RING_OK && gave_up != round && ++res->handled == GOOD)
                msip_signal(&drained, round, 0);
        }
    } else {
        rc = ring_init(&r, area.win, WIN, SLOT);
        if (rc == RING_OK) {
            ring_set_kick(&r, msip_kick, (void *)0);
            msip_signal(&ready, round, 0);
        }
        for (uint32_t seq = 0; seq < GOOD && rc == RING_OK; seq++, res->handled++)
            rc = send_wait(&r, seq, 1, round);
        msip_wait_for(&drained, round, 1);
        int avail = ring_avail(&r);     /* see the tail of the drained ring: every slot free */
        if (avail < 0)
            rc = avail;
        msip_signal(&go, round, 0);
        msip_wait_for(&scribbled, round, 1);
        for (uint32_t seq = GOOD; rc == RING_OK && gave_up != round; seq++) {
            rc = send_wait(&r, seq, 1, round);
            if (rc == RING_OK)
                res->handled++;
        }
    }
    res->rc = rc;
    res->why = r.why;
    msip_signal(&done, round, 0);
}

static void victim(void)
{
    /* Lock the guard pages against this hart (M-mode obeys locked entries): NAPOT 4 KiB, no RWX. */
    write_csr(mtvec, (uintptr_t)trap);
    write_csr(pmpaddr0, ((uintptr_t)area.lo >> 2) | 0x1ffu);
    write_csr(pmpaddr1, ((uintptr_t)area.hi >> 2) | 0x1ffu);
    write_csr(pmpcfg0, 0x9898u);
    for (uint32_t i = RX_CAP; i < sizeof rx; i++)
        rx[i] = CANARY;
    for (uint32_t k = 0; k < ROUNDS; k++)
        hart1_round(k + 1, &rounds[k], &results[k]);
    uint32_t ok = 1;
    for (uint32_t i = RX_CAP; i < sizeof rx; i++)
        ok &= rx[i] == CANARY;
    rx_canary_ok = ok;
    msip_signal(&finished, 1, 0);
}

int main(int hartid, const void *fdt)
{
    int start = hart_pair_start("ring-corrupt", hartid, fdt, victim);
    if (start != HART_PAIR_GO)
        return start;
    write_csr(mtvec, (uintptr_t)trap);
    for (uint32_t i = 0; i < sizeof area.lo; i++)
        area.lo[i] = area.hi[i] = CANARY;
    printf("ring-corrupt: %u slots of %u bytes; %u good messages a round, then hart 0 scribbles (LCG) until hart 1 notices\n",
           U(SLOTS), U(SLOT), U(GOOD));
    uint32_t detected = 0, bad = 0, wrong = 0;
    for (uint32_t k = 0; k < ROUNDS; k++) {
        const struct round *rd = &rounds[k];
        struct result *res = &results[k];
        hart0_round(k + 1, rd, res);
        uint32_t want = GOOD + (rd->victim_produces ? SLOTS : 0);   /* a full ring more, then the tail is read */
        int ok = res->rc == RING_CORRUPT && (!rd->expect || res->why == rd->expect) && res->handled == want;
        detected += res->rc == RING_CORRUPT;
        bad += res->bad;
        wrong += !ok;
        if (res->rc == RING_CORRUPT && rd->expect)
            printf("ring-corrupt: round %u, %s: %s detected \"%s\" after %u messages\n", U(k + 1), rd->what,
                   rd->victim_produces ? "producer" : "consumer", ring_why_name(res->why), U(res->handled));
        else if (res->rc == RING_CORRUPT)
            printf("ring-corrupt: round %u, %s: %s detected corruption after %u messages\n", U(k + 1), rd->what,
                   rd->victim_produces ? "producer" : "consumer", U(res->handled));
        else
            printf("ring-corrupt: round %u, %s: NOT DETECTED (%s after %u messages, %u scribbles)\n", U(k + 1), rd->what,
                   ring_strerror(res->rc), U(res->handled), U(res->scribbles));
    }
    msip_wait_for(&finished, 1, 0);
    uint32_t guards = 1;
    for (uint32_t i = 0; i < sizeof area.lo; i++)
        guards &= area.lo[i] == CANARY && area.hi[i] == CANARY;
    guards &= rx_canary_ok;
    printf("ring-corrupt: timing: scribbles until noticed:");
    for (uint32_t k = 0; k < ROUNDS; k++)
        printf(" %u", U(results[k].scribbles));
    printf("; round 6 check: %s\n", ring_why_name(results[ROUNDS - 1].why));
    printf("ring-corrupt: detected corruption in %u of %u rounds, %u bad messages accepted, %s\n", U(detected), U(ROUNDS),
           U(bad), guards ? "no out-of-window access" : "GUARD BYTES CHANGED");
    return wrong || bad || !guards;
}
