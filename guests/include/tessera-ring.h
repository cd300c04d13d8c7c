/* tessera-ring.h: a single-producer single-consumer message ring over a shared-memory window (virtio/ivshmem style). */
#ifndef TESSERA_RING_H
#define TESSERA_RING_H

#include <stddef.h>
#include <stdint.h>

/*
 * Layout of a ring in its window (offsets from the window base, every word a little-endian uint32).
 * The producer's ring_init writes it; the consumer's ring_attach checks it; nothing else is agreed.
 *
 *   0x000  line 0: configuration, written once by ring_init (magic last), read-only afterwards
 *          0x00 magic         RING_MAGIC ("TRNG")
 *          0x04 version       RING_VERSION (1)
 *          0x08 slot_count    N, a power of two >= 2 (indices wrap at 2^32, so N must divide 2^32)
 *          0x0c slot_size     S bytes, a multiple of 64 in 64..RING_SLOT_MAX
 *          0x10 slots_offset  RING_SLOTS_OFFSET (0xc0)
 *          0x14 max_msg       N * S - RING_SLOT_HDR: the longest message
 *          0x18 check         32-bit FNV-1a over the six words above, each as 4 little-endian bytes
 *   0x040  line 1: written by the producer only
 *          0x40 head          free-running producer index: slots [tail, head) hold published messages
 *          0x44 prod_wake     1: the producer sleeps on a full ring and wants a kick; 0: it does not
 *          0x48 prod_wake_at  the kick is wanted when the consumer's tail moves past this index
 *          0x4c telemetry     messages, bytes (lo, hi), kicks, suppressed kicks: counters for the
 *                             hypervisor's metrics, never read by the peer (struct ring_telemetry)
 *   0x080  line 2: written by the consumer only
 *          0x80 tail          free-running consumer index: slots before it are free again
 *          0x84 cons_wake     1: the consumer sleeps on an empty ring and wants a kick; 0: it does not
 *          0x88 cons_wake_at  the kick is wanted when the producer's head moves past this index
 *          0x8c telemetry     as at 0x4c, for the consumer's releases
 *   0x0c0  slot i (0 <= i < N) at 0xc0 + i * S; slot of index x is x & (N - 1)
 *
 * A message of L bytes (0 <= L <= max_msg) written at index x occupies n = (8 + L + S - 1) / S
 * consecutive indices x .. x+n-1. Its first slot starts with an 8-byte slot header:
 *          +0 len         L
 *          +4 tag         ring_slot_tag(x, L): binds the header to its index and length
 * and the payload follows at +8, running on through the next slots' whole bytes (continuation slots
 * have no header), wrapping from the last slot to slot 0. So with 64-byte slots a slot carries 56
 * payload bytes alone, a 4 KiB message takes 65 slots; a "large slot" ring (slot_size 4160) carries
 * a 4 KiB message in one slot. Every slot is 64-byte aligned when the window is.
 *
 * Indices are free-running 32-bit counters: head - tail = slots in use, 0..N. The producer only ever
 * stores head and its wake words, the consumer only tail and its wake words, each on its own 64-byte
 * line, so no line has two writers. Memory ordering (RVWMO):
 *   producer: write slots; fence rw,w; amoswap.w.aqrl head   -> then read cons_wake/cons_wake_at
 *   consumer: lw head; fence r,rw; read slots; fence rw,w; amoswap.w.aqrl tail -> then read prod_wake*
 * The index stores that are followed by a read of the peer's wake words, and the stores that set a
 * wake flag, are AMOs with aq+rl: that is the store->load (Dekker) ordering that prevents a lost
 * wakeup, and it also holds on an emulator that implements AMOs with host atomics but `fence` as a
 * no-op. The window must therefore be ordinary RAM where A-extension AMOs work (Tessera windows are).
 *
 * Notification (virtio flags + event index): before sleeping, a side stores its *_wake_at, then sets
 * *_wake = 1 (AMO), then re-reads the peer's index; if there is work after all, it clears the flag and
 * does not sleep (ring_prepare_wait). A publish (head or tail store) kicks the peer only when the
 * peer's flag is 1 and the publish moved the index from before *_wake_at + 1 to after it, i.e.
 * wake_at in [old, new): at most one kick per sleep, none while the peer is busy. The consumer asks
 * to be woken by the first new message (cons_wake_at = its tail); the producer by enough free space
 * for the message that did not fit (prod_wake_at = head + need - N - 1).
 *
 * Nothing in the window is trusted. Each side keeps the geometry it checked at init/attach in its
 * private struct ring and its own index privately (it never reads its own shared index back), reads
 * every shared word once, and validates before use:
 *   - the peer's index must move forward and stay within N of ours (else RING_WHY_INDEX);
 *   - a slot's len must be <= max_msg (RING_WHY_LENGTH), its tag must match (RING_WHY_TAG), and the
 *     message must not span more slots than were published (RING_WHY_SPAN).
 * A violation returns RING_CORRUPT and is sticky: every later call on that struct ring returns
 * RING_CORRUPT until ring_init/ring_attach again. Every operation is bounded (one message, at most
 * max_msg bytes copied), so corrupt data can neither make it access memory outside the window and
 * the caller's buffer nor loop. The payload itself is not checked: use an end-to-end checksum.
 * The wake words only decide whether to kick; a scribbled value costs a spurious or a missing kick.
 */

