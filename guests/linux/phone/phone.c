/* phone.c: the phone's rich OS as a Linux program (scenarios/phone-linux.json): the same PIN checks
 * over synchronous IPC and the same modem command stream as guests/src/rich.c, reaching the
 * hypervisor services, the doorbell device and the modem window through Linux's uio_pdrv_genirq
 * driver (the VM's device tree names them generic-uio; the kernel's command line carries
 * uio_pdrv_genirq.of_id=generic-uio). It prints the status line rich.c prints, so a test reads
 * both alike. Built with the kernel's nolibc by guests/linux/build.sh; no custom kernel code.
 *
 * The IPC registers are per vCPU, so the process pins itself to one hart before it touches them.
 * An IPC call a Linux interrupt ends (-EINTR: the wait ends as a WFI would) is counted apart from
 * a lost one: it is the kernel's timer, not the PIN service, that cut it short. */
#include <stdint.h>

static volatile uint8_t *tessera_hv, *tessera_doorbell;
#define HV_SERVICES_ADDR ((uintptr_t)tessera_hv)
#define DOORBELL_ADDR ((uintptr_t)tessera_doorbell)

#include "hash.h"
#include "phone.h"
#include "tessera-doorbell.h"
#include "tessera-hv.h"
#include "tessera-ipc.h"
#include "tessera-ring.h"

static uint32_t cycles_now(void)
{
    uint32_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t * 10u;     /* mtime ticks every 10 cycles: the sender's cycle count, as rdcycle would give it */
}

/* A modem command carries its send time (the PIN checks and the modem stream are rich.c's: phone-client.h). */
#define PHONE_STAMP() cycles_now()
#include "phone-client.h"

#define CALL_EVERY    10u  /* ms */
#define SEND_EVERY    1u
#define STATUS_EVERY  100u
#define MAX_UIO       16

/* ---- Linux: time, affinity, uio ------------------------------------------------------------ */

struct time64 { long long sec; long long nsec; };

/* Milliseconds of CLOCK_MONOTONIC, in 32-bit arithmetic (no libgcc for 64-bit division here). */
static uint32_t now_ms(void)
{
    struct time64 t;
    if (my_syscall2(__NR_clock_gettime64, CLOCK_MONOTONIC, &t) != 0)
        return 0;
    return (uint32_t)t.sec * 1000u + (uint32_t)t.nsec / 1000000u;
}

static int pin_to_hart0(void)
{
    unsigned long mask = 1;
    return my_syscall3(__NR_sched_setaffinity, 0, sizeof(mask), &mask);
}

static int read_text(const char *path, char *buf, int cap)
{
    int fd = open(path, O_RDONLY, 0);
    if (fd < 0)
        return -1;
    int n = read(fd, buf, cap - 1);
    close(fd);
    if (n < 0)
        return -1;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == 0))
        n--;
    buf[n] = 0;
    return n;
}

/* prefix, the number i (0..99), suffix: nolibc 6.1 has no snprintf. */
static void numbered(char *out, const char *prefix, int i, const char *suffix)
{
    while (*prefix)
        *out++ = *prefix++;
    if (i >= 10)
        *out++ = (char)('0' + i / 10);
    *out++ = (char)('0' + i % 10);
    while (*suffix)
        *out++ = *suffix++;
    *out = 0;
}

/* Maps map0 of the uio device whose name (its device-tree node) is `name`; 0 if there is none. */
static volatile uint8_t *map_uio(const char *name, uint32_t bytes)
{
    char path[64], text[64];
    for (int i = 0; i < MAX_UIO; i++) {
        numbered(path, "/sys/class/uio/uio", i, "/name");
        if (read_text(path, text, sizeof(text)) < 0 || strcmp(text, name) != 0)
            continue;
        numbered(path, "/dev/uio", i, "");
        int fd = open(path, O_RDWR, 0);
        if (fd < 0)
            return 0;
        void *at = mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        return at == MAP_FAILED ? 0 : (volatile uint8_t *)at;
    }
    return 0;
}

static uint32_t next_after(uint32_t due, uint32_t every, uint32_t now)
{
    due += every;
    return (int32_t)(due - now) > 0 ? due : now + every;
}

/* /sys and /dev, where uio shows its devices (already there when the init mounted them). */
static void mount_filesystems(void)
{
    mkdir("/sys", 0755);
    mkdir("/dev", 0755);
    mount("sysfs", "/sys", "sysfs", 0, 0);
    mount("devtmpfs", "/dev", "devtmpfs", 0, 0);
}

int main(void)
{
    mount_filesystems();
    if (pin_to_hart0() != 0) {
        puts("rich: cannot pin to hart 0 (the IPC registers are per vCPU)");
        return 2;
    }
    tessera_hv = map_uio("hv-services", 4096);
    tessera_doorbell = map_uio("doorbell", 4096);
    if (tessera_hv == 0 || tessera_doorbell == 0 || hv_read(HV_MAGIC) != HV_MAGIC_VALUE || hv_read(HV_VERSION) < 2 || doorbell_channels() < 2) {
        puts("rich: needs a Tessera VM with hv-services and doorbell uio devices and two channels (0: PIN service, 1: modem ring)");
        return 2;
    }
    uint32_t window_bytes = doorbell_read(RICH_CH_MODEM, DOORBELL_CH_SIZE);
    volatile uint8_t *window = map_uio("channel-modem", window_bytes);
    if (window == 0) {
        puts("rich: no uio device channel-modem for the modem window");
        return 2;
    }
    int rc = ring_init(&modem, (void *)window, window_bytes, MODEM_SLOT);
    if (rc != RING_OK) {
        printf("rich: cannot lay out the modem ring on channel 1: %s\n", ring_strerror(rc));
        return 3;
    }
    ring_set_kick(&modem, kick, 0);
    modem_up = 1;
    doorbell_ring(RICH_CH_MODEM);
    printf("rich: Linux process %d on hart 0; a PIN check every 10 ms on channel 0; %u modem commands every 1 ms on channel 1\n",
           getpid(), (unsigned)SEND_BURST);
    hv_ready(0);

    pin.wrong_in_row = PIN_TRIES - 1;
    uint32_t start = now_ms(), next_send = start + SEND_EVERY, next_call = start + CALL_EVERY, next_status = start + STATUS_EVERY;
    uint32_t spin = 0;
    for (;;) {
        for (int i = 0; i < 2000; i++)  /* a little work between two looks at the clock */
            spin = mix32(spin + (uint32_t)i);
        uint32_t now = now_ms();
        if ((int32_t)(now - next_send) >= 0) {
            send_burst();
            next_send = next_after(next_send, SEND_EVERY, now);
        }
        if ((int32_t)(now - next_call) >= 0) {
            call_pin();
            next_call = next_after(next_call, CALL_EVERY, now);
        }
        if ((int32_t)(now - next_status) >= 0) {
            printf("rich: t=%u ms work 0x%08x | pin: %u calls, %u answered (%u yes, %u no), %u wrong, %u lost, "
                   "%u dup, %u interrupted | modem: %u sent, %u ring full\n",
                   (unsigned)(now - start), (unsigned)spin, (unsigned)pin.seq, (unsigned)pin.answered,
                   (unsigned)pin.yes, (unsigned)pin.no, (unsigned)pin.wrong, (unsigned)pin.lost, (unsigned)pin.dup,
                   (unsigned)pin.interrupted, (unsigned)modem_seq, (unsigned)modem_full);
            next_status = next_after(next_status, STATUS_EVERY, now);
            hv_watchdog_kick(); /* a VM given a watchdog is restarted if this loop ever stops */
        }
    }
}
