/* ring-smp.c: hart 0 streams numbered, checksummed messages through a shared-memory ring to hart 1, which checks every one. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "hart-pair.h"
#include "hash.h"
#include "msip.h"
#include "ring-wait.h"
#include "tessera-ring.h"

/*
 * Message format (all little-endian words): seq, len (the whole message, header included), a 32-bit
 * FNV-1a over the payload (bytes 12..len, taken a 32-bit word at a time, then the trailing bytes),
 * then the payload: a xorshift32 stream seeded from seq. The lengths are a function of seq, so the
 * consumer checks each length too. A final message with seq END_SEQ ends a phase.
 *
 * The producer stages messages and publishes them in batches of 1..4 (one head store, at most one
 * kick each); the consumer releases every third message. Either side that finds the ring full or
 * empty calls ring_prepare_wait and sleeps in WFI until its msip doorbell rings.
 */

#ifndef RING_SMP_NAME
#define RING_SMP_NAME "ring-smp"
#endif

#define MSG_HDR 12u
#define MSG_MAX 4096u
#define END_SEQ 0xffffffffu
#define WINDOW_BYTES (68u * 1024u)      /* 64 KiB of slots + the header, rounded up to pages */

struct phase {
    uint32_t slot_size;
    uint32_t messages;
    uint32_t (*len)(uint32_t seq);
    uint32_t min_len, max_len;  /* of len(), for the report */
};

#ifdef RING_SMP_4K
#define MAX_MESSAGES 10000u
/* 4096 bytes, except every eighth message is up to 60 bytes shorter. */
static uint32_t len_4k(uint32_t seq)
{
    return seq % 8 == 7 ? MSG_MAX - mix32(seq) % 61 : MSG_MAX;
}
static const struct phase phases[] = {
    { 64, MAX_MESSAGES, len_4k, MSG_MAX - 60, MSG_MAX },    /* 65 slots of 64 bytes a message */
    { 4160, MAX_MESSAGES, len_4k, MSG_MAX - 60, MSG_MAX },  /* one "large slot" (4096 + 64 bytes) a message */
};
#else
#ifndef MAX_MESSAGES
#define MAX_MESSAGES 200000u
#endif
/* Mostly 12..64 bytes (one or two slots); one in 16 up to 1024; one in 256 up to 4096. */
static uint32_t len_small(uint32_t seq)
{
    uint32_t h = mix32(seq);
    if ((h & 255) == 0)
        return MSG_HDR + (h >> 8) % (MSG_MAX - MSG_HDR + 1);
    if ((h & 15) == 0)
        return MSG_HDR + (h >> 8) % 1013;
    return MSG_HDR + (h >> 8) % 53;
}
static const struct phase phases[] = {
    { 64, MAX_MESSAGES, len_small, MSG_HDR, MSG_MAX },
};
#endif
#define PHASES (sizeof phases / sizeof phases[0])
#define U(x) ((unsigned)(x))   /* uint32_t is unsigned long here; printf's %u takes unsigned */

static uint8_t window[WINDOW_BYTES] __attribute__((aligned(4096)));

/* Hand-over between the harts, outside the window. */
static volatile uint32_t phase_ready;  /* hart 0: the ring of phase p (1-based) is initialised */
static volatile uint32_t phase_done;   /* hart 1: phase p is checked, results below */
static struct result {
    uint32_t received, lost, duplicated, reordered, corrupted;
    uint64_t bytes;
    int error;                  /* a ring call that failed, or 0 */
    uint32_t why;
    struct ring_stats stats;
} results[PHASES];

static uint32_t seen[(MAX_MESSAGES + 31) / 32];
static uint32_t txbuf[MSG_MAX / 4];
static uint32_t rxbuf[MSG_MAX / 4];

/* FNV-1a, a word at a time over the aligned part, then byte by byte. */
static uint32_t checksum(const uint8_t *p, uint32_t n)
{
    return fnv1a_bytes(fnv1a_words(FNV1A_START, (const uint32_t *)p, n / 4), p + (n & ~3u), n % 4);
}

static void build(uint32_t seq, uint32_t len)
{
    uint8_t *b = (uint8_t *)txbuf;
    uint32_t x = mix32(seq) | 1, i = MSG_HDR;
    for (; i + 4 <= len; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        txbuf[i / 4] = x;
    }
    for (; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = (uint8_t)x;
    }
    txbuf[0] = seq;
    txbuf[1] = len;
    txbuf[2] = checksum(b + MSG_HDR, len - MSG_HDR);
}

/* Returns 0, or the failing ring call's result. */
static int produce(struct ring *r, const struct phase *ph, uint64_t *bytes)
{
    for (uint32_t i = 0; i <= ph->messages; i++) {
        uint32_t seq = i == ph->messages ? END_SEQ : i;
        uint32_t len = seq == END_SEQ ? MSG_HDR : ph->len(seq);
        build(seq, len);
        if (seq != END_SEQ)
            *bytes += len;
        int rc = ring_send_wait(r, txbuf, len, (mix32(i) & 3) == 0 || seq == END_SEQ, msip_wait, 0);
        if (rc)
            return rc;
    }
    return 0;
}

