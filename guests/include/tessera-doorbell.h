/* tessera-doorbell.h: a Tessera VM's channel windows and doorbells, and the PLIC calls to receive them. */
#ifndef TESSERA_DOORBELL_H
#define TESSERA_DOORBELL_H

#include <stdint.h>

/* The doorbell device: 32-bit registers, aligned 4-byte accesses only. */
#define DOORBELL_BASE        0x04100000u
#define DOORBELL_CHANNELS    0x000u              /* RO  number of channels of this VM */
#define DOORBELL_CH(i)       (0x100u + 0x20u * (uint32_t)(i))
#define DOORBELL_CH_BASE     0x00u               /* RO  guest-physical address of the window */
#define DOORBELL_CH_SIZE     0x04u               /* RO  window size in bytes */
#define DOORBELL_CH_FLAGS    0x08u               /* RO  bit 0: writable by this VM */
#define DOORBELL_CH_IRQ      0x0cu               /* RO  PLIC source of the peer's doorbell */
#define DOORBELL_CH_RING     0x10u               /* WO  any value: interrupt the peer */
#define DOORBELL_CH_RECEIVED 0x14u               /* RO  doorbells the peer rang on this channel */
#define DOORBELL_CH_SENT_AT  0x18u               /* WO  low 32 bits of the peer's cycle counter when it
                                                        sent a message just received: the hypervisor
                                                        records the end-to-end latency */

/* QEMU-virt PLIC, context 0 = hart 0's M-mode. */
#define PLIC_BASE            0x0c000000u
#define PLIC_PRIORITY(s)     ((volatile uint32_t *)(PLIC_BASE + 4u * (uint32_t)(s)))
#define PLIC_ENABLE(ctx, s)  ((volatile uint32_t *)(PLIC_BASE + 0x2000u + 0x80u * (uint32_t)(ctx) + 4u * ((uint32_t)(s) / 32u)))
#define PLIC_THRESHOLD(ctx)  ((volatile uint32_t *)(PLIC_BASE + 0x200000u + 0x1000u * (uint32_t)(ctx)))
#define PLIC_CLAIM(ctx)      ((volatile uint32_t *)(PLIC_BASE + 0x200004u + 0x1000u * (uint32_t)(ctx)))

/* Where the device is mapped: its physical address unless a program defines DOORBELL_ADDR (see tessera-hv.h). */
#ifndef DOORBELL_ADDR
#define DOORBELL_ADDR DOORBELL_BASE
#endif

/* How many channels this VM has. In a Tessera VM only: elsewhere nothing may answer at this address. */
static inline uint32_t doorbell_channels(void)
{
    return *(volatile uint32_t *)(DOORBELL_ADDR + DOORBELL_CHANNELS);
}

static inline uint32_t doorbell_read(uint32_t channel, uint32_t reg)
{
    return *(volatile uint32_t *)(DOORBELL_ADDR + DOORBELL_CH(channel) + reg);
}

static inline void doorbell_ring(uint32_t channel)
{
    __asm__ volatile("fence w, o" ::: "memory"); /* the window's contents before the doorbell */
    *(volatile uint32_t *)(DOORBELL_ADDR + DOORBELL_CH(channel) + DOORBELL_CH_RING) = 1;
}

/* Reports the send time (the sender's rdcycle, low 32 bits) of a message just received; cheap, no exit. */
static inline void doorbell_sent_at(uint32_t channel, uint32_t sent_at)
{
    *(volatile uint32_t *)(DOORBELL_ADDR + DOORBELL_CH(channel) + DOORBELL_CH_SENT_AT) = sent_at;
}

/* Routes a PLIC source to context `ctx` with priority 1 and threshold 0. */
static inline void plic_enable(uint32_t ctx, uint32_t source)
{
    *PLIC_PRIORITY(source) = 1;
    *PLIC_ENABLE(ctx, source) |= 1u << (source % 32u);
    *PLIC_THRESHOLD(ctx) = 0;
}

/* Claims and completes every pending source of `ctx`; returns how many there were. */
static inline uint32_t plic_drain(uint32_t ctx)
{
    uint32_t n = 0, id;
    while ((id = *PLIC_CLAIM(ctx)) != 0) {
        *PLIC_CLAIM(ctx) = id;
        n++;
    }
    return n;
}

/*
 * Sleeps in WFI until an interrupt is pending, then claims and completes every source of `ctx`. With
 * mstatus.MIE off and the PLIC's line enabled in mie, a doorbell wakes it without a trap.
 */
static inline void doorbell_sleep(unsigned ctx)
{
    __asm__ volatile("wfi");
    plic_drain(ctx);
}

#endif
