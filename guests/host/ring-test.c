/* ring-test.c: host tests of runtime/ring.c under AddressSanitizer: API, notifications, index wrap, scribble fuzzing, two threads. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tessera-ring.h"

static int failures;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Exactly `bytes` long (a multiple of 64), so ASan flags any access past the end of the window. */
static uint8_t *new_window(size_t bytes)
{
    uint8_t *w = aligned_alloc(64, bytes);
    memset(w, 0, bytes);
    return w;
}

static void fill(uint8_t *p, uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

static int kicks_seen;
static void count_kick(struct ring *r) { (void)r; kicks_seen++; }

static void test_args(void)
{
    struct ring r;
    uint8_t *w = new_window(8192);
    CHECK(ring_init(&r, w + 4, 4096, 64) == RING_INVAL);
    CHECK(ring_init(&r, w, 8192, 0) == RING_INVAL);
    CHECK(ring_init(&r, w, 8192, 96) == RING_INVAL);
    CHECK(ring_init(&r, w, 8192, RING_SLOT_MAX + 64) == RING_INVAL);
    CHECK(ring_init(&r, w, RING_WINDOW_BYTES(2, 64) - 1, 64) == RING_INVAL);
    CHECK(ring_init(&r, w, RING_WINDOW_BYTES(2, 64), 64) == RING_OK && r.count == 2);
    CHECK(ring_init(&r, w, 4096, 64) == RING_OK && r.count == 32 && r.max_msg == 32 * 64 - 8);
    CHECK(ring_init(&r, w, 8192, 4160) == RING_INVAL);          /* does not fit twice */
    CHECK(ring_init(&r, w, RING_WINDOW_BYTES(64, 64), 64) == RING_OK && r.count == 64);
    CHECK(ring_send(&r, w, r.max_msg + 1) == RING_TOO_BIG);
    uint32_t len;
    CHECK(ring_recv(&r, w, 64, &len) == RING_INVAL);            /* wrong role */
    struct ring c;
    CHECK(ring_attach(&c, w, 8192) == RING_OK && c.count == 64 && c.size == 64 && c.max_msg == r.max_msg);
    CHECK(ring_send(&c, w, 4) == RING_INVAL);
    CHECK(ring_attach(&c, w + 8, 8192) == RING_INVAL);
    CHECK(ring_attach(&c, w, RING_WINDOW_BYTES(64, 64) - 1) == RING_BADHDR);   /* slots do not fit */
    free(w);

    /* The header: missing, then each field tampered with. */
    w = new_window(8192);
    CHECK(ring_attach(&c, w, 8192) == RING_NOHDR);
    CHECK(ring_init(&r, w, 8192, 64) == RING_OK);
    uint32_t *h = (uint32_t *)w;
    for (int field = 1; field <= 6; field++) {
        uint32_t keep = h[field];
        uint32_t bad[] = { 0, 1, 3, 63, 65, 127, 0x80000000u, keep + 1, keep - 1, keep ^ 0x40 };
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            if (bad[k] == keep)
                continue;
            h[field] = bad[k];
            CHECK(ring_attach(&c, w, 8192) == RING_BADHDR);
        }
        h[field] = keep;
    }
    CHECK(ring_attach(&c, w, 8192) == RING_OK);
    h[0] ^= 1;
    CHECK(ring_attach(&c, w, 8192) == RING_NOHDR);
    free(w);
}

