/* tessera-ipc.h: short synchronous IPC through the Tessera hypervisor (the L4 model). */
#ifndef TESSERA_IPC_H
#define TESSERA_IPC_H

#include <stdint.h>
#include "tessera-hv.h"

/*
 * Registers of the hypervisor-services device (tessera-hv.h), per vCPU, services version >= 2:
 *   0x040 IPC_SEND   WO  channel: send IPC_LEN message registers to the peer; blocks until it receives
 *   0x044 IPC_RECV   WO  channel: block until a message from the peer arrives in IPC_MR0..IPC_LEN-1
 *   0x048 IPC_CALL   WO  channel: send, then block until the peer's reply arrives (in the MRs)
 *   0x04c IPC_REPLY  WO  channel: send to a peer blocked in CALL; never blocks (-EAGAIN if none is)
 *   0x050 IPC_LEN    RW  number of message registers to send (0..8); after a receive, how many came
 *   0x060 IPC_MR0..7 RW  message registers, at 0x060 + 4 * i
 * `channel` is the VM's channel index, as in the doorbell device. The store that starts an operation
 * completes at once; when the vCPU must wait, the hypervisor does not run it until the operation
 * ends, and STATUS then holds the result:
 *   0          done (after a receive, the MRs and IPC_LEN hold the message)
 *   -EINTR     an interrupt enabled in mie became pending while waiting (as it would end a WFI)
 *   -EAGAIN    REPLY while the peer is not waiting for a reply
 *   -EBUSY     another vCPU of this VM already waits on that side of the channel
 *   -EINVAL    no such channel, or IPC_LEN above 8
 *   -EPIPE     the peer VM is not running (or stopped while this vCPU waited for it)
 * A plain RECV keeps waiting while the peer is down, so a server outlives its clients' restarts.
 */
#define HV_IPC_SEND   0x040u
#define HV_IPC_RECV   0x044u
#define HV_IPC_CALL   0x048u
#define HV_IPC_REPLY  0x04cu
#define HV_IPC_LEN    0x050u
#define HV_IPC_MR(i)  (0x060u + 4u * (uint32_t)(i))
#define HV_IPC_MRS    8

#define HV_EINTR  4
#define HV_EAGAIN 11
#define HV_EBUSY  16
#define HV_EPIPE  32

struct ipc_msg {
    uint32_t len;               /* message registers used, 0..HV_IPC_MRS */
    uint32_t mr[HV_IPC_MRS];
};

static inline void ipc_load(const struct ipc_msg *m)
{
    uint32_t n = m->len > HV_IPC_MRS ? HV_IPC_MRS + 1 : m->len;   /* > 8 is refused by IPC_LEN */
    for (uint32_t i = 0; i < n && i < HV_IPC_MRS; i++)
        hv_write(HV_IPC_MR(i), m->mr[i]);
    hv_write(HV_IPC_LEN, n);
}

static inline void ipc_store(struct ipc_msg *m)
{
    uint32_t n = hv_read(HV_IPC_LEN);
    m->len = n > HV_IPC_MRS ? HV_IPC_MRS : n;
    for (uint32_t i = 0; i < m->len; i++)
        m->mr[i] = hv_read(HV_IPC_MR(i));
}

/* Sends m on `channel`; returns 0 or a negated error. */
static inline int32_t ipc_send(uint32_t channel, const struct ipc_msg *m)
{
    ipc_load(m);
    if (hv_status() != 0)
        return hv_status();
    hv_write(HV_IPC_SEND, channel);
    return hv_status();
}

/* Waits for a message on `channel` into m; returns 0 or a negated error. */
static inline int32_t ipc_recv(uint32_t channel, struct ipc_msg *m)
{
    hv_write(HV_IPC_RECV, channel);
    int32_t status = hv_status();
    if (status == 0)
        ipc_store(m);
    return status;
}

/* Sends request and waits for the reply (into reply, which may be request); 0 or a negated error. */
static inline int32_t ipc_call(uint32_t channel, const struct ipc_msg *request, struct ipc_msg *reply)
{
    ipc_load(request);
    if (hv_status() != 0)
        return hv_status();
    hv_write(HV_IPC_CALL, channel);
    int32_t status = hv_status();
    if (status == 0)
        ipc_store(reply);
    return status;
}

/* Answers the peer's CALL; 0, or -HV_EAGAIN when the peer is not waiting for a reply. */
static inline int32_t ipc_reply(uint32_t channel, const struct ipc_msg *m)
{
    ipc_load(m);
    if (hv_status() != 0)
        return hv_status();
    hv_write(HV_IPC_REPLY, channel);
    return hv_status();
}

#endif
