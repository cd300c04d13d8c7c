/* brute.c: rich-hostile guesses PINs through the PIN service (synchronous IPC) until it locks, after probing it with malformed requests. */
#include <stdint.h>
#include "../phone.h"
#include "console.h"
#include "hostile.h"
#include "tessera-ipc.h"

#define MAX_GUESSES   100u
#define AFTER_LOCK    20u       /* guesses after the lock: every one must be refused */

static uint32_t seq;

static int32_t call(uint32_t len, uint32_t op, uint32_t guess, struct ipc_msg *r)
{
    struct ipc_msg m = { .len = len, .mr = { op, guess, seq++, 0xdeadbeefu, 0, 0, 0, 0 } };
    return ipc_call(RICH_CH_PIN, &m, r);
}

/* Requests that are not VERIFY must cost no try: answered PIN_BAD_REQUEST (or PIN_YES for STATUS) with all tries left. */
static void malformed(struct brute_tally *t)
{
    static const struct { uint32_t len, op, want; } cases[] = {
        { 0, PIN_OP_VERIFY, PIN_BAD_REQUEST }, { 1, PIN_OP_VERIFY, PIN_BAD_REQUEST },
        { 2, PIN_OP_VERIFY, PIN_BAD_REQUEST }, { 3, 0, PIN_BAD_REQUEST }, { 8, 99, PIN_BAD_REQUEST },
        { 3, PIN_OP_STATUS, PIN_YES },
    };
    struct ipc_msg r;
    for (uint32_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t status = call(cases[i].len, cases[i].op, 0, &r);
        if (status != 0 || r.len != 3 || r.mr[0] != cases[i].want || r.mr[1] != PIN_TRIES) {
            t->bad_answers++;
            printf("rich-hostile: request len %u op %u: status %d, answer %u %u\n", (unsigned)cases[i].len,
                   (unsigned)cases[i].op, (int)status, (unsigned)r.mr[0], (unsigned)r.mr[1]);
        }
    }
    struct ipc_msg oneway = { .len = 3, .mr = { PIN_OP_STATUS, 0, seq++ } };
    ipc_send(RICH_CH_PIN, &oneway);     /* a SEND where a CALL is expected: the service must shrug */
}

static uint32_t guess_of(uint32_t i)
{
    static const uint32_t common[] = { 123456, 0, 111111, 654321, 999999, 121212, 112233, 1, 7, 100000 };
    return i < sizeof common / sizeof common[0] ? common[i] : (i * 7919u) % (PIN_MAX + 1);
}

void brute_force(struct brute_tally *t)
{
    malformed(t);
    struct ipc_msg r;
    uint32_t i = 0;
    for (; i < MAX_GUESSES && !t->locked; i++) {
        int32_t status = call(3, PIN_OP_VERIFY, guess_of(i), &r);
        if (status != 0) {
            printf("rich-hostile: guess call failed with %d\n", (int)status);
            return;
        }
        if (r.mr[0] == PIN_YES) {
            t->accepted++;
            printf("rich-hostile: GUESSED the PIN: %06u\n", (unsigned)guess_of(i));
        } else if (r.mr[0] == PIN_NO) {
            t->tries++;
            printf("rich-hostile: guess %06u -> no, %u tries left\n", (unsigned)guess_of(i), (unsigned)r.mr[1]);
            t->locked = r.mr[1] == 0;
        } else if (r.mr[0] == PIN_LOCKED) {
            t->locked = 1;
        } else {
            t->bad_answers++;
        }
    }
    for (uint32_t k = 0; k < AFTER_LOCK && t->locked; k++, i++)
        if (call(3, PIN_OP_VERIFY, guess_of(i), &r) == 0 && r.mr[0] == PIN_LOCKED && r.mr[1] == 0)
            t->refused_after++;
}
