/* tables.c: the Sv32 guest's page tables: two roots (two address spaces) and the second-level tables they share. */
#include "console.h"
#include "csr.h"
#include <stddef.h>
#include "sv32.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

static uint32_t roots[2][1024] __attribute__((aligned(4096)));
static uint32_t leaves[2][1024] __attribute__((aligned(4096)));  /* VA 0x40000000.. and 0x40400000.. */
uint8_t test_page[3][4096] __attribute__((aligned(4096)));

static uint32_t pte_of(uintptr_t pa, uint32_t flags)
{
    return (uint32_t)((pa >> 12) << 10) | flags;
}

void sfence_all(void)
{
    __asm__ volatile("sfence.vma" ::: "memory");
}

void pt_reset(void)
{
    memset(roots, 0, sizeof roots);
    memset(leaves, 0, sizeof leaves);
    for (int r = 0; r < 2; r++) {
        roots[r][0x80000000u >> 22] = pte_of(0x80000000u, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
        for (int l = 0; l < 2; l++)
            roots[r][(VA_UCODE >> 22) + l] = pte_of((uintptr_t)leaves[l], PTE_V);
    }
    pt_map(VA_UCODE, (uintptr_t)probes_page, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
    for (int i = 0; i < 3; i++) {
        memcpy(test_page[i], probe_land, PROBE_LAND_BYTES);
        for (int w = 0; w < 16; w++)
            ((volatile uint32_t *)(test_page[i] + DATA_OFF))[w] = 0x1000u * (i + 1) + w;
    }
    __asm__ volatile("fence.i" ::: "memory");
}

static uint32_t *leaf_slot(uintptr_t va)
{
    uint32_t index = (uint32_t)(va - VA_UCODE) >> 22;
    if (index >= 2) {
        printf("sv32: no second-level table for 0x%x\n", (unsigned)va);
        return &leaves[0][0];
    }
    return &leaves[index][(va >> 12) & 0x3ff];
}

void pt_map(uintptr_t va, uintptr_t pa, uint32_t flags)
{
    *(volatile uint32_t *)leaf_slot(va) = pte_of(pa, flags);
}

uint32_t pt_leaf(uintptr_t va)
{
    return *(volatile uint32_t *)leaf_slot(va);
}

void pt_mega(int root, uintptr_t va, uintptr_t pa, uint32_t flags)
{
    ((volatile uint32_t *)roots[root])[va >> 22] = pte_of(pa, flags);
}

uint32_t pt_root(uintptr_t va)
{
    return ((volatile uint32_t *)roots[0])[va >> 22];
}

void pt_use(int root, uint32_t asid)
{
    write_csr(satp, 0x80000000u | (asid << 22) | ((uintptr_t)roots[root] >> 12));
    sfence_all();
}

uintptr_t probe_at(uint32_t mode, const char *probe)
{
    uintptr_t at = (uintptr_t)probe;
    return mode == PROBE_U ? VA_UCODE + (at - (uintptr_t)probes_page) : at;
}
