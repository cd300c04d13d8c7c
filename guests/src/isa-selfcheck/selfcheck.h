/* selfcheck.h: shared declarations of the ISA self-check: result reporting, trap records, helpers. */
#ifndef SELFCHECK_H
#define SELFCHECK_H

#include <stdint.h>
#include "console.h"
#include "csr.h"

#define LOWER_EXIT_MAGIC 0x10e0     /* must match trap.S */
#define MODE_U 0
#define MODE_S 1

/* Register frame built by trap.S: x[0..31], then the trap CSRs (m* or s*). */
struct frame {
    unsigned x[32];
    unsigned epc, status, cause, tval;
};

/* What the last trap (M: not counting run_lower's exit ecall) looked like. */
struct trap_record {
    unsigned count;     /* traps since trap_reset() */
    unsigned cause, epc, tval, status;
};

extern volatile struct trap_record mtrap, strap;
extern volatile unsigned trap_vector;       /* vector index recorded by m_vector_table */
extern volatile unsigned lower_exit_status; /* mstatus when run_lower's function returned */
extern volatile unsigned lower_exit_cause;  /* and the cause of that ecall (8 from U, 9 from S) */

void trap_reset(void);
void check(const char *name, unsigned got, unsigned want);
void check_show(const char *name, unsigned got, unsigned want);  /* also prints the value on success */
const char *cat(const char *a, const char *b);  /* a followed by b, in a buffer reused by the next call */

/* trap.S */
void m_trap_entry(void);
void s_trap_entry(void);
void m_vector_table(void);
void lower_exit(void);
void lower_resume(void);
unsigned run_lower(unsigned mode, unsigned (*fn)(unsigned), unsigned arg);

/* the groups of checks */
void check_rv32i(void);
void check_rv32m(void);
void check_rv32a(void);
void check_rvc(void);
void check_zicsr(void);
void check_traps(void);
void check_privilege(void);
void check_interrupts(void);
void check_fencei_instret(void);

#endif
