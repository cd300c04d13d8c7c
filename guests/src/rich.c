/* rich.c: the phone's rich OS: CRC load on every hart, a status line every 100 ms, PIN checks over synchronous IPC and a modem command stream. */
#include <stdint.h>
#include "clint.h"
#include "console.h"
#include "crc-load.h"
#include "csr.h"
#include "hash.h"
#include "phone.h"
#include "tessera-doorbell.h"
#include "tessera-hv.h"
#include "tessera-ipc.h"
#include "tessera-ring.h"

/*
 * Hart 0 runs the control loop: CRC32 over CHUNK bytes, then whatever is due by mtime: a burst of
 * modem commands (channel RICH_CH_MODEM, a tessera-ring this VM produces; the ring kicks the
 * baseband's doorbell only when it sleeps), a PIN check (CALL on channel RICH_CH_PIN), a status
 * line. It plays the user at the PIN pad: mostly the right PIN, one in eight a wrong one, never
 * three wrong in a row, so the service must never lock. Each reply must carry its request's seq
 * (answered once, in order), the expected yes/no and a plausible tries-left count; anything else
 * counts as wrong (an older seq: dup), a failed CALL as lost. A full ring keeps the message for
 * the next burst: none is dropped. Other harts only compute CRCs.
 * Exit: 2 outside a Tessera VM with two channels, 3 if the modem ring cannot be laid out.
 */

#define CALL_EVERY   (10u * CLINT_TICKS_PER_MS)
#define SEND_EVERY   (1u * CLINT_TICKS_PER_MS)
#define STATUS_EVERY (100u * CLINT_TICKS_PER_MS)
#define SEND_BURST   8u
#define BUF_BYTES    (64u * 1024u)
#define CHUNK        4096u      /* CRC bytes between two looks at the clock: about 40,000 instructions */
#define LOUD_ERRORS  5u         /* wrong or duplicated answers printed; later ones are only counted */

static const uint32_t user_pin = 582917u;     /* what the user types */

static uint8_t buf[BUF_BYTES];
static uint32_t table[256];
static volatile int ready;
static volatile uint32_t sink[8];               /* the other harts' CRCs, so the work is not optimised away */

static struct {
    uint32_t seq, answered, yes, no, wrong, lost, dup, wrong_in_row;
    int32_t last_error;
} pin;

static struct ring modem;
static int modem_up;
static uint32_t modem_seq, modem_full, pending_len;
static uint32_t msg[MODEM_MAX / 4];

static void crc_setup(void)
{
    crc_load_setup(table, buf, BUF_BYTES);
    __asm__ volatile("fence rw, rw" ::: "memory");
    ready = 1;
}

static uint32_t crc_block(uint32_t crc, const uint8_t *p, uint32_t n)
{
    return crc_load_block(table, crc, p, n);
}

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
    msg[4] = (uint32_t)rdcycle();
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

static uint64_t next_after(uint64_t due, uint32_t every, uint64_t now)
{
    due += every;
    return due > now ? due : now + every;   /* no catch-up bursts after a long preemption */
}

static int control_loop(void)
{
    if (!hv_present() || hv_read(HV_VERSION) < 2 || doorbell_channels() < 2) {
        puts("rich: needs a Tessera VM with services version 2 and two channels (0: PIN service, 1: modem ring)");
        return 2;
    }
    int rc = ring_init(&modem, (void *)doorbell_read(RICH_CH_MODEM, DOORBELL_CH_BASE),
                       doorbell_read(RICH_CH_MODEM, DOORBELL_CH_SIZE), MODEM_SLOT);
    if (rc != RING_OK) {
        printf("rich: cannot lay out the modem ring on channel 1: %s\n", ring_strerror(rc));
        return 3;
    }
    ring_set_kick(&modem, kick, 0);
    modem_up = 1;
    doorbell_ring(RICH_CH_MODEM);   /* the ring exists: the baseband may attach */
    printf("rich: %u harts of CRC32 load; a PIN check every 10 ms on channel 0; %u modem commands every 1 ms on channel 1\n",
           (unsigned)hv_vcpu_count(), (unsigned)SEND_BURST);
    hv_ready(0);

    /* The service may have counted wrong tries of this VM's previous boot: the first guess is right. */
    pin.wrong_in_row = PIN_TRIES - 1;
    uint64_t start = clint_mtime(), next_send = start + SEND_EVERY, next_call = start + CALL_EVERY;
    uint64_t next_status = start + STATUS_EVERY;
    uint32_t crc = 0xffffffffu, offset = 0, kib = 0;
    for (;;) {
        crc = crc_block(crc, buf + offset, CHUNK);
        offset = (offset + CHUNK) % BUF_BYTES;
        kib += CHUNK / 1024;
        uint64_t now = clint_mtime();
        if (now >= next_send) {
            send_burst();
            next_send = next_after(next_send, SEND_EVERY, now);
        }
        if (now >= next_call) {
            call_pin();
            next_call = next_after(next_call, CALL_EVERY, now);
        }
        if (now >= next_status) {
            printf("rich: t=%u ms crc 0x%08x over %u KiB | pin: %u calls, %u answered (%u yes, %u no), %u wrong, %u lost, "
                   "%u dup | modem: %u sent, %u ring full\n",
                   (unsigned)((now - start) / CLINT_TICKS_PER_MS), (unsigned)~crc, (unsigned)kib, (unsigned)pin.seq,
                   (unsigned)pin.answered, (unsigned)pin.yes, (unsigned)pin.no, (unsigned)pin.wrong, (unsigned)pin.lost,
                   (unsigned)pin.dup, (unsigned)modem_seq, (unsigned)modem_full);
            next_status = next_after(next_status, STATUS_EVERY, now);
        }
    }
}

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid == 0) {
        crc_setup();
        return control_loop();
    }
    while (!ready)
        __asm__ volatile("fence rw, rw");
    uint32_t crc = 0xffffffffu;
    for (;;) {
        crc = crc_block(crc, buf, BUF_BYTES);
        sink[hartid & 7] = crc;
    }
}
