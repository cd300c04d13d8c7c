/* main.c: sbi-check, an S-mode payload that calls every SBI function the Tessera firmware offers and ends with SRST (exit 1 on any failure). Hand-written, with the rest of sbi-check, so its output is the same under any correct SBI. */
#include "check.h"
#include "console.h"
#include "sbi-call.h"

void sbi_check_main(unsigned hartid, const void *fdt);
void secondary_main(unsigned hartid, unsigned long opaque);

/* Harts that hart_get_status knows, counted from 0 up to the first invalid id. */
static unsigned count_harts(void)
{
    unsigned n = 0;
    while (n < CHECK_MAX_HARTS && sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, n, 0, 0, 0, 0).error == 0)
        n++;
    return n;
}

void sbi_check_main(unsigned hartid, const void *fdt)
{
    unsigned nharts = count_harts();
    printf("sbi-check: S-mode on the boot hart, %u hart%s\n", nharts, nharts == 1 ? "" : "s");
    base_checks();
    console_checks();
    fault_checks();
    interrupt_checks(hartid);
    hsm_checks(hartid, nharts);

    struct sbiret r = sbi_call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, 0x1000, 0, 0, 0, 0);
    check_eq("system_reset of type 0x1000: SBI_ERR_INVALID_PARAM", r.error, SBI_ERR_INVALID_PARAM);

    printf("sbi-check: %u passed, %u failed\n", checks_passed, checks_failed);
    unsigned long reason = checks_failed ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE;
    r = sbi_call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_SHUTDOWN, reason, 0, 0, 0);
    printf("FAIL system_reset returned error %ld\n", r.error);
    sbi_legacy(SBI_EXT_LEGACY_SHUTDOWN, 0);
}