/* Every length, wrapping around the slot array, both with single calls and with batches. */
static void test_lengths(uint32_t slot, uint32_t slots)
{
    size_t bytes = RING_WINDOW_BYTES(slots, slot);
    uint8_t *w = new_window(bytes), *msg = malloc(slots * slot), *buf = malloc(slots * slot);
    struct ring p, c;
    CHECK(ring_init(&p, w, bytes, slot) == RING_OK && p.count == slots);
    CHECK(ring_attach(&c, w, bytes) == RING_OK);
    uint32_t len, step = slot == 64 ? 1 : 7;
    for (uint32_t n = 0; n <= p.max_msg; n += step) {
        fill(msg, n, n);
        CHECK(ring_send(&p, msg, n) == RING_OK);
        if (n > 0) {
            CHECK(ring_recv(&c, buf, n - 1, &len) == RING_TOO_BIG && len == n);   /* stays in place */
        }
        memset(buf, 0xee, n);
        CHECK(ring_recv(&c, buf, n, &len) == RING_OK && len == n && memcmp(buf, msg, n) == 0);
        CHECK(ring_recv(&c, buf, n, &len) == RING_EMPTY);
    }
    /* Fill up with small messages: exactly `slots` of them fit, then RING_FULL. */
    uint32_t sent = 0;
    while (ring_send(&p, msg, slot - RING_SLOT_HDR) == RING_OK)
        sent++;
    CHECK(sent == slots);
    CHECK(ring_send(&p, msg, 0) == RING_FULL && p.need == 1);
    for (uint32_t i = 0; i < slots; i++)
        CHECK(ring_recv(&c, buf, slot, &len) == RING_OK && len == slot - RING_SLOT_HDR);
    /* Batches. */
    struct ring_msg msgs[8];
    struct ring_buf bufs[8];
    uint8_t store[8][200];
    for (int i = 0; i < 8; i++) {
        fill(store[i], 100 + i, 1000 + i);
        msgs[i] = (struct ring_msg){ store[i], 100 + (uint32_t)i };
        bufs[i] = (struct ring_buf){ malloc(200), 200, 0 };
    }
    uint32_t got;
    CHECK(ring_send_batch(&p, msgs, 8, &sent) == (8 * ring_slots_for(&p, 107) <= slots ? RING_OK : RING_FULL));
    CHECK(ring_recv_batch(&c, bufs, 8, &got) == RING_OK && got == sent);
    for (uint32_t i = 0; i < got; i++)
        CHECK(bufs[i].len == 100 + i && memcmp(bufs[i].data, store[i], bufs[i].len) == 0);
    CHECK(ring_recv_batch(&c, bufs, 8, &got) == RING_EMPTY && got == 0);
    for (int i = 0; i < 8; i++)
        free(bufs[i].data);
    free(w);
    free(msg);
    free(buf);
}

/* Free-running indices across 2^32. */
static void test_index_wrap(void)
{
    size_t bytes = RING_WINDOW_BYTES(16, 64);
    uint8_t *w = new_window(bytes), msg[300], buf[300];
    struct ring p, c;
    CHECK(ring_init(&p, w, bytes, 64) == RING_OK);
    uint32_t start = 0xffffff00u;
    p.sh->head = p.sh->tail = p.mine = p.published = p.peer = start;
    CHECK(ring_attach(&c, w, bytes) == RING_OK && c.mine == start);
    uint32_t len, sent = 0, got = 0;
    for (int i = 0; i < 5000; i++) {
        uint32_t n = rnd() % 300;
        fill(msg, n, sent);
        if (ring_send(&p, msg, n) == RING_OK)
            sent++;
        while (rnd() % 3 && ring_recv(&c, buf, sizeof buf, &len) == RING_OK)
            got++;
    }
    while (ring_recv(&c, buf, sizeof buf, &len) == RING_OK)
        got++;
    CHECK(sent == got && sent > 1000 && p.mine < start && c.why == 0 && p.why == 0);
    free(w);
}

static void test_notifications(void)
{
    size_t bytes = RING_WINDOW_BYTES(8, 64);
    uint8_t *w = new_window(bytes), msg[512] = { 0 }, buf[512];
    struct ring p, c;
    uint32_t len;
    CHECK(ring_init(&p, w, bytes, 64) == RING_OK);
    CHECK(ring_attach(&c, w, bytes) == RING_OK);
    ring_set_kick(&p, count_kick, NULL);
    ring_set_kick(&c, count_kick, NULL);
    kicks_seen = 0;
    CHECK(ring_send(&p, msg, 10) == RING_OK && kicks_seen == 0 && p.stats.suppressed == 1);  /* nobody waits */
    CHECK(ring_prepare_wait(&c) == 0);                  /* not empty: no sleeping */
    CHECK(ring_recv(&c, buf, 64, &len) == RING_OK);
    CHECK(ring_prepare_wait(&c) == 1 && c.stats.waits == 1);
    CHECK(ring_send(&p, msg, 10) == RING_OK && kicks_seen == 1 && p.stats.kicks == 1);
    CHECK(ring_send(&p, msg, 10) == RING_OK && kicks_seen == 1);   /* one kick per sleep */
    CHECK(ring_recv(&c, buf, 64, &len) == RING_OK && c.sh->cons_wake == 0);  /* woken: flag cleared */
    CHECK(ring_recv(&c, buf, 64, &len) == RING_OK);
    /* Staged messages are invisible until published; one publish, one kick. */
    CHECK(ring_prepare_wait(&c) == 1);
    CHECK(ring_stage(&p, msg, 10) == RING_OK && ring_stage(&p, msg, 10) == RING_OK && kicks_seen == 1);
    CHECK(ring_recv(&c, buf, 64, &len) == RING_EMPTY);
    CHECK(ring_publish(&p) == 1 && kicks_seen == 2);
    CHECK(ring_recv(&c, buf, 64, &len) == RING_OK && ring_recv(&c, buf, 64, &len) == RING_OK);
    /* The producer waits for room: 8 slots; fill 7, then a 4-slot message does not fit. */
    for (int i = 0; i < 7; i++)
        CHECK(ring_send(&p, msg, 56) == RING_OK);
    CHECK(ring_send(&p, msg, 200) == RING_FULL && p.need == 4);
    CHECK(ring_prepare_wait(&p) == 1 && p.stats.waits == 1);
    int before = kicks_seen;
    CHECK(ring_recv(&c, buf, 64, &len) == RING_OK && kicks_seen == before);       /* 2 free */
    CHECK(ring_recv(&c, buf, 64, &len) == RING_OK && kicks_seen == before);       /* 3 free */
    CHECK(ring_recv(&c, buf, 64, &len) == RING_OK && kicks_seen == before + 1);   /* 4 free: kick */
    CHECK(ring_recv(&c, buf, 64, &len) == RING_OK && kicks_seen == before + 1);   /* once */
    CHECK(ring_send(&p, msg, 200) == RING_OK && p.sh->prod_wake == 0);
    /* Batched reads release with one store. */
    CHECK(ring_read(&c, buf, 64, &len) == RING_OK && ring_read(&c, buf, 64, &len) == RING_OK);
    uint32_t tail = c.sh->tail;
    CHECK(ring_release(&c) >= 0 && c.sh->tail == tail + 2);
    free(w);
}

