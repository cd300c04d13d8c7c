/* ipc-sync.c: synchronous IPC through the hypervisor over channel 0; the VM's name picks the role. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "tessera-hv.h"
#include "tessera-ipc.h"

/*
 * "call..."  CALLs the peer IPC_ROUNDS times with 8 registers (seq, then words derived from it) and
 *            checks every reply (each word complemented, seq + 1 first); prints the round trip in
 *            cycles (min/avg/max, rdcycle on its own core).
 * "send..."  SENDs IPC_ROUNDS one-way messages of 8 registers, the peer checks each one.
 * otherwise  the server: RECVs and checks each message; answers with REPLY when the sender asked
 *            for one (FLAG_CALL in the first word). A message with FLAG_END ends both sides.
 * Before starting, the client checks the error paths of the ABI (bad channel, IPC_LEN 9, REPLY
 * with no caller). The server reports ready before it serves and takes the first sequence number
 * it sees as the start, so a new version switched in by an update carries on where the old one
 * stopped; the client's check of every reply (its own seq + 1) proves each call was answered once.
 */

#ifndef IPC_ROUNDS
#define IPC_ROUNDS 10000u
#endif
#ifndef IPC_PROGRESS
#define IPC_PROGRESS 0u          /* the client prints a line every this many calls (0: never) */
#endif
#ifndef IPC_SERVER_VERSION
#define IPC_SERVER_VERSION 1
#endif
#define FLAG_CALL 0x80000000u
#define FLAG_END  0x40000000u
#define SEQ_MASK  0x3fffffffu

static uint32_t word(uint32_t seq, uint32_t i)
{
    uint32_t x = (seq + 1) * 0x9e3779b1u ^ i * 0x85ebca6bu;
    return x ^ (x >> 15);
}

static void fill(struct ipc_msg *m, uint32_t head, uint32_t seq)
{
    m->len = HV_IPC_MRS;
    m->mr[0] = head;
    for (uint32_t i = 1; i < HV_IPC_MRS; i++)
        m->mr[i] = word(seq, i);
}

static int check_errors(void)
{
    struct ipc_msg m = { .len = 1, .mr = { 0 } };
    int bad = 0;
    if (ipc_send(7, &m) != -HV_EINVAL) { puts("ipc-sync: SEND on channel 7 was not refused"); bad = 1; }
    m.len = 9;
    if (ipc_send(0, &m) != -HV_EINVAL) { puts("ipc-sync: IPC_LEN 9 was not refused"); bad = 1; }
    m.len = 1;
    if (ipc_reply(0, &m) != -HV_EAGAIN) { puts("ipc-sync: REPLY with no caller was not refused"); bad = 1; }
    return bad;
}

static int client(int calling)
{
    if (check_errors())
        return 1;
    struct ipc_msg m, r;
    uint64_t min = ~0ull, max = 0, total = 0;
    for (uint32_t seq = 0; seq < IPC_ROUNDS; seq++) {
        fill(&m, (calling ? FLAG_CALL : 0) | seq, seq);
        if (calling) {
            uint64_t start = rdcycle();
            int32_t status = ipc_call(0, &m, &r);
            uint64_t rtt = rdcycle() - start;
            if (status != 0) { printf("ipc-sync: call %u failed with %d\n", (unsigned)seq, (int)status); return 1; }
            if (r.len != HV_IPC_MRS || r.mr[0] != seq + 1) { printf("ipc-sync: reply %u has seq %u\n", (unsigned)seq, (unsigned)r.mr[0]); return 1; }
            for (uint32_t i = 1; i < HV_IPC_MRS; i++)
                if (r.mr[i] != ~word(seq, i)) { printf("ipc-sync: reply %u word %u corrupted\n", (unsigned)seq, (unsigned)i); return 1; }
            total += rtt;
            if (rtt < min) min = rtt;
            if (rtt > max) max = rtt;
            if (IPC_PROGRESS && (seq + 1) % IPC_PROGRESS == 0)
                printf("ipc-sync: %u calls answered\n", (unsigned)(seq + 1));
        } else {
            int32_t status = ipc_send(0, &m);
            if (status != 0) { printf("ipc-sync: send %u failed with %d\n", (unsigned)seq, (int)status); return 1; }
        }
    }
    fill(&m, FLAG_END, 0);
    m.len = 1;
    if (ipc_send(0, &m) != 0) { puts("ipc-sync: the end message was refused"); return 1; }
    if (calling)
        printf("ipc-sync: %u calls answered; round trip min %llu avg %llu max %llu cycles\n",
               (unsigned)IPC_ROUNDS, min, total / IPC_ROUNDS, max);
    else
        printf("ipc-sync: %u messages sent\n", (unsigned)IPC_ROUNDS);
    return 0;
}

static int server(void)
{
    struct ipc_msg m;
    uint32_t expected = 0, received = 0;
    printf("ipc-sync: server version %d ready\n", IPC_SERVER_VERSION);
    hv_ready(IPC_SERVER_VERSION);
    for (;;) {
        int32_t status = ipc_recv(0, &m);
        if (status != 0) { printf("ipc-sync: receive failed with %d\n", (int)status); return 1; }
        if (m.len >= 1 && m.mr[0] == FLAG_END)
            break;
        uint32_t seq = m.mr[0] & SEQ_MASK;
        if (received == 0)
            expected = seq;
        if (m.len != HV_IPC_MRS || seq != expected) { printf("ipc-sync: got seq %u (len %u), expected %u\n", (unsigned)seq, (unsigned)m.len, (unsigned)expected); return 1; }
        for (uint32_t i = 1; i < HV_IPC_MRS; i++)
            if (m.mr[i] != word(seq, i)) { printf("ipc-sync: message %u word %u corrupted\n", (unsigned)seq, (unsigned)i); return 1; }
        expected++;
        received++;
        if (m.mr[0] & FLAG_CALL) {
            m.mr[0] = seq + 1;
            for (uint32_t i = 1; i < HV_IPC_MRS; i++)
                m.mr[i] = ~m.mr[i];
            status = ipc_reply(0, &m);
            if (status != 0) { printf("ipc-sync: reply %u failed with %d\n", (unsigned)seq, (int)status); return 1; }
        }
    }
    printf("ipc-sync: %u messages received in order, none corrupted\n", (unsigned)received);
    return 0;
}

int main(int hartid, const void *fdt)
{
    (void)fdt;
    if (hartid != 0)
        return 0;
    if (!hv_present() || hv_read(HV_VERSION) < 2) {
        puts("ipc-sync: needs a Tessera VM with services version 2");
        return 2;
    }
    char name[HV_NAME_BYTES + 1];
    hv_name(name);
    if (name[0] == 'c' && name[1] == 'a' && name[2] == 'l' && name[3] == 'l')
        return client(1);
    if (name[0] == 's' && name[1] == 'e' && name[2] == 'n' && name[3] == 'd')
        return client(0);
    return server();
}
