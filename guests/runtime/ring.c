/* ring.c: single-producer single-consumer message ring over a shared-memory window (layout in tessera-ring.h). */
#include <stddef.h>
#include <stdint.h>
#include "tessera-ring.h"

_Static_assert(offsetof(struct ring_shared, check) == 0x18, "header layout");
_Static_assert(offsetof(struct ring_shared, head) == 0x40, "producer line");
_Static_assert(offsetof(struct ring_shared, prod_wake_at) == 0x48, "producer line");
_Static_assert(offsetof(struct ring_shared, tail) == 0x80, "consumer line");
_Static_assert(offsetof(struct ring_shared, cons_wake_at) == 0x88, "consumer line");
_Static_assert(sizeof(struct ring_shared) == RING_SLOTS_OFFSET, "slots follow the three header lines");

#define MAX_COUNT (1u << 26)    /* 2^32 / 64: more slots cannot fit in a 32-bit address space */

/*
 * Shared-memory accesses. Every read of a shared word goes through load() exactly once into a
 * local, so a peer changing it meanwhile cannot make two uses of it disagree.
 * store_full: a store that is also a full barrier against the loads after it (amoswap.w.aqrl).
 * The host build (a test harness) maps them onto GCC's __atomic builtins.
 */
#if defined(__riscv)
#define FENCE_ACQUIRE() __asm__ volatile("fence r, rw" ::: "memory")
#define FENCE_RELEASE() __asm__ volatile("fence rw, w" ::: "memory")
static inline uint32_t load(const volatile uint32_t *p) { return *p; }
static inline void store(volatile uint32_t *p, uint32_t v) { *p = v; }
static inline void store_full(volatile uint32_t *p, uint32_t v)
{
    __asm__ volatile("amoswap.w.aqrl zero, %1, (%0)" : : "r"(p), "r"(v) : "memory");
}
#else
#define FENCE_ACQUIRE() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define FENCE_RELEASE() __atomic_thread_fence(__ATOMIC_RELEASE)
static inline uint32_t load(const volatile uint32_t *p) { return __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED); }
static inline void store(volatile uint32_t *p, uint32_t v) { __atomic_store_n((uint32_t *)p, v, __ATOMIC_RELAXED); }
static inline void store_full(volatile uint32_t *p, uint32_t v) { (void)__atomic_exchange_n((uint32_t *)p, v, __ATOMIC_SEQ_CST); }
#endif

typedef uint32_t __attribute__((may_alias)) word_t;

/* memcpy with a word loop when both ends are 4-byte aligned (slot payloads always are). */
static void copy(void *dst, const void *src, uint32_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
        word_t *dw = (word_t *)d;
        const word_t *sw = (const word_t *)s;
        for (; n >= 16; n -= 16, dw += 4, sw += 4) {
            word_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
            dw[0] = a;
            dw[1] = b;
            dw[2] = c;
            dw[3] = e;
        }
        for (; n >= 4; n -= 4)
            *dw++ = *sw++;
        d = (uint8_t *)dw;
        s = (const uint8_t *)sw;
    }
    while (n--)
        *d++ = *s++;
}

static uint32_t header_check(uint32_t magic, uint32_t version, uint32_t count, uint32_t size, uint32_t offset, uint32_t max)
{
    const uint32_t words[6] = { magic, version, count, size, offset, max };
    uint32_t h = 2166136261u;
    for (int i = 0; i < 6; i++)
        for (int b = 0; b < 4; b++)
            h = (h ^ ((words[i] >> (8 * b)) & 0xffu)) * 16777619u;
    return h;
}

static void clear_private(struct ring *r)
{
    uint8_t *p = (uint8_t *)r;
    for (size_t i = 0; i < sizeof *r; i++)
        p[i] = 0;
}

static int corrupt(struct ring *r, uint32_t why)
{
    r->why = why;
    return RING_CORRUPT;
}

static volatile uint32_t *slot_word(const struct ring *r, uint32_t index, uint32_t offset)
{
    return (volatile uint32_t *)(r->slots + (index & r->mask) * r->size + offset);
}

/*
 * After publishing our index from old to now: kick the peer if it asked (its flag) and this publish
 * moved our index past its wake_at, i.e. wake_at in [old, now).
 */
static int notify(struct ring *r, const volatile uint32_t *flag, const volatile uint32_t *at, uint32_t old, uint32_t now)
{
    if (load(flag) != 0) {
        FENCE_ACQUIRE();    /* the flag before wake_at: the peer stores them in the other order */
        uint32_t w = load(at);
        if ((uint32_t)(now - w - 1) < (uint32_t)(now - old)) {
            r->stats.kicks++;
            if (r->kick)
                r->kick(r);
            return 1;
        }
    }
    r->stats.suppressed++;
    return 0;
}

