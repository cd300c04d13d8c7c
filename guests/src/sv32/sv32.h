/* sv32.h: the Sv32 guest's page tables (a root and second-level tables in .bss) and its shared layout. */
#ifndef SV32_H
#define SV32_H

#include <stdint.h>
#include "vm-probe.h"

#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
#define PTE_U 0x10u
#define PTE_A 0x40u
#define PTE_D 0x80u

#define VA_UCODE 0x40000000u   /* the probes page, mapped for U */
#define VA_T     0x40001000u   /* the page under test */
#define VA_MEGA  0xc0000000u   /* a superpage over the first 4 MiB of RAM */
#define VA_OTHER 0x40400000u   /* second-level in root 0, a superpage in root 1 */

/* Test pages: the first starts with a copy of probe_land (so jumps into it can run), data at DATA_OFF. */
#define DATA_OFF 0x100u
extern uint8_t test_page[3][4096];

void pt_reset(void);                                    /* empty root, identity superpage for S code, U probes */
void pt_map(uintptr_t va, uintptr_t pa, uint32_t flags); /* a 4 KiB leaf */
void pt_mega(int root, uintptr_t va, uintptr_t pa, uint32_t flags); /* a 4 MiB leaf in root 0 or 1 */
uint32_t pt_leaf(uintptr_t va);                          /* the 4 KiB leaf's PTE */
uint32_t pt_root(uintptr_t va);                          /* root 0's PTE */
void pt_use(int root, uint32_t asid);                    /* satp = Sv32, root table 0 or 1 */
void sfence_all(void);

/* Probes in S and U mode: the probe's address for that mode. */
uintptr_t probe_at(uint32_t mode, const char *probe);

void test_permissions(void);
void test_accessed_dirty(void);
void test_superpages(void);
void test_mprv(void);
void test_sfence(void);

#endif
