/* ipc-stream.c: a VM named "producer..." streams numbered, checksummed messages over channel 0 to its peer, which checks each one. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "tessera-doorbell.h"
#include "tessera-hv.h"
#include "tessera-ring.h"

/*
 * One ELF for both ends; the VM's name picks the role. Messages: seq, len, FNV-1a of the payload,
 * then a payload derived from seq (12..64 bytes, one or two 64-byte slots). The producer publishes
 * in batches of 1..4; each side sleeps in WFI (MIE off, MEIE on) until the channel's doorbell.
 */

#ifndef IPC_MESSAGES
#define IPC_MESSAGES 100000u
#endif
#define MSG_HDR 12u
#define MSG_MAX 64u
#define END_SEQ 0xffffffffu
#define U(x) ((unsigned)(x))

static uint32_t mix(uint32_t x)
{
    x *= 0x9e3779b1u;
    x ^= x >> 15;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    return x;
}

static uint32_t length_of(uint32_t seq)
{
    return MSG_HDR + mix(seq) % (MSG_MAX - MSG_HDR + 1);
}

static uint32_t checksum(const uint32_t *w, uint32_t words)
{
    uint32_t h = 2166136261u;
    while (words--)
        h = (h ^ *w++) * 16777619u;
    return h;
}

static uint32_t buf[MSG_MAX / 4];

/* Lengths are whole words, so the checksum covers the payload exactly. */
static uint32_t build(uint32_t seq)
{
    uint32_t len = seq == END_SEQ ? MSG_HDR : length_of(seq) & ~3u;
    for (uint32_t i = MSG_HDR / 4; i < len / 4; i++)
        buf[i] = mix(seq ^ (i * 0x27d4eb2du));
    buf[0] = seq;
    buf[1] = len;
    buf[2] = checksum(buf + MSG_HDR / 4, (len - MSG_HDR) / 4);
    return len;
}

static void kick(struct ring *r)
{
    (void)r;
    doorbell_ring(0);
}

static void sleep_for_doorbell(void)
{
    __asm__ volatile("wfi");
    plic_drain(0);
}

static int produce(struct ring *r)
{
    for (uint32_t i = 0; i <= IPC_MESSAGES; i++) {
        uint32_t seq = i == IPC_MESSAGES ? END_SEQ : i;
        uint32_t len = build(seq);
        for (;;) {
            int rc = ring_stage(r, buf, len);
            if (rc == RING_OK)
                break;
            if (rc != RING_FULL)
                return rc;
            rc = ring_prepare_wait(r);
            if (rc < 0)
                return rc;
            if (rc == 1)
                sleep_for_doorbell();
        }
        if ((mix(i) & 3) == 0 || seq == END_SEQ) {
            int rc = ring_publish(r);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static uint32_t seen[(IPC_MESSAGES + 31) / 32];

static int consume(struct ring *r)
{
    uint32_t received = 0, distinct = 0, duplicated = 0, reordered = 0, corrupted = 0, high = 0, have_high = 0;
    int error = 0;
    for (;;) {
        uint32_t len;
        int rc = ring_recv(r, buf, MSG_MAX, &len);
        if (rc == RING_EMPTY) {
            rc = ring_prepare_wait(r);
            if (rc < 0) { error = rc; break; }
            if (rc == 1)
                sleep_for_doorbell();
            continue;
        }
        if (rc != RING_OK) { error = rc; break; }
        uint32_t seq = buf[0];
        if (len < MSG_HDR || buf[1] != len || checksum(buf + MSG_HDR / 4, (len - MSG_HDR) / 4) != buf[2] ||
            (seq != END_SEQ && (seq >= IPC_MESSAGES || (length_of(seq) & ~3u) != len))) {
            corrupted++;
            continue;
        }
        if (seq == END_SEQ)
            break;
        received++;
        if (seen[seq / 32] & (1u << (seq % 32))) { duplicated++; continue; }
        seen[seq / 32] |= 1u << (seq % 32);
        distinct++;
        if (have_high && seq < high)
            reordered++;
        if (!have_high || seq > high)
            high = seq, have_high = 1;
    }
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
    if (!hv_present() || *(volatile uint32_t *)(DOORBELL_BASE + DOORBELL_CHANNELS) == 0) {
        puts("ipc-stream: needs a Tessera VM with a channel");
        return 2;
    }
    char name[HV_NAME_BYTES + 1];
    hv_name(name);
    int producer = name[0] == 'p' && name[1] == 'r' && name[2] == 'o';
    void *window = (void *)doorbell_read(0, DOORBELL_CH_BASE);
    uint32_t size = doorbell_read(0, DOORBELL_CH_SIZE);
    plic_enable(0, doorbell_read(0, DOORBELL_CH_IRQ));
    clear_csr(mstatus, MSTATUS_MIE);
    write_csr(mie, 1u << IRQ_M_EXT);

    static struct ring r;
    if (producer) {
        int rc = ring_init(&r, window, size, 64);
        if (rc) { printf("ipc-stream: ring_init: %s\n", ring_strerror(rc)); return 3; }
        ring_set_kick(&r, kick, 0);
        doorbell_ring(0); /* the ring exists: the consumer may attach */
        rc = produce(&r);
        printf("ipc-stream: sent %u messages%s%s\n", U(IPC_MESSAGES), rc ? "; ring error: " : "", rc ? ring_strerror(rc) : "");
        return rc != 0;
    }
    int rc;
    while ((rc = ring_attach(&r, window, size)) == RING_NOHDR)
        sleep_for_doorbell();
    if (rc) { printf("ipc-stream: ring_attach: %s\n", ring_strerror(rc)); return 3; }
    ring_set_kick(&r, kick, 0);
    return consume(&r);
}