/* Random operations with random scribbles over the whole window; ASan watches the bounds. */
static void test_fuzz(int rounds)
{
    int detected = 0;
    for (int round = 0; round < rounds; round++) {
        uint32_t slot = 64u << (rnd() % 3), slots = 2u << (rnd() % 6);
        size_t bytes = RING_WINDOW_BYTES(slots, slot);
        uint8_t *w = new_window(bytes), *msg = malloc(slots * slot), *buf = malloc(2 * slots * slot);
        struct ring p, c;
        CHECK(ring_init(&p, w, bytes, slot) == RING_OK && ring_attach(&c, w, bytes) == RING_OK);
        ring_set_kick(&p, count_kick, NULL);
        ring_set_kick(&c, count_kick, NULL);
        uint32_t sent = 0, got = 0, len, lens[3000];
        int scribbles = 0, clean = round % 10 == 0;     /* every tenth round without scribbles */
        for (int op = 0; op < 3000; op++) {
            uint32_t r = rnd() % 100;
            if (r < 30) {
                uint32_t n = rnd() % (p.max_msg + 2);
                fill(msg, n <= p.max_msg ? n : 0, sent);
                lens[sent] = n;
                sent += ring_stage(&p, msg, n) == RING_OK;
                if (rnd() % 2)
                    ring_publish(&p);
            } else if (r < 60) {
                uint32_t cap = rnd() % (2 * slots * slot);     /* caps beyond the window too */
                int rc = rnd() % 2 ? ring_recv(&c, buf, cap, &len) : ring_read(&c, buf, cap, &len);
                if (rc == RING_OK) {
                    CHECK(len <= cap && len <= c.max_msg);
                    if (clean) {
                        fill(msg, lens[got], got);
                        CHECK(got < sent && len == lens[got] && memcmp(buf, msg, len) == 0);
                    }
                    got++;
                }
            } else if (r < 65) {
                ring_release(&c);
            } else if (r < 70) {
                ring_prepare_wait(&p);
                ring_prepare_wait(&c);
                ring_avail(&p);
                ring_avail(&c);
            } else if (!clean && r < 73u + (uint32_t)(round % 20)) {
                /* Scribble: a random word anywhere, often an index or a slot header, often plausible. */
                uint32_t words = (uint32_t)(bytes / 4), at, v;
                switch (rnd() % 4) {
                case 0: at = 0x40 / 4 + rnd() % 3; break;
                case 1: at = 0x80 / 4 + rnd() % 3; break;
                case 2: at = (RING_SLOTS_OFFSET + (rnd() % slots) * slot) / 4 + rnd() % 2; break;
                default: at = rnd() % words; break;
                }
                uint32_t base = at == 0x40 / 4 || at == 0x80 / 4 ? ((uint32_t *)w)[at] : 0;
                switch (rnd() % 3) {
                case 0: v = rnd(); break;
                case 1: v = base + rnd() % (2 * slots + 1) - slots; break;  /* near an index */
                default: v = rnd() % (3 * slots * slot); break;             /* a length up to 3 windows */
                }
                ((uint32_t *)w)[at] = v;
                scribbles++;
            }
        }
        if (p.why || c.why) {
            detected++;
            /* Sticky: every call on a corrupt side says so. */
            struct ring *bad = c.why ? &c : &p;
            CHECK(ring_prepare_wait(bad) == RING_CORRUPT && ring_avail(bad) == RING_CORRUPT);
            CHECK(bad == &c ? ring_recv(&c, buf, 64, &len) == RING_CORRUPT : ring_send(&p, msg, 1) == RING_CORRUPT);
        }
        if (clean)
            CHECK(!p.why && !c.why && scribbles == 0 && got <= sent && sent > 0);
        free(w);
        free(msg);
        free(buf);
    }
    printf("ring-test: fuzz: %d rounds (%d without scribbles), corruption detected in %d\n", rounds, (rounds + 9) / 10, detected);
}

