/* vm-probe.h: one access in U, S or M mode (with MPRV), run from M-mode, and the trap it took (vm-probe.S). */
#ifndef VM_PROBE_H
#define VM_PROBE_H

#include <stdint.h>

#define PROBE_NONE 0xffffffffu

/* mstatus bits for probe_run: the mode (MPP) and the translation controls. */
#define PROBE_U    0u
#define PROBE_S    (1u << 11)
#define PROBE_M    (3u << 11)
#define PROBE_MPRV (1u << 17)
#define PROBE_SUM  (1u << 18)
#define PROBE_MXR  (1u << 19)

/* The probes, each four-byte instructions then ecall: lw a0,(a0); sw a1,(a0); amoadd.w a0,a1,(a0); lr.w a0,(a0);
   sfence.vma; csrr a0,satp; jr a0; and the landing (li a0, 0x42) a jump probe copies to its target.
   probes_page is their page. */
extern char probes_page[], probe_lw[], probe_sw[], probe_amo[], probe_lr[], probe_sfence[], probe_satp[], probe_jump[], probe_land[];
#define PROBE_LAND_BYTES 8

extern volatile uint32_t probe_cause, probe_tval;

uint32_t probe_run(uint32_t mstatus_bits, uintptr_t pc, uint32_t a0, uint32_t a1);
uint32_t probe_mprv_lw(uint32_t mstatus_bits, uintptr_t addr);

/* Prints " label=ok" or " label=cN" (the trap's cause), and "@tval" when tval is not `want_tval`. */
void probe_show(const char *label, uint32_t want_tval);

#endif
