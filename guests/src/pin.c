/* pin.c: the secure PIN service: keeps a PIN in its own partition and answers VERIFY calls over synchronous IPC with yes or no only. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "phone.h"
#include "tessera-doorbell.h"
#include "tessera-hv.h"
#include "tessera-ipc.h"

/*
 * Serves channel PIN_CH (protocol in phone.h): RECV, answer, REPLY, forever. Nothing the client
 * sends is trusted: short messages and unknown ops are answered PIN_BAD_REQUEST, and the reply
 * carries only the result, the tries left and the echoed sequence number. Interrupts stay masked
 * (mie = 0), so doorbells a client rings on the channel cannot end a RECV with EINTR.
 */

#ifndef PIN_VERSION
#define PIN_VERSION 1
#endif
#define REPORT_EVERY 1000u

/* The secret, in .data: it exists in this partition's RAM only (a wipe must zero it). */
static struct {
    char digits[8];     /* six ASCII digits and a NUL */
    uint32_t salt;
} vault = { "582917", PIN_VAULT_SALT };

static uint32_t secret_hash, wrong_in_row, locked;
static uint32_t requests, accepted, rejected, refused, bad, unanswered;

/* FNV-1a over the salt and the six decimal digits of pin (pin <= PIN_MAX). */
static uint32_t pin_hash(uint32_t salt, uint32_t pin)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 4; i++)
        h = (h ^ ((salt >> (8 * i)) & 0xffu)) * 16777619u;
    for (uint32_t div = 100000u; div != 0; div /= 10)
        h = (h ^ ('0' + pin / div % 10)) * 16777619u;
    return h;
}

static uint32_t vault_pin(void)
{
    uint32_t pin = 0;
    for (int i = 0; i < 6; i++)
        pin = pin * 10 + (uint32_t)(vault.digits[i] - '0');
    return pin;
}

static uint32_t tries_left(void)
{
    return locked ? 0 : PIN_TRIES - wrong_in_row;
}

static uint32_t verify(uint32_t guess, uint32_t seq)
{
    if (guess <= PIN_MAX && pin_hash(vault.salt, guess) == secret_hash) {
        wrong_in_row = 0;
        accepted++;
        return PIN_YES;
    }
    rejected++;
    if (++wrong_in_row >= PIN_TRIES) {
        locked = 1;
        printf("pin: LOCKED after %u consecutive wrong tries (request seq %u); answering locked from now on\n",
               (unsigned)PIN_TRIES, (unsigned)seq);
    }
    return PIN_NO;
}

static void answer(const struct ipc_msg *m, struct ipc_msg *r)
{
    uint32_t op = m->len >= 1 ? m->mr[0] : 0, seq = m->len >= 3 ? m->mr[2] : 0;
    uint32_t result;
    if (m->len < 3 || (op != PIN_OP_VERIFY && op != PIN_OP_STATUS)) {
        bad++;
        result = PIN_BAD_REQUEST;
    } else if (locked) {
        refused++;
        result = PIN_LOCKED;
    } else {
        result = op == PIN_OP_STATUS ? PIN_YES : verify(m->mr[1], seq);
    }
    r->len = 3;
    r->mr[0] = result;
    r->mr[1] = tries_left();
    r->mr[2] = seq;
}

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    if (!hv_present() || hv_read(HV_VERSION) < 2 || doorbell_channels() == 0) {
        puts("pin: needs a Tessera VM with services version 2 and a channel");
        return 2;
    }
    write_csr(mie, 0);
    secret_hash = pin_hash(vault.salt, vault_pin());
    printf("pin: version %u, serving VERIFY on channel %u, %u tries\n", (unsigned)PIN_VERSION, (unsigned)PIN_CH, (unsigned)PIN_TRIES);
    hv_ready(0);

    struct ipc_msg m, r;
    int32_t last_error = 0;
    for (;;) {
        int32_t status = ipc_recv(PIN_CH, &m);
        if (status != 0) {
            if (status != last_error)
                printf("pin: receive failed with %d\n", (int)status);
            last_error = status;
            hv_yield();
            continue;
        }
        last_error = 0;
        requests++;
        answer(&m, &r);
        if (ipc_reply(PIN_CH, &r) != 0)
            unanswered++;   /* a SEND rather than a CALL, or the caller is gone */
        if (requests % REPORT_EVERY == 0)
            printf("pin: %u requests: %u accepted, %u rejected, %u refused (locked), %u bad, %u unanswered\n",
                   (unsigned)requests, (unsigned)accepted, (unsigned)rejected, (unsigned)refused, (unsigned)bad,
                   (unsigned)unanswered);
    }
}
