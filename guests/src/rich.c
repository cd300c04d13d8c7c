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

/* A modem command carries its send time: this hart's cycle count. */
#define PHONE_STAMP() ((uint32_t)rdcycle())
#include "phone-client.h"

/*
 * Hart 0 runs the control loop: CRC32 over CHUNK bytes, then whatever is due by mtime: a burst of
 * modem commands (channel RICH_CH_MODEM, a tessera-ring this VM produces; the ring kicks the
 * baseband's doorbell only when it sleeps), a PIN check (CALL on channel RICH_CH_PIN), a status
 * line; the PIN checks and the modem stream are phone-client.h, shared with the Linux version
 * (guests/linux/phone). Other harts only compute CRCs.
 * Exit: 2 outside a Tessera VM with two channels, 3 if the modem ring cannot be laid out.
 */

#define CALL_EVERY   (10u * CLINT_TICKS_PER_MS)
#define SEND_EVERY   (1u * CLINT_TICKS_PER_MS)
#define STATUS_EVERY (100u * CLINT_TICKS_PER_MS)
#define BUF_BYTES    (64u * 1024u)
#define CHUNK        4096u      /* CRC bytes between two looks at the clock: about 40,000 instructions */

static uint8_t buf[BUF_BYTES];
static uint32_t table[256];
static volatile int ready;
static volatile uint32_t sink[8];               /* the other harts' CRCs, so the work is not optimised away */

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
