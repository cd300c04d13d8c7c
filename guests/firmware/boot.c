/* boot.c: tessera-sbi's cold boot: checks QEMU's fw_dynamic_info, picks the boot hart, sets up every hart's M-mode CSRs and PMP, prints the banner and enters the next stage. Hand-written from the fw_dynamic convention QEMU follows (no OpenSBI code), small enough to read in one sitting. */
#include <stdint.h>
#include "console.h"
#include "csr.h"
#include "exit.h"
#include "fdt.h"
#include "fw.h"
#include "sbi.h"

/* The block QEMU (and other loaders) pass in a2, as OpenSBI's fw_dynamic defines it. */
struct fw_dynamic_info {
    uint32_t magic;       /* FW_DYNAMIC_MAGIC */
    uint32_t version;     /* 1, or 2 with boot_hart */
    uint32_t next_addr;
    uint32_t next_mode;   /* 0 U, 1 S, 3 M */
    uint32_t options;
    uint32_t boot_hart;   /* -1: the first hart to arrive */
};
#define FW_DYNAMIC_MAGIC 0x4942534fu   /* "OSBI" */

#define MEDELEG_BITS ((1u << 0) | (1u << 2) | (1u << 3) | (1u << 8) | (1u << 12) | (1u << 13) | (1u << 15))
#define MIDELEG_BITS ((1u << IRQ_S_SOFT) | (1u << IRQ_S_TIMER) | (1u << IRQ_S_EXT))
#define PMP_NAPOT 0x18u
#define PMP_RWX   0x07u

struct hart harts[FW_MAX_HARTS];
unsigned fw_nharts;
uint32_t fw_ram_end;

/* In .data, not .bss: both are read before the boot hart has cleared .bss. */
static volatile uint32_t lottery __attribute__((section(".data")));
static volatile uint32_t boot_done __attribute__((section(".data")));
static volatile uint32_t next_addr_g __attribute__((section(".data")));
static volatile uint32_t next_mode_g __attribute__((section(".data")));

extern char __bss_start[], __bss_end[];

void fw_fail(const char *why)
{
    printf("tessera-sbi: %s\n", why);
    exit(1);
}

/* True when [addr, addr + len) lies in RAM outside the firmware's region (what S-mode may touch). */
int fw_range_is_payload_ram(uint32_t addr, uint32_t len)
{
    uint32_t ram = (uint32_t)_fw_start;
    uint32_t end = addr + len;
    if (end < addr || addr < ram || (fw_ram_end != 0 && end > fw_ram_end))
        return 0;
    return end <= (uint32_t)_fw_start || addr >= (uint32_t)_fw_region_end;
}

/* Check the loader's block; any fault is one line and a failing power-off. */
static void check_info(const struct fw_dynamic_info *info)
{
    if (info == 0 || ((uint32_t)info & 3))
        fw_fail("no fw_dynamic_info in a2 (null or unaligned)");
    if (info->magic != FW_DYNAMIC_MAGIC) {
        printf("tessera-sbi: fw_dynamic_info magic 0x%08x, expected 0x%08x\n", (unsigned)info->magic, FW_DYNAMIC_MAGIC);
        exit(1);
    }
    if (info->version < 1 || info->version > 2) {
        printf("tessera-sbi: fw_dynamic_info version %u, expected 1 or 2\n", (unsigned)info->version);
        exit(1);
    }
    if (info->next_mode != 0 && info->next_mode != 1 && info->next_mode != 3) {
        printf("tessera-sbi: fw_dynamic_info next_mode %u, expected 0 (U), 1 (S) or 3 (M)\n", (unsigned)info->next_mode);
        exit(1);
    }
    if (info->next_addr == 0)
        fw_fail("fw_dynamic_info next_addr is 0: nothing to boot (QEMU without -kernel?)");
    if (info->next_addr >= (uint32_t)_fw_start && info->next_addr < (uint32_t)_fw_region_end) {
        printf("tessera-sbi: fw_dynamic_info next_addr 0x%08x is inside the firmware (0x%08x..0x%08x)\n",
               (unsigned)info->next_addr, (unsigned)_fw_start, (unsigned)_fw_region_end);
        exit(1);
    }
}

/* Is this hart the one that boots? boot_hart, or with -1 (or version 1) the first to swap the lottery. */
static int is_boot_hart(unsigned hartid, const struct fw_dynamic_info *info)
{
    int ok = info != 0 && !((uint32_t)info & 3) && info->magic == FW_DYNAMIC_MAGIC;
    if (ok && info->version >= 2 && info->boot_hart != 0xffffffffu)
        return hartid == info->boot_hart;
    return __atomic_exchange_n(&lottery, 1, __ATOMIC_ACQ_REL) == 0;
}

