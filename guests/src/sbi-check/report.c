/* report.c: sbi-check's reporter: one deterministic line per check and the pass/fail counts. Hand-written: a few lines of printf. */
#include "check.h"
#include "console.h"

unsigned checks_passed, checks_failed;

void check_eq(const char *name, long got, long want)
{
    if (got == want) {
        checks_passed++;
        printf("ok   %s\n", name);
    } else {
        checks_failed++;
        printf("FAIL %s: got %ld, want %ld\n", name, got, want);
    }
}

void check_true(const char *name, int ok)
{
    if (ok) {
        checks_passed++;
        printf("ok   %s\n", name);
    } else {
        checks_failed++;
        printf("FAIL %s\n", name);
    }
}