/* Copies the counters into our own line of the window; plain stores, only the monitor reads them. */
static void publish_telemetry(const struct ring *r, volatile struct ring_telemetry *t)
{
    store(&t->messages, r->stats.messages);
    store(&t->bytes_lo, (uint32_t)r->stats.bytes);
    store(&t->bytes_hi, (uint32_t)(r->stats.bytes >> 32));
    store(&t->kicks, r->stats.kicks);
    store(&t->suppressed, r->stats.suppressed);
}

int ring_init(struct ring *r, void *window, size_t window_bytes, uint32_t slot_size)
{
    clear_private(r);
    if (window_bytes > 0x80000000u)
        window_bytes = 0x80000000u;
    if (!window || ((uintptr_t)window & (RING_LINE - 1)) || slot_size < RING_LINE || slot_size > RING_SLOT_MAX ||
        slot_size % RING_LINE || window_bytes < RING_SLOTS_OFFSET + 2u * slot_size)
        return RING_INVAL;
    uint32_t fit = (uint32_t)(window_bytes - RING_SLOTS_OFFSET) / slot_size, count = 2;
    while (count * 2 <= fit && count < MAX_COUNT)
        count *= 2;
    uint32_t max = count * slot_size - RING_SLOT_HDR;

    volatile struct ring_shared *sh = window;
    store(&sh->magic, 0);               /* a consumer attaching now finds no header */
    FENCE_RELEASE();
    store(&sh->version, RING_VERSION);
    store(&sh->slot_count, count);
    store(&sh->slot_size, slot_size);
    store(&sh->slots_offset, RING_SLOTS_OFFSET);
    store(&sh->max_msg, max);
    store(&sh->check, header_check(RING_MAGIC, RING_VERSION, count, slot_size, RING_SLOTS_OFFSET, max));
    store(&sh->head, 0);
    store(&sh->prod_wake, 0);
    store(&sh->prod_wake_at, 0);
    store(&sh->tail, 0);
    store(&sh->cons_wake, 0);
    store(&sh->cons_wake_at, 0);
    FENCE_RELEASE();
    store(&sh->magic, RING_MAGIC);

    r->sh = sh;
    r->slots = (uint8_t *)window + RING_SLOTS_OFFSET;
    r->count = count;
    r->mask = count - 1;
    r->size = slot_size;
    r->max_msg = max;
    r->role = RING_PRODUCER;
    return RING_OK;
}

int ring_attach(struct ring *r, void *window, size_t window_bytes)
{
    clear_private(r);
    if (window_bytes > 0x80000000u)
        window_bytes = 0x80000000u;
    if (!window || ((uintptr_t)window & (RING_LINE - 1)) || window_bytes < RING_SLOTS_OFFSET)
        return RING_INVAL;
    volatile struct ring_shared *sh = window;
    if (load(&sh->magic) != RING_MAGIC)
        return RING_NOHDR;
    FENCE_ACQUIRE();
    uint32_t version = load(&sh->version), count = load(&sh->slot_count), size = load(&sh->slot_size);
    uint32_t offset = load(&sh->slots_offset), max = load(&sh->max_msg), check = load(&sh->check);
    if (version != RING_VERSION || offset != RING_SLOTS_OFFSET || count < 2 || count > MAX_COUNT ||
        (count & (count - 1)) || size < RING_LINE || size > RING_SLOT_MAX || size % RING_LINE ||
        (uint64_t)count * size > (uint64_t)(window_bytes - RING_SLOTS_OFFSET) || max != count * size - RING_SLOT_HDR ||
        check != header_check(RING_MAGIC, version, count, size, offset, max))
        return RING_BADHDR;

    r->sh = sh;
    r->slots = (uint8_t *)window + RING_SLOTS_OFFSET;
    r->count = count;
    r->mask = count - 1;
    r->size = size;
    r->max_msg = max;
    r->role = RING_CONSUMER;
    /* Resume where the shared tail says (0 on a fresh ring); ring_read checks head against it. */
    r->mine = r->published = r->peer = load(&sh->tail);
    return RING_OK;
}

void ring_set_kick(struct ring *r, void (*kick)(struct ring *r), void *ctx)
{
    r->kick = kick;
    r->kick_ctx = ctx;
}

/* ---- producer ---- */

/* The consumer's tail may only move forward, and never past what we published. */
static int refresh_tail(struct ring *r)
{
    uint32_t t = load(&r->sh->tail);
    FENCE_ACQUIRE();                    /* read tail before reusing the slots it frees */
    if ((uint32_t)(t - r->peer) > (uint32_t)(r->published - r->peer))
        return corrupt(r, RING_WHY_INDEX);
    r->peer = t;
    return RING_OK;
}