static void consume(struct ring *r, const struct phase *ph, struct result *res)
{
    uint32_t distinct = 0, high = 0, have_high = 0, unreleased = 0;
    for (uint32_t i = 0; i < (MAX_MESSAGES + 31) / 32; i++)
        seen[i] = 0;
    for (;;) {
        uint32_t len;
        int rc = ring_read(r, rxbuf, MSG_MAX, &len);
        if (rc == RING_EMPTY) {
            rc = ring_wait(r, msip_wait, 1);    /* releases what was read, then asks for a kick */
            if (rc < 0) {
                res->error = rc;
                break;
            }
            continue;
        }
        if (rc != RING_OK) {
            res->error = rc;
            break;
        }
        if (++unreleased == 3) {
            ring_release(r);
            unreleased = 0;
        }
        res->received++;
        uint32_t seq = rxbuf[0];
        if (len < MSG_HDR || rxbuf[1] != len || checksum((const uint8_t *)rxbuf + MSG_HDR, len - MSG_HDR) != rxbuf[2] ||
            (seq != END_SEQ && (seq >= ph->messages || ph->len(seq) != len)) || (seq == END_SEQ && len != MSG_HDR)) {
            res->corrupted++;
            continue;
        }
        if (seq == END_SEQ) {
            res->received--;
            break;
        }
        res->bytes += len;
        if (seen[seq / 32] & (1u << (seq % 32))) {
            res->duplicated++;
            continue;
        }
        seen[seq / 32] |= 1u << (seq % 32);
        distinct++;
        if (have_high && seq < high)
            res->reordered++;
        if (!have_high || seq > high)
            high = seq, have_high = 1;
    }
    int rc = ring_release(r);
    if (rc < 0 && !res->error)
        res->error = rc;
    res->lost = ph->messages - distinct;
    res->why = r->why;
    res->stats = r->stats;
}

static void consumer(void)
{
    for (uint32_t p = 0; p < PHASES; p++) {
        static struct ring r;
        msip_wait_for(&phase_ready, p + 1, 1);
        int rc = ring_attach(&r, window, sizeof window);
        if (rc == RING_OK) {
            ring_set_kick(&r, msip_kick, (void *)0);
            consume(&r, &phases[p], &results[p]);
        } else {
            results[p].error = rc;
        }
        msip_signal(&phase_done, p + 1, 0);
    }
}

int main(int hartid, const void *fdt)
{
    int start = hart_pair_start(RING_SMP_NAME, hartid, fdt, consumer);
    if (start != HART_PAIR_GO)
        return start;
    int failed = 0;
    for (uint32_t p = 0; p < PHASES; p++) {
        const struct phase *ph = &phases[p];
        static struct ring r;
        uint64_t bytes = 0;
        int rc = ring_init(&r, window, sizeof window, ph->slot_size);
        if (rc) {
            printf("%s: ring_init: %s\n", RING_SMP_NAME, ring_strerror(rc));
            return 3;
        }
        ring_set_kick(&r, msip_kick, (void *)1);
        printf("%s: %u slots of %u bytes, %u messages of %u..%u bytes\n", RING_SMP_NAME, U(r.count), U(r.size),
               U(ph->messages), U(ph->min_len), U(ph->max_len));
        uint64_t t0 = clint_mtime();
        msip_signal(&phase_ready, p + 1, 1);
        int prc = produce(&r, ph, &bytes);
        msip_wait_for(&phase_done, p + 1, 0);
        uint64_t ticks = clint_mtime() - t0;
        const struct result *res = &results[p];
        printf("%s: %u messages, %u lost, %u duplicated, %u reordered, %u corrupted; %llu payload bytes %s\n",
               RING_SMP_NAME, U(res->received), U(res->lost), U(res->duplicated), U(res->reordered), U(res->corrupted),
               (unsigned long long)res->bytes, res->bytes == bytes ? "match" : "MISMATCH");
        if (prc || res->error)
            printf("%s: producer %s, consumer %s (%s)\n", RING_SMP_NAME, ring_strerror(prc), ring_strerror(res->error),
                   ring_why_name(res->why));
        printf("%s: timing: %llu mtime ticks; producer %u kicks, %u suppressed, %u waits; "
               "consumer %u kicks, %u suppressed, %u waits\n",
               RING_SMP_NAME, (unsigned long long)ticks, U(r.stats.kicks), U(r.stats.suppressed), U(r.stats.waits),
               U(res->stats.kicks), U(res->stats.suppressed), U(res->stats.waits));
        if (prc || res->error || res->lost || res->duplicated || res->reordered || res->corrupted ||
            res->received != ph->messages || res->bytes != bytes)
            failed = 1;
    }
    printf("%s: %s\n", RING_SMP_NAME, failed ? "FAILED" : "ok");
    return failed;
}
