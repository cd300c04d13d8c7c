/* secondary.c: what a hart started by sbi-check does: print its opaque value, take IPIs in WFI, and stop when asked. Hand-written: each check names the spec behaviour it expects. */
#include "check.h"
#include "console.h"
#include "csr.h"
#include "sbi-call.h"

volatile uint32_t sec_started, sec_stop, sec_hartid;

void secondary_main(unsigned hartid, unsigned long opaque)
{
    /* No hart ids in the output: OpenSBI picks its boot hart by lottery, so ids differ from run to run. */
    printf("sbi-check: second hart started, a0 %s, opaque 0x%08lx\n",
           hartid == sec_hartid ? "= its hart id" : "WRONG (not its hart id)", opaque);
    set_csr(sie, 1u << IRQ_S_SOFT);   /* sstatus.SIE stays 0: see wfi_then_take */
    __atomic_add_fetch(&sec_started, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&sec_stop, __ATOMIC_ACQUIRE))
        wfi_then_take();
    sec_stop = 0;
    sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0);
    printf("FAIL hart_stop returned on the second hart\n");
}