int ring_stage(struct ring *r, const void *msg, uint32_t len)
{
    if (r->role != RING_PRODUCER)
        return RING_INVAL;
    if (r->why)
        return RING_CORRUPT;
    if (len > r->max_msg)
        return RING_TOO_BIG;
    uint32_t n = ring_slots_for(r, len);
    if (r->count - (r->mine - r->peer) < n) {
        int rc = refresh_tail(r);
        if (rc)
            return rc;
        if (r->count - (r->mine - r->peer) < n) {
            r->need = n;
            return RING_FULL;
        }
    }
    if (r->armed) {                     /* we were woken (or gave up waiting): no more kicks wanted */
        store(&r->sh->prod_wake, 0);
        r->armed = 0;
    }
    uint32_t x = r->mine, pos = x & r->mask;
    uint8_t *payload = r->slots + pos * r->size + RING_SLOT_HDR;
    uint32_t room = (r->count - pos) * r->size - RING_SLOT_HDR;    /* to the end of the slot array */
    uint32_t first = len < room ? len : room;
    copy(payload, msg, first);
    copy(r->slots, (const uint8_t *)msg + first, len - first);
    store(slot_word(r, x, 0), len);
    store(slot_word(r, x, 4), ring_slot_tag(x, len));
    r->mine = x + n;
    r->need = 0;
    r->stats.messages++;
    r->stats.bytes += len;
    return RING_OK;
}

int ring_publish(struct ring *r)
{
    if (r->role != RING_PRODUCER)
        return RING_INVAL;
    if (r->why)
        return RING_CORRUPT;
    uint32_t old = r->published, now = r->mine;
    if (now == old)
        return 0;
    FENCE_RELEASE();                    /* slots before head (amoswap.rl orders them too) */
    store_full(&r->sh->head, now);      /* aq: head visible before we read the wake words */
    r->published = now;
    int kicked = notify(r, &r->sh->cons_wake, &r->sh->cons_wake_at, old, now);
    publish_telemetry(r, &r->sh->prod_telemetry);
    return kicked;
}

int ring_send(struct ring *r, const void *msg, uint32_t len)
{
    int rc = ring_stage(r, msg, len);
    if (rc)
        return rc;
    rc = ring_publish(r);
    return rc < 0 ? rc : RING_OK;
}

int ring_send_batch(struct ring *r, const struct ring_msg *msgs, uint32_t n, uint32_t *sent)
{
    uint32_t i = 0;
    int rc = RING_OK;
    for (; i < n; i++) {
        rc = ring_stage(r, msgs[i].data, msgs[i].len);
        if (rc)
            break;
    }
    if (sent)
        *sent = i;
    if (i > 0) {
        int p = ring_publish(r);
        if (p < 0)
            return p;
    }
    return rc;
}

/* ---- consumer ---- */

/* The producer's head may only move forward, and never more than N slots past what we freed. */
static int refresh_head(struct ring *r)
{
    uint32_t h = load(&r->sh->head);
    FENCE_ACQUIRE();                    /* read head before the slots it publishes */
    if ((uint32_t)(h - r->peer) > (uint32_t)(r->published + r->count - r->peer))
        return corrupt(r, RING_WHY_INDEX);
    r->peer = h;
    return RING_OK;
}

int ring_read(struct ring *r, void *buf, uint32_t cap, uint32_t *len)
{
    if (r->role != RING_CONSUMER)
        return RING_INVAL;
    if (r->why)
        return RING_CORRUPT;
    uint32_t x = r->mine;
    if (x == r->peer) {
        int rc = refresh_head(r);
        if (rc)
            return rc;
        if (x == r->peer)
            return RING_EMPTY;
    }
    uint32_t l = load(slot_word(r, x, 0)), tag = load(slot_word(r, x, 4));
    if (l > r->max_msg)
        return corrupt(r, RING_WHY_LENGTH);
    if (tag != ring_slot_tag(x, l))
        return corrupt(r, RING_WHY_TAG);
    uint32_t n = ring_slots_for(r, l);
    if (n > r->peer - x)
        return corrupt(r, RING_WHY_SPAN);
    if (len)
        *len = l;
    if (l > cap)
        return RING_TOO_BIG;
    if (r->armed) {                     /* woken with work: no more kicks wanted */
        store(&r->sh->cons_wake, 0);
        r->armed = 0;
    }
    uint32_t pos = x & r->mask;
    const uint8_t *payload = r->slots + pos * r->size + RING_SLOT_HDR;
    uint32_t room = (r->count - pos) * r->size - RING_SLOT_HDR;
    uint32_t first = l < room ? l : room;
    copy(buf, payload, first);
    copy((uint8_t *)buf + first, r->slots, l - first);
    r->mine = x + n;
    r->stats.messages++;
    r->stats.bytes += l;
    return RING_OK;
}

