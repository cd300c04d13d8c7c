/* interrupts.c: sbi-check's TIME, IPI and RFENCE checks on the boot hart alone: a timer interrupt in WFI, IPIs to itself, fences, bad hart masks. Hand-written: each check names the spec behaviour it expects. */
#include "check.h"
#include "csr.h"
#include "sbi-call.h"

#define TICKS_1MS 10000u

void interrupt_checks(unsigned me)
{
    struct s_events *e = &events[me];
    set_csr(sie, (1u << IRQ_S_TIMER) | (1u << IRQ_S_SOFT));   /* sstatus.SIE stays 0: see wfi_then_take */

    uint64_t when = rdtime64() + TICKS_1MS;
    struct sbiret r = sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, (uint32_t)when, (uint32_t)(when >> 32), 0, 0, 0);
    check_eq("set_timer 1 ms ahead: error", r.error, 0);
    uint64_t end = rdtime64() + 20000000u;
    while (e->timer == 0 && rdtime64() < end)
        wfi_then_take();
    check_eq("S timer interrupt taken after WFI: once", (long)e->timer, 1);
    check_true("not before its time", rdtime64() >= when);
    check_eq("set_timer(-1) in the handler cleared sip.STIP", (long)(read_csr(sip) & (1u << IRQ_S_TIMER)), 0);

    r = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1ul << me, 0, 0, 0, 0);
    check_eq("send_ipi to itself: error", r.error, 0);
    check_true("S software interrupt from send_ipi to itself", wait_for(&e->soft, 1));
    r = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0, ~0ul, 0, 0, 0);
    check_eq("send_ipi with hart_mask_base -1 (every started hart): error", r.error, 0);
    check_true("S software interrupt from send_ipi to every hart", wait_for(&e->soft, 2));
    r = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, 1000, 0, 0, 0);
    check_eq("send_ipi to hart 1000: SBI_ERR_INVALID_PARAM", r.error, SBI_ERR_INVALID_PARAM);

    r = sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 1ul << me, 0, 0, 0, 0);
    check_eq("remote_fence_i on itself: error", r.error, 0);
    r = sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1ul << me, 0, 0, 0x1000, 0);
    check_eq("remote_sfence_vma on itself: error", r.error, 0);
    r = sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 0, ~0ul, 0, ~0ul, 0);
    check_eq("remote_sfence_vma_asid on every hart, whole space: error", r.error, 0);
    r = sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 1, 1000, 0, 0, 0);
    check_eq("remote_fence_i on hart 1000: SBI_ERR_INVALID_PARAM", r.error, SBI_ERR_INVALID_PARAM);
}
