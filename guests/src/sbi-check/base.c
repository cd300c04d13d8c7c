/* base.c: sbi-check's Base extension checks: spec version, implementation, probes of every extension, machine ids, an unknown call. Hand-written: each check names the spec behaviour it expects. */
#include "check.h"
#include "console.h"
#include "sbi-call.h"

static const struct {
    unsigned long eid;
    const char *name;
    long want;   /* 1: available, 0: not */
} probes[] = {
    { SBI_EXT_BASE, "probe 0x10 (BASE): available", 1 },
    { SBI_EXT_TIME, "probe 0x54494d45 (TIME): available", 1 },
    { SBI_EXT_IPI, "probe 0x735049 (sPI): available", 1 },
    { SBI_EXT_RFENCE, "probe 0x52464e43 (RFNC): available", 1 },
    { SBI_EXT_HSM, "probe 0x48534d (HSM): available", 1 },
    { SBI_EXT_SRST, "probe 0x53525354 (SRST): available", 1 },
    { SBI_EXT_DBCN, "probe 0x4442434e (DBCN): available", 1 },
    { SBI_EXT_LEGACY_PUTCHAR, "probe 0x01 (legacy console_putchar): available", 1 },
    { 0x0abcdef0, "probe 0x0abcdef0 (unknown): not available", 0 },
};

void base_checks(void)
{
    struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0);
    check_true("get_spec_version: 2.0 or later", r.error == 0 && (r.value >> 24) >= 2 && !(r.value & 0x80000000));

    r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0, 0, 0);
    check_eq("get_impl_id: error", r.error, 0);
    if (r.value == SBI_IMPL_ID_TESSERA)
        printf("sbi-check: impl id TESS\n");
    else if (r.value == SBI_IMPL_ID_OPENSBI)
        printf("sbi-check: impl id OpenSBI\n");
    else
        printf("sbi-check: impl id %ld\n", r.value);

    r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0, 0, 0);
    check_true("get_impl_version: error 0, nonzero", r.error == 0 && r.value != 0);

    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, probes[i].eid, 0, 0, 0, 0);
        check_true(probes[i].name, r.error == 0 && (r.value != 0) == probes[i].want);
    }

    r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID, 0, 0, 0, 0, 0);
    check_eq("get_mvendorid: error", r.error, 0);
    r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_MARCHID, 0, 0, 0, 0, 0);
    check_eq("get_marchid: error", r.error, 0);
    r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_MIMPID, 0, 0, 0, 0, 0);
    check_eq("get_mimpid: error", r.error, 0);

    r = sbi_call(SBI_EXT_BASE, 0x100, 0, 0, 0, 0, 0);
    check_eq("base function 0x100: SBI_ERR_NOT_SUPPORTED", r.error, SBI_ERR_NOT_SUPPORTED);
    r = sbi_call(0x0abcdef0, 0, 0, 0, 0, 0, 0);
    check_eq("unknown extension 0x0abcdef0: SBI_ERR_NOT_SUPPORTED", r.error, SBI_ERR_NOT_SUPPORTED);
}
