/* hsm.c: the SBI HSM extension: stopped harts wait in WFI on their msip until hart_start; hart_stop, hart_get_status, retentive suspend. Hand-written from the SBI v2.0 HSM chapter, not taken from OpenSBI. */
#include <stdint.h>
#include "clint.h"
#include "csr.h"
#include "fw.h"
#include "msip.h"
#include "sbi.h"

/* Park a STOPPED hart until another hart moves it to START_PENDING, then enter S-mode at its start address. */
void hsm_wait_for_start(unsigned hartid)
{
    struct hart *h = &harts[hartid];
    for (;;) {
        *CLINT_MSIP(hartid) = 0;
        __asm__ volatile("fence iorw, iorw" ::: "memory");
        ipi_handle_soft(hartid);          /* acknowledge fences; drops IPIs sent before the stop */
        clear_csr(mip, 1u << IRQ_S_SOFT);
        if (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == SBI_HSM_START_PENDING)
            break;
        __asm__ volatile("wfi");
    }
    uint32_t addr = h->start_addr, opaque = h->opaque;
    __atomic_store_n(&h->state, SBI_HSM_STARTED, __ATOMIC_RELEASE);
    enter_next(hartid, opaque, addr, 1);
}

static struct sbiret hart_start(uint32_t target, uint32_t addr, uint32_t opaque)
{
    if (target >= fw_nharts)
        return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
    if (!fw_range_is_payload_ram(addr, 4) || (addr & 1))
        return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
    struct hart *h = &harts[target];
    int expected = SBI_HSM_STOPPED;
    /* Claim the hart first, so two callers cannot both start it; then fill in the request. */
    if (!__atomic_compare_exchange_n(&h->state, &expected, -1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return (struct sbiret){ SBI_ERR_ALREADY_AVAILABLE, 0 };
    h->start_addr = addr;
    h->opaque = opaque;
    __atomic_store_n(&h->state, SBI_HSM_START_PENDING, __ATOMIC_RELEASE);
    msip_ring(target);
    return (struct sbiret){ SBI_SUCCESS, 0 };
}

static struct sbiret hart_status(uint32_t target)
{
    if (target >= fw_nharts)
        return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
    int s = __atomic_load_n(&harts[target].state, __ATOMIC_ACQUIRE);
    return (struct sbiret){ SBI_SUCCESS, s < 0 ? SBI_HSM_START_PENDING : s };
}

/* Retentive suspend is a WFI in M-mode: any interrupt S has enabled (or an M one) ends it. */
static struct sbiret hart_suspend(uint32_t type)
{
    if (type == SBI_HSM_SUSPEND_RETENTIVE) {
        __asm__ volatile("wfi");
        return (struct sbiret){ SBI_SUCCESS, 0 };
    }
    if (type == SBI_HSM_SUSPEND_NON_RETENTIVE)
        return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
    return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
}

struct sbiret hsm_call(unsigned fid, struct trap_frame *f, unsigned hartid)
{
    switch (fid) {
    case SBI_HSM_HART_START: return hart_start(f->x[REG_A0], f->x[REG_A1], f->x[REG_A2]);
    case SBI_HSM_HART_STOP:
        __atomic_store_n(&harts[hartid].state, SBI_HSM_STOP_PENDING, __ATOMIC_RELEASE);
        timer_stop(hartid);
        __atomic_store_n(&harts[hartid].state, SBI_HSM_STOPPED, __ATOMIC_RELEASE);
        hsm_wait_for_start(hartid);
    case SBI_HSM_HART_GET_STATUS: return hart_status(f->x[REG_A0]);
    case SBI_HSM_HART_SUSPEND: return hart_suspend(f->x[REG_A0]);
    }
    return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}
