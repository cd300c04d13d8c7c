/* vm-probe.c: how the Sv32 and PMP guests print what a probe did. */
#include "console.h"
#include "vm-probe.h"

void probe_show(const char *label, uint32_t want_tval)
{
    if (probe_cause == PROBE_NONE)
        printf(" %s=ok", label);
    else if (probe_tval == want_tval)
        printf(" %s=c%u", label, (unsigned)probe_cause);
    else
        printf(" %s=c%u@%x", label, (unsigned)probe_cause, (unsigned)probe_tval);
}
