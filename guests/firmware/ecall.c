/* ecall.c: tessera-sbi's SBI call dispatch (a7 = extension, a6 = function): Base, TIME, IPI, RFENCE, HSM, SRST, DBCN and the legacy console and shutdown calls. Hand-written from the SBI v2.0 specification, not taken from OpenSBI. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "exit.h"
#include "fw.h"
#include "sbi.h"

#define TEST_REBOOT 0x7777u

static const uint32_t extensions[] = {
    SBI_EXT_LEGACY_PUTCHAR, SBI_EXT_LEGACY_GETCHAR, SBI_EXT_LEGACY_SHUTDOWN, SBI_EXT_BASE, SBI_EXT_TIME,
    SBI_EXT_IPI, SBI_EXT_RFENCE, SBI_EXT_HSM, SBI_EXT_SRST, SBI_EXT_DBCN,
};

static struct sbiret ok(long value)
{
    return (struct sbiret){ SBI_SUCCESS, value };
}

static struct sbiret err(long error)
{
    return (struct sbiret){ error, 0 };
}

static struct sbiret base_call(unsigned fid, uint32_t arg)
{
    switch (fid) {
    case SBI_BASE_GET_SPEC_VERSION: return ok(SBI_SPEC_VERSION);
    case SBI_BASE_GET_IMPL_ID: return ok(SBI_IMPL_ID_TESSERA);
    case SBI_BASE_GET_IMPL_VERSION: return ok(SBI_IMPL_VERSION_TESSERA);
    case SBI_BASE_PROBE_EXTENSION:
        for (unsigned i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
            if (extensions[i] == arg)
                return ok(1);
        return ok(0);
    case SBI_BASE_GET_MVENDORID: return ok((long)read_csr(mvendorid));
    case SBI_BASE_GET_MARCHID: return ok((long)read_csr(marchid));
    case SBI_BASE_GET_MIMPID: return ok((long)read_csr(mimpid));
    }
    return err(SBI_ERR_NOT_SUPPORTED);
}

/* Power off or reset through the SiFive test device; returns only if the device ignored the write. */
static void test_device(uint32_t value)
{
    volatile uint32_t *test = (volatile uint32_t *)TEST_DEVICE_BASE;
    __asm__ volatile("fence iorw, iorw" ::: "memory");
    *test = value;
    for (volatile int spin = 0; spin < 1000000; spin++)
        ;
}

static struct sbiret srst_call(unsigned fid, uint32_t type, uint32_t reason)
{
    if (fid != SBI_SRST_SYSTEM_RESET)
        return err(SBI_ERR_NOT_SUPPORTED);
    /* Types and reasons from 0xf0000000 are vendor- or implementation-specific: no such types here,
       and such a reason counts as none. Everything else past the defined values is reserved. */
    if (type >= 0xf0000000u)
        return err(SBI_ERR_NOT_SUPPORTED);
    if (type > SBI_SRST_WARM_REBOOT || (reason > SBI_SRST_REASON_FAILURE && reason < 0xf0000000u))
        return err(SBI_ERR_INVALID_PARAM);
    if (type == SBI_SRST_SHUTDOWN)
        test_device(reason == SBI_SRST_REASON_FAILURE ? (1u << 16) | TEST_FAIL : TEST_PASS);
    else
        test_device(TEST_REBOOT);
    return err(SBI_ERR_FAILED);
}

/* DBCN takes a physical address split in two halves; S may only name RAM outside the firmware. */
static struct sbiret dbcn_call(unsigned fid, uint32_t num, uint32_t lo, uint32_t hi)
{
    switch (fid) {
    case SBI_DBCN_CONSOLE_WRITE:
    case SBI_DBCN_CONSOLE_READ:
        if (hi != 0 || !fw_range_is_payload_ram(lo, num))
            return err(SBI_ERR_INVALID_PARAM);
        if (fid == SBI_DBCN_CONSOLE_WRITE) {
            for (uint32_t i = 0; i < num; i++)
                putchar(((volatile const uint8_t *)lo)[i]);
            return ok((long)num);
        }
        uint32_t got = 0;
        for (int c; got < num && (c = uart_getc()) >= 0; got++)
            ((volatile uint8_t *)lo)[got] = (uint8_t)c;
        return ok((long)got);
    case SBI_DBCN_CONSOLE_WRITE_BYTE:
        putchar((int)(num & 0xff));
        return ok(0);
    }
    return err(SBI_ERR_NOT_SUPPORTED);
}

struct sbiret sbi_dispatch(struct trap_frame *f, unsigned hartid)
{
    uint32_t eid = f->x[REG_A7], fid = f->x[REG_A6];
    uint32_t a0 = f->x[REG_A0], a1 = f->x[REG_A1], a2 = f->x[REG_A2];
    switch (eid) {
    case SBI_EXT_LEGACY_PUTCHAR: putchar((int)(a0 & 0xff)); return ok(0);
    case SBI_EXT_LEGACY_GETCHAR: return err(uart_getc());
    case SBI_EXT_LEGACY_SHUTDOWN: test_device(TEST_PASS); return err(SBI_ERR_FAILED);
    case SBI_EXT_BASE: return base_call(fid, a0);
    case SBI_EXT_TIME:
        return fid == SBI_TIME_SET_TIMER ? timer_set(hartid, a0, a1) : err(SBI_ERR_NOT_SUPPORTED);
    case SBI_EXT_IPI:
        return fid == SBI_IPI_SEND_IPI ? ipi_send(a0, a1) : err(SBI_ERR_NOT_SUPPORTED);
    case SBI_EXT_RFENCE: return rfence_call(fid, a0, a1, hartid);
    case SBI_EXT_HSM: return hsm_call(fid, f, hartid);
    case SBI_EXT_SRST: return srst_call(fid, a0, a1);
    case SBI_EXT_DBCN: return dbcn_call(fid, a0, a1, a2);
    }
    return err(SBI_ERR_NOT_SUPPORTED);
}
