/* tessera-hv.h: the hypervisor-services device of a Tessera VM (registers, inline accessors, a trap-safe probe). */
#ifndef TESSERA_HV_H
#define TESSERA_HV_H

#include <stdint.h>

/* Guest-physical base; every register is 32 bits wide and takes only aligned 4-byte accesses. */
#define HV_SERVICES_BASE   0x04000000u

#define HV_MAGIC           0x000u  /* RO  0x56485354, "TSHV" in little-endian byte order */
#define HV_VERSION         0x004u  /* RO  1 */
#define HV_VM_ID           0x008u  /* RO  this VM's id */
#define HV_VCPU_ID         0x00cu  /* RO  the accessing vCPU, 0..VCPU_COUNT-1 */
#define HV_VCPU_COUNT      0x010u  /* RO  vCPUs of this VM */
#define HV_YIELD           0x020u  /* WO  any value: give up the rest of the time slice */
#define HV_WATCHDOG_KICK   0x024u  /* WO  any value: restart the VM's watchdog period */
#define HV_READY           0x028u  /* WO  0..255: report ready with that status code */
#define HV_CONSOLE         0x02cu  /* WO  0..255: one byte to the VM's console */
#define HV_STATUS          0x030u  /* RO  result of this vCPU's last write: HV_OK or -HV_EINVAL */
#define HV_NAME            0x100u  /* RO  0x100..0x11f: the VM name, NUL-padded (no NUL if 32 bytes long) */

#define HV_MAGIC_VALUE     0x56485354u
#define HV_NAME_BYTES      32
#define HV_OK              0
#define HV_EINVAL          22      /* STATUS reads -HV_EINVAL for a bad argument */

/* Where the device is mapped: its physical address, unless a program that maps it elsewhere (a
   Linux process through uio, guests/linux/phone) defines HV_SERVICES_ADDR. */
#ifndef HV_SERVICES_ADDR
#define HV_SERVICES_ADDR HV_SERVICES_BASE
#endif

static inline uint32_t hv_read(uint32_t reg)
{
    return *(volatile uint32_t *)(HV_SERVICES_ADDR + reg);
}

static inline void hv_write(uint32_t reg, uint32_t value)
{
    *(volatile uint32_t *)(HV_SERVICES_ADDR + reg) = value;
}

/*
 * 1 if the device answers MAGIC, 0 if it is absent (plain QEMU virt, Tessera's bare machine).
 * Safe where nothing is mapped: for the one load it points mtvec at the instruction after it,
 * with MIE off, so an access fault lands there instead of in the guest's handler; then it
 * restores mtvec and mstatus. M-mode only. Clobbers mepc, mcause and mtval if the load faults.
 */
static inline int hv_present(void)
{
    uint32_t magic = 0, saved_mtvec, saved_mstatus, resume;
    __asm__ volatile(
        "csrrci %[st], mstatus, 8\n\t"
        "la     %[rs], 1f\n\t"
        "csrrw  %[tv], mtvec, %[rs]\n\t"
        "lw     %[m], 0(%[addr])\n\t"
        ".balign 4\n"
        "1:\n\t"
        "csrw   mtvec, %[tv]\n\t"
        "csrw   mstatus, %[st]"
        : [m] "+&r"(magic), [tv] "=&r"(saved_mtvec), [st] "=&r"(saved_mstatus), [rs] "=&r"(resume)
        : [addr] "r"(HV_SERVICES_BASE + HV_MAGIC)
        : "memory");
    return magic == HV_MAGIC_VALUE;
}

/* The accessors below assume the device is there (hv_present()); elsewhere they fault. */
static inline uint32_t hv_vm_id(void) { return hv_read(HV_VM_ID); }
static inline uint32_t hv_vcpu_id(void) { return hv_read(HV_VCPU_ID); }
static inline uint32_t hv_vcpu_count(void) { return hv_read(HV_VCPU_COUNT); }
static inline int32_t hv_status(void) { return (int32_t)hv_read(HV_STATUS); }
static inline void hv_yield(void) { hv_write(HV_YIELD, 0); }
static inline void hv_watchdog_kick(void) { hv_write(HV_WATCHDOG_KICK, 0); }

/* code 0..255; returns STATUS: HV_OK, or -HV_EINVAL (and nothing reported) for a larger code. */
static inline int32_t hv_ready(uint32_t code)
{
    hv_write(HV_READY, code);
    return hv_status();
}

/* c 0..255 (not truncated: 0x141 is refused, not sent as 'A'); returns STATUS like hv_ready. */
static inline int32_t hv_console_putc(uint32_t c)
{
    hv_write(HV_CONSOLE, c);
    return hv_status();
}

/* Copies the VM name into buf (HV_NAME_BYTES + 1 bytes), NUL-terminated; returns its length. */
static inline int hv_name(char buf[HV_NAME_BYTES + 1])
{
    int len = HV_NAME_BYTES;
    for (int i = 0; i < HV_NAME_BYTES; i += 4) {
        uint32_t word = hv_read(HV_NAME + (uint32_t)i);
        for (int b = 0; b < 4; b++)
            buf[i + b] = (char)(word >> (8 * b));
    }
    buf[HV_NAME_BYTES] = 0;
    for (int i = 0; i < HV_NAME_BYTES; i++)
        if (buf[i] == 0) {
            len = i;
            break;
        }
    return len;
}

/* 1 if the VM's name begins with prefix: guests that serve either end of a channel pick their role so. */
static inline int hv_name_starts(const char *prefix)
{
    char name[HV_NAME_BYTES + 1];
    hv_name(name);
    for (int i = 0; prefix[i] != 0; i++)
        if (name[i] != prefix[i])
            return 0;
    return 1;
}

#endif