int ring_release(struct ring *r)
{
    if (r->role != RING_CONSUMER)
        return RING_INVAL;
    if (r->why)
        return RING_CORRUPT;
    uint32_t old = r->published, now = r->mine;
    if (now == old)
        return 0;
    FENCE_RELEASE();                    /* finish reading the slots before freeing them */
    store_full(&r->sh->tail, now);      /* aq: tail visible before we read the wake words */
    r->published = now;
    int kicked = notify(r, &r->sh->prod_wake, &r->sh->prod_wake_at, old, now);
    publish_telemetry(r, &r->sh->cons_telemetry);
    return kicked;
}

int ring_recv(struct ring *r, void *buf, uint32_t cap, uint32_t *len)
{
    int rc = ring_read(r, buf, cap, len);
    if (rc)
        return rc;
    rc = ring_release(r);
    return rc < 0 ? rc : RING_OK;
}

int ring_recv_batch(struct ring *r, struct ring_buf *bufs, uint32_t n, uint32_t *got)
{
    uint32_t i = 0;
    int rc = RING_OK;
    for (; i < n; i++) {
        rc = ring_read(r, bufs[i].data, bufs[i].cap, &bufs[i].len);
        if (rc)
            break;
    }
    if (got)
        *got = i;
    if (i > 0) {
        int p = ring_release(r);
        return p < 0 ? p : RING_OK;
    }
    return n == 0 ? RING_OK : rc;
}

/* ---- waiting ---- */

int ring_prepare_wait(struct ring *r)
{
    if (r->why)
        return RING_CORRUPT;
    volatile struct ring_shared *sh = r->sh;
    if (r->role == RING_PRODUCER) {
        int rc = ring_publish(r);       /* the consumer must see everything before we sleep */
        if (rc < 0)
            return rc;
        if (r->need == 0 || r->count - (r->mine - r->peer) >= r->need)
            return 0;
        /* Kick me when the tail reaches mine + need - count, i.e. moves past that minus one. */
        store(&sh->prod_wake_at, r->mine + r->need - r->count - 1);
        store_full(&sh->prod_wake, 1);  /* rl: wake_at first; aq: before re-reading tail */
        r->armed = 1;
        rc = refresh_tail(r);
        if (rc)
            return rc;
        if (r->count - (r->mine - r->peer) >= r->need) {
            store(&sh->prod_wake, 0);
            r->armed = 0;
            return 0;
        }
    } else if (r->role == RING_CONSUMER) {
        int rc = ring_release(r);       /* the producer must get its space back before we sleep */
        if (rc < 0)
            return rc;
        if (r->mine != r->peer)
            return 0;
        /* Kick me when head moves past my tail. */
        store(&sh->cons_wake_at, r->mine);
        store_full(&sh->cons_wake, 1);
        r->armed = 1;
        rc = refresh_head(r);
        if (rc)
            return rc;
        if (r->mine != r->peer) {
            store(&sh->cons_wake, 0);
            r->armed = 0;
            return 0;
        }
    } else {
        return RING_INVAL;
    }
    r->stats.waits++;
    return 1;
}

int ring_avail(struct ring *r)
{
    if (r->why)
        return RING_CORRUPT;
    if (r->role == RING_PRODUCER) {
        int rc = refresh_tail(r);
        return rc ? rc : (int)(r->count - (r->mine - r->peer));
    }
    if (r->role == RING_CONSUMER) {
        int rc = refresh_head(r);
        return rc ? rc : (int)(r->peer - r->mine);
    }
    return RING_INVAL;
}

const char *ring_strerror(int code)
{
    switch (code) {
    case RING_OK: return "ok";
    case RING_EMPTY: return "empty";
    case RING_FULL: return "full";
    case RING_TOO_BIG: return "too big";
    case RING_CORRUPT: return "corrupt";
    case RING_NOHDR: return "no header";
    case RING_BADHDR: return "bad header";
    case RING_INVAL: return "invalid argument";
    default: return "?";
    }
}

const char *ring_why_name(uint32_t why)
{
    switch (why) {
    case 0: return "none";
    case RING_WHY_INDEX: return "index out of range";
    case RING_WHY_LENGTH: return "length too big";
    case RING_WHY_TAG: return "slot tag mismatch";
    case RING_WHY_SPAN: return "message past head";
    default: return "?";
    }
}