#define RING_MAGIC          0x474e5254u   /* "TRNG" in little-endian byte order */
#define RING_VERSION        1u
#define RING_LINE           64u           /* cache line; slot sizes are multiples of it */
#define RING_SLOTS_OFFSET   0xc0u         /* three header lines */
#define RING_SLOT_HDR       8u            /* len + tag at the start of a message's first slot */
#define RING_SLOT_MAX       65536u        /* largest slot_size ring_init/ring_attach accept */
#define RING_TAG_SALT       0x5a17c0deu

/* Window bytes for n slots of size s (ring_init takes the largest power of two that fits). */
#define RING_WINDOW_BYTES(n, s) (RING_SLOTS_OFFSET + (uint32_t)(n) * (uint32_t)(s))

/* Results: 0 or a negative RING_* code. */
#define RING_OK        0
#define RING_EMPTY    -1   /* recv: nothing published */
#define RING_FULL     -2   /* send: not enough free slots now (r->need tells how many are needed) */
#define RING_TOO_BIG  -3   /* send: len > max_msg; recv: the message is longer than cap (*len tells) */
#define RING_CORRUPT  -4   /* the shared state is impossible; r->why tells which check (sticky) */
#define RING_NOHDR    -5   /* attach: no magic yet (the producer has not initialised the window) */
#define RING_BADHDR   -6   /* attach: magic present but the header is inconsistent or too big */
#define RING_INVAL    -7   /* bad argument: window misaligned or too small, bad slot size, wrong role */

/* Why a ring was declared corrupt (r->why); 0 while it is not. */
#define RING_WHY_INDEX   1  /* the peer's index moved backwards or more than N slots away */
#define RING_WHY_LENGTH  2  /* a slot header's len exceeds max_msg */
#define RING_WHY_TAG     3  /* a slot header's tag does not match its index and length */
#define RING_WHY_SPAN    4  /* the message runs past the published head */

#define RING_PRODUCER 1
#define RING_CONSUMER 2

/*
 * Telemetry: each side copies its counters into its own line after every publish (head or tail
 * store), for the hypervisor's channel metrics. The peer never reads them; they decide nothing.
 */
struct ring_telemetry {
    uint32_t messages;     /* messages published (producer) or released (consumer), mod 2^32 */
    uint32_t bytes_lo, bytes_hi;
    uint32_t kicks;        /* publishes that rang the peer's doorbell */
    uint32_t suppressed;   /* publishes that did not (the peer was not waiting) */
};

/* The shared header (the first RING_SLOTS_OFFSET bytes of the window). */
struct ring_shared {
    uint32_t magic, version, slot_count, slot_size, slots_offset, max_msg, check;
    uint32_t reserved0[9];
    uint32_t head, prod_wake, prod_wake_at;       /* producer's line, 0x40 */
    struct ring_telemetry prod_telemetry;         /* 0x4c */
    uint32_t reserved1[8];
    uint32_t tail, cons_wake, cons_wake_at;       /* consumer's line, 0x80 */
    struct ring_telemetry cons_telemetry;         /* 0x8c */
    uint32_t reserved2[8];
};

struct ring_stats {
    uint32_t kicks;        /* publishes (ring_publish / ring_release) that kicked the peer */
    uint32_t suppressed;   /* publishes that made something visible without a kick (peer not waiting) */
    uint32_t waits;        /* ring_prepare_wait calls that told the caller to sleep */
    uint32_t messages;     /* messages staged (producer) or read (consumer) */
    uint64_t bytes;        /* their payload bytes */
};