/* This hart's M-mode set-up: delegation, counters, PMP, interrupts. */
static void hart_init(void)
{
    write_csr(medeleg, MEDELEG_BITS);
    write_csr(mideleg, MIDELEG_BITS);
    write_csr(mcounteren, 7);            /* cycle, time, instret */
    write_csr(scounteren, 7);            /* and for U-mode, as OpenSBI leaves them (Linux's vDSO reads time) */
    /* Sstc: S-mode may program its own timer (stimecmp) where the hart has it. QEMU 7.2 advertises
       sstc, as does Tessera's device tree, and Linux then writes stimecmp (a hart without it reads 0).
       With STCE on, STIP follows stimecmp alone, so set_timer must use it too (timer.c). */
    uint32_t envcfgh;
    __asm__ volatile("csrs 0x31a, %1\n\tcsrr %0, 0x31a" : "=r"(envcfgh) : "r"(1u << 31));
    fw_sstc = (int)(envcfgh >> 31);
    /* PMP: entry 0 hides the firmware's NAPOT region from S/U; entry 1 grants S/U RWX on everything else. */
    uint32_t size = (uint32_t)_fw_region_end - (uint32_t)_fw_start;
    write_csr(pmpaddr0, ((uint32_t)_fw_start | (size / 2 - 1)) >> 2);
    write_csr(pmpaddr1, 0xffffffffu);
    write_csr(pmpcfg0, ((PMP_NAPOT | PMP_RWX) << 8) | PMP_NAPOT);
    __asm__ volatile("sfence.vma" ::: "memory");
    clear_csr(mstatus, MSTATUS_MIE | MSTATUS_MPRV);
    write_csr(mie, (1u << IRQ_M_SOFT));  /* MTIE comes with set_timer */
}

static void boot_hart_setup(unsigned hartid, const void *fdt, const struct fw_dynamic_info *info)
{
    for (volatile char *p = __bss_start; p < __bss_end; p++)
        *p = 0;
    check_info(info);
    int n = fdt_count_cpus(fdt);
    if (n <= 0)
        fw_fail("cannot count the harts in the device tree passed in a1");
    long long mem = fdt_memory_size(fdt);
    if (mem <= 0)
        fw_fail("cannot read the memory size from the device tree passed in a1");
    fw_nharts = n > FW_MAX_HARTS ? FW_MAX_HARTS : (unsigned)n;
    fw_ram_end = mem >= 0x80000000ll ? 0 : (uint32_t)_fw_start + (uint32_t)mem;
    if (hartid >= fw_nharts)
        fw_fail("the boot hart's id is beyond the harts in the device tree");
    for (unsigned h = 0; h < fw_nharts; h++)
        harts[h].state = SBI_HSM_STOPPED;
    harts[hartid].state = SBI_HSM_STARTED;
    /* The OS must not allocate what PMP hides from it: reserve the firmware's region in the device tree. */
    const char *why = fdt_reserve_region((void *)fdt, (uint32_t)_fw_start, (uint32_t)_fw_region_end - (uint32_t)_fw_start);
    if (why)
        printf("tessera-sbi: device tree left without the firmware's /memreserve/: %s\n", why);
    next_addr_g = info->next_addr;
    next_mode_g = info->next_mode;
    static const char *const mode_name[4] = { "U", "S", "?", "M" };
    printf("tessera-sbi: v%d, %u hart%s, next 0x%08x %s-mode\n", SBI_IMPL_VERSION_TESSERA, fw_nharts, fw_nharts == 1 ? "" : "s",
           (unsigned)info->next_addr, mode_name[info->next_mode & 3]);
}

void fw_main(unsigned hartid, const void *fdt, const struct fw_dynamic_info *info)
    __attribute__((noreturn));
void fw_main(unsigned hartid, const void *fdt, const struct fw_dynamic_info *info)
{
    if (is_boot_hart(hartid, info)) {
        boot_hart_setup(hartid, fdt, info);
        hart_init();
        __atomic_store_n(&boot_done, 1, __ATOMIC_RELEASE);
        enter_next(hartid, (uint32_t)fdt, next_addr_g, next_mode_g);
    }
    while (!__atomic_load_n(&boot_done, __ATOMIC_ACQUIRE))
        ;
    if (hartid >= fw_nharts)
        for (;;)
            __asm__ volatile("wfi");   /* not in the device tree: never started */
    hart_init();
    hsm_wait_for_start(hartid);
}
