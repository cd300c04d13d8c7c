/* dbcn.c: sbi-check's console checks: DBCN write, write_byte and read, a DBCN address outside RAM, the legacy putchar and getchar. Hand-written: each check names the spec behaviour it expects. */
#include "check.h"
#include "console.h"
#include "sbi-call.h"

static const char dbcn_line[] = "sbi-check: this line came through DBCN console_write\n";
static const char byte_line[] = "sbi-check: this line came through DBCN console_write_byte\n";
static const char legacy_line[] = "sbi-check: this line came through legacy console_putchar\n";
static char read_buf[16];

/* Two ranges S-mode may not hand to DBCN: not RAM (the CLINT), and the firmware's own RAM. OpenSBI
   refuses both too (M-only regions of its domain); it would print a ROM, so no ROM address here. */
#define CLINT_ADDR    0x02000000u

void console_checks(void)
{
    unsigned long len = sizeof dbcn_line - 1;
    struct sbiret r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, len, (unsigned long)dbcn_line, 0, 0, 0);
    check_true("DBCN console_write: error 0, all bytes written", r.error == 0 && (unsigned long)r.value == len);

    r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 8, CLINT_ADDR, 0, 0, 0);
    check_eq("DBCN console_write from the CLINT (not RAM): SBI_ERR_INVALID_PARAM", r.error, SBI_ERR_INVALID_PARAM);

    long errors = 0;
    for (const char *p = byte_line; *p; p++)
        errors |= sbi_call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, (unsigned char)*p, 0, 0, 0, 0).error;
    check_eq("DBCN console_write_byte: error 0", errors, 0);

    r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, sizeof read_buf, (unsigned long)read_buf, 0, 0, 0);
    check_true("DBCN console_read with no input: error 0, 0 bytes", r.error == 0 && r.value == 0);

    errors = 0;
    for (const char *p = legacy_line; *p; p++)
        errors |= sbi_legacy(SBI_EXT_LEGACY_PUTCHAR, (unsigned char)*p);
    check_eq("legacy console_putchar: 0", errors, 0);

    check_eq("legacy console_getchar with no input: -1", sbi_legacy(SBI_EXT_LEGACY_GETCHAR, 0), -1);
}
