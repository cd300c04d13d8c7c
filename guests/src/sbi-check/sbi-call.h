/* sbi-call.h: the SBI calling convention from S-mode (a7 = extension, a6 = function, a0..a5 arguments; a0 = error, a1 = value). Hand-written inline assembly, the only way to make an ecall with a7/a6 set. */
#ifndef SBI_CALL_H
#define SBI_CALL_H

#include "../../firmware/sbi.h"

struct sbiret {
    long error;
    long value;
};

static inline struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1,
                                     unsigned long a2, unsigned long a3, unsigned long a4)
{
    register unsigned long r0 __asm__("a0") = a0;
    register unsigned long r1 __asm__("a1") = a1;
    register unsigned long r2 __asm__("a2") = a2;
    register unsigned long r3 __asm__("a3") = a3;
    register unsigned long r4 __asm__("a4") = a4;
    register unsigned long r6 __asm__("a6") = fid;
    register unsigned long r7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7) : "memory");
    return (struct sbiret){ (long)r0, (long)r1 };
}

/* Legacy calls: a7 = extension, arguments from a0, the result in a0 only. */
static inline long sbi_legacy(unsigned long eid, unsigned long a0)
{
    register unsigned long r0 __asm__("a0") = a0;
    register unsigned long r7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(r0) : "r"(r7) : "memory", "a1");
    return (long)r0;
}

#endif
