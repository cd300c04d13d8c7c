/* msip.h: the CLINT's msip as an inter-hart doorbell on a bare machine, hand-over flags and a ring kick callback over it. */
#ifndef MSIP_H
#define MSIP_H

#include <stdint.h>
#include "clint.h"
#include "csr.h"
#include "tessera-ring.h"

#define CLINT_MSIP(h) ((volatile uint32_t *)(CLINT_BASE + 4u * (uint32_t)(h)))

/* Wake from WFI on a software interrupt without taking it: mie.MSIE on, mstatus.MIE off. */
static inline void msip_enable(void)
{
    clear_csr(mstatus, MSTATUS_MIE);
    set_csr(mie, 1u << IRQ_M_SOFT);
}

/* Set the hart's msip; the fence puts every earlier memory access before the device store. */
static inline void msip_ring(unsigned hart)
{
    __asm__ volatile("fence iorw, iorw" ::: "memory");
    *CLINT_MSIP(hart) = 1;
}

/*
 * Sleep until this hart's msip is set, then clear it. The fence keeps the clearing store before
 * every later read, so a doorbell rung after it stays pending; callers re-check their condition
 * after each return (a return without new work is harmless: a stale or shared doorbell).
 */
static inline void msip_wait(unsigned me)
{
    while (!(read_csr(mip) & (1u << IRQ_M_SOFT)))
        __asm__ volatile("wfi");
    *CLINT_MSIP(me) = 0;
    __asm__ volatile("fence iorw, iorw" ::: "memory");
}

/* Hands `value` to the peer through a flag in ordinary memory: what was written before it first. */
static inline void msip_signal(volatile uint32_t *flag, uint32_t value, unsigned peer)
{
    __asm__ volatile("fence rw, w" ::: "memory");
    *flag = value;
    msip_ring(peer);
}

/* Sleeps until the peer's msip_signal put `value` in the flag; what it wrote before is then visible. */
static inline void msip_wait_for(volatile uint32_t *flag, uint32_t value, unsigned me)
{
    while (*flag != value)
        msip_wait(me);
    __asm__ volatile("fence r, rw" ::: "memory");
}

/* A ring kick callback: ring_set_kick(r, msip_kick, (void *)(uintptr_t)peer_hart). */
static inline void msip_kick(struct ring *r)
{
    msip_ring((unsigned)(uintptr_t)r->kick_ctx);
}

#endif
