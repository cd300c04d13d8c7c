/* ipc-stream.c: a VM named "producer..." streams numbered, checksummed messages over channel 0 to its peer, which checks each one. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "hash.h"
#include "ring-wait.h"
#include "tessera-doorbell.h"
#include "tessera-hv.h"
#include "vm-channel.h"
#include "tessera-ring.h"

/*
 * One ELF for both ends; the VM's name picks the role. Messages: seq, len, FNV-1a of the payload,
 * the producer's cycle counter when it built the message, then a payload derived from seq (16..64
 * bytes, one or two 64-byte slots; or exactly IPC_MSG_FIXED bytes, with IPC_FIXED_PAYLOAD the same
 * payload in every message). The producer publishes in
 * batches of 1..4; each side sleeps in WFI (MIE off, MEIE on) until the channel's doorbell. The
 * consumer hands each message's send time to the doorbell device's SENT_AT register, so the
 * hypervisor measures end-to-end latency per channel.
 */

#ifndef IPC_MESSAGES
#define IPC_MESSAGES 100000u
#endif
#ifndef IPC_SLOT
#define IPC_SLOT 64u
#endif
#define MSG_HDR 16u
#ifdef IPC_MSG_FIXED
#define MSG_MAX IPC_MSG_FIXED
#else
#define MSG_MAX 64u
#endif
#define END_SEQ 0xffffffffu
#define U(x) ((unsigned)(x))

static uint32_t length_of(uint32_t seq)
{
#ifdef IPC_MSG_FIXED
    (void)seq;
    return IPC_MSG_FIXED;
#else
    return MSG_HDR + mix32(seq) % (MSG_MAX - MSG_HDR + 1);
#endif
}

static uint32_t buf[MSG_MAX / 4];

/* Lengths are whole words, so the checksum covers the payload exactly. */
static uint32_t build(uint32_t seq)
{
#ifdef IPC_FIXED_PAYLOAD
    /* Throughput runs: one payload (derived from the word index) built once; seq and the send time
       change per message, so a stale slot still fails the sequence check. */
    static uint32_t built_len;
    if (seq != END_SEQ && built_len == IPC_MSG_FIXED) {
        buf[0] = seq;
        buf[3] = (uint32_t)rdcycle();
        return built_len;
    }
    built_len = seq == END_SEQ ? 0 : IPC_MSG_FIXED;
    uint32_t len = seq == END_SEQ ? MSG_HDR : IPC_MSG_FIXED;
    for (uint32_t i = MSG_HDR / 4; i < len / 4; i++)
        buf[i] = mix32(i * 0x27d4eb2du);
#else
    uint32_t len = seq == END_SEQ ? MSG_HDR : length_of(seq) & ~3u;
    for (uint32_t i = MSG_HDR / 4; i < len / 4; i++)
        buf[i] = mix32(seq ^ (i * 0x27d4eb2du));
#endif
    buf[0] = seq;
    buf[1] = len;
    buf[2] = fnv1a_words(FNV1A_START, buf + MSG_HDR / 4, (len - MSG_HDR) / 4);
    buf[3] = (uint32_t)rdcycle();
    return len;
}

static void kick(struct ring *r)
{
    (void)r;
    doorbell_ring(0);
}

static int produce(struct ring *r)
{
    for (uint32_t i = 0; i <= IPC_MESSAGES; i++) {
        uint32_t seq = i == IPC_MESSAGES ? END_SEQ : i;
        uint32_t len = build(seq);
        int rc = ring_send_wait(r, buf, len, (mix32(i) & 3) == 0 || seq == END_SEQ, doorbell_sleep, 0);
        if (rc)
            return rc;
    }
    return 0;
}

static uint32_t seen[(IPC_MESSAGES + 31) / 32];

/* Up to this many messages per ring_recv_batch: one tail store (and at most one kick) per batch. */
#define BATCH 8u
static uint32_t batch[BATCH][MSG_MAX / 4];