/* One side's private view of a ring. Keep it in private memory, never in the window. */
struct ring {
    volatile struct ring_shared *sh;
    uint8_t *slots;
    uint32_t count, mask, size, max_msg;   /* checked copies of the geometry */
    uint32_t role;                         /* RING_PRODUCER or RING_CONSUMER */
    uint32_t mine;        /* producer: next index to write; consumer: next index to read */
    uint32_t published;   /* our index as last stored in the window */
    uint32_t peer;        /* the peer's index as last read (producer: tail; consumer: head) */
    uint32_t need;        /* producer: slots the message that got RING_FULL needs (0 once one is staged) */
    uint32_t armed;       /* our wake flag is set in the window */
    uint32_t why;         /* RING_WHY_* once corrupt, else 0 */
    void (*kick)(struct ring *r);   /* rings the peer's doorbell; NULL: no doorbell (peer polls) */
    void *kick_ctx;                 /* for the kick callback */
    struct ring_stats stats;
};

struct ring_msg {
    const void *data;
    uint32_t len;
};

struct ring_buf {
    void *data;
    uint32_t cap;
    uint32_t len;          /* set by ring_recv_batch */
};

/*
 * Producer: lays the ring out over window (64-byte aligned, window_bytes >= RING_WINDOW_BYTES(2,
 * slot_size)) with the largest power-of-two slot count that fits, indices 0 and flags clear, magic
 * written last. slot_size: a multiple of 64, 64..RING_SLOT_MAX. Returns 0 or RING_INVAL.
 */
int ring_init(struct ring *r, void *window, size_t window_bytes, uint32_t slot_size);

/*
 * Consumer: checks the header a producer wrote (magic, version, geometry, check word, and that the
 * slots fit in window_bytes) and starts reading at the shared tail (so a restarted consumer resumes).
 * Returns 0, RING_NOHDR (retry later), RING_BADHDR or RING_INVAL.
 */
int ring_attach(struct ring *r, void *window, size_t window_bytes);

/* The doorbell towards the peer; called by ring_publish / ring_release when the peer waits. */
void ring_set_kick(struct ring *r, void (*kick)(struct ring *r), void *ctx);

/* Producer. ring_send = ring_stage + ring_publish: 0, RING_FULL, RING_TOO_BIG, RING_CORRUPT, RING_INVAL. */
int ring_send(struct ring *r, const void *msg, uint32_t len);
/* Copies a message into the slots without making it visible; ring_publish shows every staged one. */
int ring_stage(struct ring *r, const void *msg, uint32_t len);
/* One head store for everything staged, then at most one kick. Returns 1 if it kicked, 0, or RING_CORRUPT. */
int ring_publish(struct ring *r);
/* Stages msgs[0..n) in order until one does not fit, publishes once; *sent = how many went. Returns
   0 when all did, else the first failing message's result (RING_FULL, RING_TOO_BIG, ...). */
int ring_send_batch(struct ring *r, const struct ring_msg *msgs, uint32_t n, uint32_t *sent);

/* Consumer. ring_recv = ring_read + ring_release: 0, RING_EMPTY, RING_TOO_BIG (message left in place,
   *len = its length), RING_CORRUPT, RING_INVAL. */
int ring_recv(struct ring *r, void *buf, uint32_t cap, uint32_t *len);
/* Copies the next message out without freeing its slots; ring_release frees all read ones. */
int ring_read(struct ring *r, void *buf, uint32_t cap, uint32_t *len);
/* One tail store for everything read, then at most one kick. Returns 1 if it kicked, 0, or RING_CORRUPT. */
int ring_release(struct ring *r);
/* Reads into bufs[0..n) (each len set) until the ring is empty, releases once; *got = how many.
   Returns 0 if it got at least one (or n is 0), else ring_read's result. */
int ring_recv_batch(struct ring *r, struct ring_buf *bufs, uint32_t n, uint32_t *got);

/*
 * Before sleeping (WFI): publishes/releases what is pending, asks the peer for a kick, and checks
 * again. Returns 1: still nothing to do, sleep now (the kick will come); 0: work appeared (or the
 * producer has no RING_FULL message pending), do not sleep; RING_CORRUPT. A wake-up with nothing
 * to do is harmless: just call recv/send and ring_prepare_wait again.
 */
int ring_prepare_wait(struct ring *r);

/* Re-reads the peer's index: free slots (producer) or published unread slots (consumer), or RING_CORRUPT. */
int ring_avail(struct ring *r);

/* Slots a message of len bytes takes. */
static inline uint32_t ring_slots_for(const struct ring *r, uint32_t len)
{
    return (RING_SLOT_HDR + len + r->size - 1) / r->size;
}

/* The tag of the slot header at index x with length len. */
static inline uint32_t ring_slot_tag(uint32_t x, uint32_t len)
{
    return (x ^ RING_TAG_SALT) + len * 0x9e3779b1u;
}

/* Short names for the result codes and RING_WHY_* reasons, for messages. */
const char *ring_strerror(int code);
const char *ring_why_name(uint32_t why);

#endif
