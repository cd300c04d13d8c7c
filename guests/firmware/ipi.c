/* ipi.c: the SBI IPI and RFENCE extensions over CLINT msip: per-hart request flags, handled in the M software interrupt. Hand-written from the SBI v2.0 IPI and RFENCE chapters, not taken from OpenSBI. */
#include <stdint.h>
#include "clint.h"
#include "csr.h"
#include "fw.h"
#include "msip.h"
#include "sbi.h"

/* Harts in rfence_call waiting for acknowledgements, woken through their msip after each one. */
static volatile uint32_t fence_waiters;

/* The M software interrupt (or a poll): clear msip first, so a request made after this stays pending,
   then raise SSIP for an IPI and run a requested fence, acknowledging it by fence_done and a doorbell
   to every waiting hart (a waiter that finds nothing new goes back to sleep). */
void ipi_handle_soft(unsigned hartid)
{
    struct hart *h = &harts[hartid];
    *CLINT_MSIP(hartid) = 0;
    __asm__ volatile("fence iorw, iorw" ::: "memory");
    if (__atomic_exchange_n(&h->ipi_pending, 0, __ATOMIC_ACQ_REL))
        set_csr(mip, 1u << IRQ_S_SOFT);
    uint32_t req = __atomic_load_n(&h->fence_req, __ATOMIC_ACQUIRE);
    if (req != h->fence_done) {
        __asm__ volatile("fence.i\n\tsfence.vma" ::: "memory");
        __atomic_store_n(&h->fence_done, req, __ATOMIC_RELEASE);
        uint32_t waiters = __atomic_load_n(&fence_waiters, __ATOMIC_ACQUIRE);
        for (unsigned w = 0; w < fw_nharts; w++)
            if ((waiters & (1u << w)) && w != hartid)
                msip_ring(w);
    }
}

/* The harts named by (mask, base) as a bit set; base -1 means every started hart. Fails on an id beyond the harts. */
static int targets(uint32_t mask, uint32_t base, uint32_t *out)
{
    uint32_t set = 0;
    if (base == 0xffffffffu) {
        for (unsigned h = 0; h < fw_nharts; h++)
            if (__atomic_load_n(&harts[h].state, __ATOMIC_ACQUIRE) == SBI_HSM_STARTED)
                set |= 1u << h;
        *out = set;
        return 1;
    }
    for (unsigned i = 0; i < 32; i++) {
        if (!(mask & (1u << i)))
            continue;
        if (base >= fw_nharts || i >= fw_nharts - base)
            return 0;
        set |= 1u << (base + i);
    }
    *out = set;
    return 1;
}

/* Only started harts take IPIs: a stopped hart drops them when it is started. */
struct sbiret ipi_send(uint32_t mask, uint32_t base)
{
    uint32_t set;
    if (!targets(mask, base, &set))
        return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
    for (unsigned h = 0; h < fw_nharts; h++) {
        if (!(set & (1u << h)))
            continue;
        __atomic_store_n(&harts[h].ipi_pending, 1, __ATOMIC_RELEASE);
        msip_ring(h);
    }
    return (struct sbiret){ SBI_SUCCESS, 0 };
}

/* Every remote fence is a full fence.i + sfence.vma on each target (a superset of the one asked for);
   the caller sleeps in WFI until every acknowledgement, answering requests made to itself meanwhile
   (a busy wait would also do, but starves the targets where harts share one host thread). */
struct sbiret rfence_call(unsigned fid, uint32_t mask, uint32_t base, unsigned hartid)
{
    if (fid > SBI_RFENCE_SFENCE_VMA_ASID)
        return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
    uint32_t set, ticket[FW_MAX_HARTS];
    if (!targets(mask, base, &set))
        return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
    __atomic_fetch_or(&fence_waiters, 1u << hartid, __ATOMIC_ACQ_REL);
    for (unsigned h = 0; h < fw_nharts; h++) {
        if (!(set & (1u << h)) || h == hartid)
            continue;
        if (__atomic_load_n(&harts[h].state, __ATOMIC_ACQUIRE) != SBI_HSM_STARTED) {
            set &= ~(1u << h);   /* a stopped hart has no TLB or code of S's to fence */
            continue;
        }
        ticket[h] = __atomic_add_fetch(&harts[h].fence_req, 1, __ATOMIC_ACQ_REL);
        msip_ring(h);
    }
    if (set & (1u << hartid))
        __asm__ volatile("fence.i\n\tsfence.vma" ::: "memory");
    for (unsigned h = 0; h < fw_nharts; h++) {
        if (!(set & (1u << h)) || h == hartid)
            continue;
        while ((int32_t)(__atomic_load_n(&harts[h].fence_done, __ATOMIC_ACQUIRE) - ticket[h]) < 0 &&
               __atomic_load_n(&harts[h].state, __ATOMIC_ACQUIRE) == SBI_HSM_STARTED) {
            if (read_csr(mip) & (1u << IRQ_M_SOFT))
                ipi_handle_soft(hartid);
            else
                __asm__ volatile("wfi");
        }
    }
    __atomic_fetch_and(&fence_waiters, ~(1u << hartid), __ATOMIC_ACQ_REL);
    return (struct sbiret){ SBI_SUCCESS, 0 };
}