struct tally {
    uint32_t received, distinct, duplicated, reordered, corrupted, high, have_high;
};

/* Checks one message; returns 1 for the end marker. */
static int check(struct tally *t, const uint32_t *m, uint32_t len)
{
    uint32_t seq = m[0];
    if (len < MSG_HDR || m[1] != len || fnv1a_words(FNV1A_START, m + MSG_HDR / 4, (len - MSG_HDR) / 4) != m[2] ||
        (seq != END_SEQ && (seq >= IPC_MESSAGES || (length_of(seq) & ~3u) != len))) {
        t->corrupted++;
        return 0;
    }
    if (seq == END_SEQ)
        return 1;
    doorbell_sent_at(0, m[3]);
    t->received++;
    if (seen[seq / 32] & (1u << (seq % 32))) { t->duplicated++; return 0; }
    seen[seq / 32] |= 1u << (seq % 32);
    t->distinct++;
    if (t->have_high && seq < t->high)
        t->reordered++;
    if (!t->have_high || seq > t->high)
        t->high = seq, t->have_high = 1;
    return 0;
}

static int consume(struct ring *r)
{
    static struct ring_buf bufs[BATCH];
    for (uint32_t i = 0; i < BATCH; i++)
        bufs[i] = (struct ring_buf){ .data = batch[i], .cap = MSG_MAX };
    struct tally t = { 0 };
    int error = 0, done = 0;
    while (!done) {
        uint32_t got = 0;
        int rc = ring_recv_batch(r, bufs, BATCH, &got);
        if (rc == RING_EMPTY) {
            rc = ring_wait(r, doorbell_sleep, 0);
            if (rc < 0) { error = rc; break; }
            continue;
        }
        if (rc != RING_OK) { error = rc; break; }
        for (uint32_t i = 0; i < got && !done; i++)
            done = check(&t, batch[i], bufs[i].len);
    }
    uint32_t received = t.received, distinct = t.distinct, duplicated = t.duplicated, reordered = t.reordered, corrupted = t.corrupted;
    uint32_t lost = IPC_MESSAGES - distinct;
    printf("ipc-stream: %u messages, %u lost, %u duplicated, %u reordered, %u corrupted%s%s\n", U(received), U(lost),
           U(duplicated), U(reordered), U(corrupted), error ? "; ring error: " : "", error ? ring_strerror(error) : "");
    printf("ipc-stream: timing: %u kicks, %u suppressed, %u waits\n", U(r->stats.kicks), U(r->stats.suppressed), U(r->stats.waits));
    return error || lost || duplicated || reordered || corrupted;
}

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    if (!vm_has_channel("ipc-stream"))
        return 2;
    int producer = hv_name_starts("pro");
    void *window = (void *)doorbell_read(0, DOORBELL_CH_BASE);
    uint32_t size = doorbell_read(0, DOORBELL_CH_SIZE);
    plic_enable(0, doorbell_read(0, DOORBELL_CH_IRQ));
    clear_csr(mstatus, MSTATUS_MIE);
    write_csr(mie, 1u << IRQ_M_EXT);

    static struct ring r;
    if (producer) {
        int rc = ring_init(&r, window, size, IPC_SLOT);
        if (rc) { printf("ipc-stream: ring_init: %s\n", ring_strerror(rc)); return 3; }
        ring_set_kick(&r, kick, 0);
        doorbell_ring(0); /* the ring exists: the consumer may attach */
        rc = produce(&r);
        printf("ipc-stream: sent %u messages%s%s\n", U(IPC_MESSAGES), rc ? "; ring error: " : "", rc ? ring_strerror(rc) : "");
        return rc != 0;
    }
    int rc;
    while ((rc = ring_attach(&r, window, size)) == RING_NOHDR)
        doorbell_sleep(0);
    if (rc) { printf("ipc-stream: ring_attach: %s\n", ring_strerror(rc)); return 3; }
    ring_set_kick(&r, kick, 0);
    return consume(&r);
}