/* ---- two threads: a producer and a consumer that sleep on semaphores (the "doorbells") ---- */

struct side {
    struct ring r;
    sem_t bell;         /* this side's doorbell */
    struct side *peer;
    uint32_t count, sleeps;
    int error;
};

static void sem_kick(struct ring *r) { sem_post(&((struct side *)r->kick_ctx)->bell); }

static int sleep_on(struct side *s)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += 10;
    s->sleeps++;
    while (sem_timedwait(&s->bell, &t) != 0)
        if (errno == ETIMEDOUT)
            return -1;      /* a lost wake-up */
    return 0;
}

static uint32_t msg_len(uint32_t seq) { return (seq * 2654435761u >> 20) % 301; }

static void *producer(void *arg)
{
    struct side *s = arg;
    uint8_t msg[400];
    for (uint32_t seq = 0; seq < s->count; seq++) {
        uint32_t n = msg_len(seq);
        fill(msg, n, seq);
        if (n >= 4)
            memcpy(msg, &seq, 4);
        for (;;) {
            int rc = ring_stage(&s->r, msg, n);
            if (rc == RING_OK)
                break;
            if (rc != RING_FULL) {
                s->error = rc;
                return NULL;
            }
            rc = ring_prepare_wait(&s->r);
            if (rc == 1 && sleep_on(s)) {
                s->error = -100;
                return NULL;
            }
        }
        if (seq % 3 == 0)
            ring_publish(&s->r);
    }
    ring_publish(&s->r);
    return NULL;
}

static void *consumer(void *arg)
{
    struct side *s = arg;
    uint8_t buf[400], want[400];
    for (uint32_t seq = 0; seq < s->count;) {
        uint32_t len;
        int rc = ring_recv(&s->r, buf, sizeof buf, &len);
        if (rc == RING_EMPTY) {
            rc = ring_prepare_wait(&s->r);
            if (rc == 1 && sleep_on(s)) {
                s->error = -100;
                return NULL;
            }
            continue;
        }
        if (rc != RING_OK) {
            s->error = rc;
            return NULL;
        }
        uint32_t n = msg_len(seq);
        fill(want, n, seq);
        if (n >= 4)
            memcpy(want, &seq, 4);
        if (len != n || memcmp(buf, want, n) != 0) {
            s->error = -101;
            return NULL;
        }
        seq++;
    }
    return NULL;
}

static void test_threads(uint32_t count, uint32_t slots)
{
    size_t bytes = RING_WINDOW_BYTES(slots, 64);
    uint8_t *w = new_window(bytes);
    struct side p = { .count = count }, c = { .count = count };
    sem_init(&p.bell, 0, 0);
    sem_init(&c.bell, 0, 0);
    CHECK(ring_init(&p.r, w, bytes, 64) == RING_OK && ring_attach(&c.r, w, bytes) == RING_OK);
    ring_set_kick(&p.r, sem_kick, &c);
    ring_set_kick(&c.r, sem_kick, &p);
    pthread_t tp, tc;
    pthread_create(&tc, NULL, consumer, &c);
    pthread_create(&tp, NULL, producer, &p);
    pthread_join(tp, NULL);
    pthread_join(tc, NULL);
    CHECK(p.error == 0 && c.error == 0);
    printf("ring-test: threads: %u messages through %u slots: producer %u kicks %u sleeps, consumer %u kicks %u sleeps%s\n",
           count, slots, p.r.stats.kicks, p.sleeps, c.r.stats.kicks, c.sleeps,
           p.error || c.error ? " FAILED" : "");
    free(w);
}

int main(void)
{
    test_args();
    test_lengths(64, 64);
    test_lengths(64, 2);
    test_lengths(4160, 4);
    test_index_wrap();
    test_notifications();
    test_fuzz(3000);
    test_threads(2000000, 16);
    test_threads(2000000, 1024);
    printf("ring-test: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
