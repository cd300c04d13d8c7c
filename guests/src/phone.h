/* phone.h: what the phone guests (rich, rich-hostile, pin, baseband) agree on: channel indices, the PIN protocol, modem messages. */
#ifndef PHONE_H
#define PHONE_H

#include <stdint.h>

/*
 * Channel indices. A VM's channels are numbered in scenario order among the channels that name it
 * (the doorbell device lists them in that order). scenarios/phone.json declares `pin` first, then
 * `modem`, so:
 *   rich, rich-hostile: 0 = the PIN service (synchronous IPC), 1 = the modem ring (it produces)
 *   pin:                0 = its clients (synchronous IPC only; it never reads the window)
 *   baseband:           0 = the modem ring (it consumes); no channel: a plain periodic task
 */
#define RICH_CH_PIN       0u
#define RICH_CH_MODEM     1u
#define PIN_CH            0u
#define BASEBAND_CH_MODEM 0u

/*
 * The PIN service, over synchronous IPC (CALL, then the server's REPLY), three message registers:
 *   request: mr[0] = op, mr[1] = the PIN guess (a number, 0..999999), mr[2] = the client's sequence number
 *   reply:   mr[0] = result, mr[1] = tries left, mr[2] = the request's sequence number, echoed
 * Three consecutive wrong guesses lock the service for good (until the VM restarts): the third
 * is answered PIN_NO with 0 tries left, everything after it PIN_LOCKED. A right guess restores
 * the tries. Requests with fewer than three registers or an unknown op get PIN_BAD_REQUEST and
 * cost no try. The PIN itself never leaves the service.
 */
#define PIN_OP_VERIFY     1u
#define PIN_OP_STATUS     2u    /* result PIN_YES while unlocked, PIN_LOCKED once locked */

#define PIN_NO            0u
#define PIN_YES           1u
#define PIN_LOCKED        2u
#define PIN_BAD_REQUEST   3u

#define PIN_TRIES         3u
#define PIN_MAX           999999u

/* The PIN service's firmware image is public, its PIN is not: the vault (six ASCII digits, a NUL,
   padding) is followed by this salt word, which is what an attacker would scan memory for. */
#define PIN_VAULT_SALT    0x7e55e7a1u

/*
 * Modem messages (rich -> baseband, through a tessera-ring in 64-byte slots), whole 32-bit words:
 *   w[0] seq     0, 1, 2, ... (the baseband expects each one once, in order)
 *   w[1] len     the message's bytes, MODEM_MIN..MODEM_MAX, a multiple of 4
 *   w[2] check   FNV-1a over every other word of the message (w[2] itself skipped)
 *   w[3] cmd     a command code, 1..MODEM_CMDS
 *   w[4] sent    the sender's mcycle (low word) when it built the message: the baseband hands it to
 *                the doorbell device's SENT_AT, so the hypervisor measures end-to-end latency
 *   w[5..]       arguments derived from seq (len / 4 - 5 words)
 */
#define MODEM_SLOT        64u
#define MODEM_MIN         20u
#define MODEM_MAX         48u
#define MODEM_CMDS        4u

static inline uint32_t modem_check(const uint32_t *w, uint32_t words)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < words; i++)
        if (i != 2)
            h = (h ^ w[i]) * 16777619u;
    return h;
}

#endif
