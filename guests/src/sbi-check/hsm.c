/* hsm.c: sbi-check's HSM checks: statuses, bad hart ids, and with two or more harts the start, IPIs, remote fences, stop and restart of another hart. Hand-written: each check names the spec behaviour it expects. */
#include "check.h"
#include "console.h"
#include "sbi-call.h"

static long status(unsigned long hart)
{
    struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hart, 0, 0, 0, 0);
    return r.error ? r.error : r.value;
}

/* Poll a hart's status until it is want (START_PENDING and STOP_PENDING pass). */
static long status_settled(unsigned long hart, long want)
{
    uint64_t end = rdtime64() + 20000000u;
    long s;
    while ((s = status(hart)) != want && rdtime64() < end)
        nap();
    return s;
}

/* Start `other` with an opaque value it prints back, and wait for its line. */
static void start_other(unsigned other, unsigned long opaque, uint32_t round)
{
    struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, other, (unsigned long)secondary_start, opaque, 0, 0);
    int printed = wait_for(&sec_started, round);
    check_eq("hart_start: error", r.error, 0);
    check_true("the started hart printed its opaque value", printed);
    check_eq("hart_get_status after hart_start: STARTED", status_settled(other, SBI_HSM_STARTED), SBI_HSM_STARTED);
}

static void stop_other(unsigned other)
{
    sec_stop = 1;
    sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1ul << other, 0, 0, 0, 0);   /* wake it from WFI */
    check_eq("hart_get_status after its hart_stop: STOPPED", status_settled(other, SBI_HSM_STOPPED), SBI_HSM_STOPPED);
}

void hsm_checks(unsigned me, unsigned nharts)
{
    check_eq("hart_get_status of the boot hart: STARTED", status(me), SBI_HSM_STARTED);
    check_eq("hart_get_status of hart 1000: SBI_ERR_INVALID_PARAM", status(1000), SBI_ERR_INVALID_PARAM);
    struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 1000, (unsigned long)secondary_start, 0, 0, 0);
    check_eq("hart_start of hart 1000: SBI_ERR_INVALID_PARAM", r.error, SBI_ERR_INVALID_PARAM);
    r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, me, (unsigned long)secondary_start, 0, 0, 0);
    check_eq("hart_start of the boot hart: SBI_ERR_ALREADY_AVAILABLE", r.error, SBI_ERR_ALREADY_AVAILABLE);
    if (nharts < 2) {
        printf("sbi-check: one hart, so no checks of a second one (run with -smp 2)\n");
        return;
    }

    unsigned other = me == 0 ? 1 : 0;
    sec_hartid = other;
    check_eq("hart_get_status of the second hart: STOPPED", status(other), SBI_HSM_STOPPED);
    start_other(other, 0x5eed0001, 1);
    r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, other, (unsigned long)secondary_start, 0, 0, 0);
    check_eq("hart_start of the started hart: SBI_ERR_ALREADY_AVAILABLE", r.error, SBI_ERR_ALREADY_AVAILABLE);

    r = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1ul << other, 0, 0, 0, 0);
    check_eq("send_ipi to the second hart: error", r.error, 0);
    check_true("S software interrupt on the second hart", wait_for(&events[other].soft, 1));
    uint32_t mine = events[me].soft;
    r = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0, ~0ul, 0, 0, 0);
    check_eq("send_ipi with hart_mask_base -1: error", r.error, 0);
    check_true("S software interrupt on both harts", wait_for(&events[other].soft, 2) && wait_for(&events[me].soft, mine + 1));

    r = sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 1ul << other, 0, 0, 0, 0);
    check_eq("remote_fence_i on the second hart: error", r.error, 0);
    r = sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, (1ul << other) | (1ul << me), 0, 0, ~0ul, 0);
    check_eq("remote_sfence_vma on both harts: error", r.error, 0);
    r = sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 1ul << other, 0, 0x80400000, 0x1000, 1);
    check_eq("remote_sfence_vma_asid on the second hart: error", r.error, 0);

    stop_other(other);
    start_other(other, 0x5eed0002, 2);
    stop_other(other);
}
