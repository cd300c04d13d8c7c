/* tessera-init: PID 1 of the Tessera rv32 Linux guest.
 *
 * Checks that the kernel and the emulated SoC work together, then powers the
 * machine off (or reboots it, with tessera.end=reboot on the command line): mounts /proc and /dev, lists the harts from /proc/cpuinfo, runs
 * one CPU-bound CRC32 worker per hart (each pinned to its hart, results sent
 * back through pipes), checks that a 10 ms sleep lasts at least 10 ms, and
 * prints a verdict. Every line starts with "tessera-init:" and carries no
 * timing numbers, so two runs print the same bytes. Built with the kernel's
 * nolibc by guests/linux/build.sh. */
#include "nolibc-rv32.h"

#define MAX_WORKERS 8
#define WORK_BYTES 4096
#define WORK_PASSES 64
#define CPUINFO_BYTES 8192

/* Result of worker N when run on a correct machine (from the same code on a host). */
static const unsigned int expected_crc[MAX_WORKERS] = {
	0x4c79c77a, 0xea688df5, 0x143f8d2b, 0x52862ea4,
	0xdc4f4c4c, 0xcec4af60, 0xd9bb49fe, 0x02bf4ea1,
};

struct worker_report {
	unsigned int index;
	unsigned int crc;
	int pinned;	/* 0 when sched_setaffinity succeeded */
	unsigned int cpu;	/* hart the worker finished on (getcpu) */
};

struct time64 {
	long long sec;
	long long nsec;
};

static int failures;

/* --- output: one write() per line so lines never interleave ----------- */

static char line_buf[256];
static unsigned int line_len;

static void put_str(const char *s)
{
	while (*s && line_len < sizeof(line_buf) - 1)
		line_buf[line_len++] = *s++;
}

static void put_dec(unsigned int v)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n && line_len < sizeof(line_buf) - 1)
		line_buf[line_len++] = tmp[--n];
}

static void put_hex8(unsigned int v)
{
	static const char digits[] = "0123456789abcdef";
	int shift;

	put_str("0x");
	for (shift = 28; shift >= 0 && line_len < sizeof(line_buf) - 1; shift -= 4)
		line_buf[line_len++] = digits[(v >> shift) & 0xf];
}

static void begin_line(void)
{
	line_len = 0;
	put_str("tessera-init: ");
}

static void end_line(void)
{
	line_buf[line_len++] = '\n';
	write(1, line_buf, line_len);
}

static void say(const char *s)
{
	begin_line();
	put_str(s);
	end_line();
}

static void fail(const char *what)
{
	failures++;
	begin_line();
	put_str("FAIL ");
	put_str(what);
	end_line();
}

/* --- system calls nolibc 6.1 lacks on rv32 ------------------------------ */

static int pipe_fds(int fds[2])
{
	return my_syscall2(__NR_pipe2, fds, 0);
}

static int pin_to_hart(unsigned int hart)
{
	unsigned long mask = 1UL << hart;

	return my_syscall3(__NR_sched_setaffinity, 0, sizeof(mask), &mask);
}

static unsigned int current_cpu(void)
{
	unsigned int cpu = ~0u;

	my_syscall3(__NR_getcpu, &cpu, 0, 0);
	return cpu;
}

static int monotonic_now(struct time64 *t)
{
	return my_syscall2(__NR_clock_gettime64, CLOCK_MONOTONIC, t);
}

static int sleep_ns(long long ns)
{
	struct time64 req = { ns / 1000000000LL, ns % 1000000000LL };

	return my_syscall4(__NR_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, &req, 0);
}

/* Waits for any child; returns its pid and stores its exit code, or -1 if the
 * child did not exit normally. siginfo for SIGCHLD: si_code at word 2, si_pid
 * at word 3, si_status at word 5. */
static int wait_child(int *exit_code)
{
	int info[32] = { 0 };
	int ret = my_syscall5(__NR_waitid, 0 /* P_ALL */, 0, info, 4 /* WEXITED */, 0);

	if (ret < 0)
		return ret;
	*exit_code = info[2] == 1 /* CLD_EXITED */ ? info[5] : -1;
	return info[3];
}

/* --- steps ---------------------------------------------------------------- */

static void mount_filesystems(void)
{
	mkdir("/proc", 0555);
	mkdir("/dev", 0755);
	if (mount("proc", "/proc", "proc", 0, 0) != 0)
		fail("mount /proc");
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, 0) != 0)
		fail("mount devtmpfs on /dev");
}

/* Copies the value after "key<tabs>: " on the line at p into the output. */
static void put_field(const char *p)
{
	while (*p && *p != ':' && *p != '\n')
		p++;
	if (*p == ':')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != '\n' && line_len < sizeof(line_buf) - 1)
		line_buf[line_len++] = *p++;
}

static int starts_with(const char *p, const char *key)
{
	while (*key)
		if (*p++ != *key++)
			return 0;
	return 1;
}

/* Prints one line per processor entry and returns how many there are. */
static unsigned int report_harts(void)
{
	static char info[CPUINFO_BYTES];
	unsigned int used = 0, harts = 0;
	const char *p;
	int fd = open("/proc/cpuinfo", O_RDONLY, 0);
	ssize_t n;

	if (fd < 0) {
		fail("open /proc/cpuinfo");
		return 1;
	}
	while (used < sizeof(info) - 1 && (n = read(fd, info + used, sizeof(info) - 1 - used)) > 0)
		used += n;
	info[used] = 0;
	close(fd);

	for (p = info; *p; ) {
		if (starts_with(p, "processor")) {
			if (harts)
				end_line();
			harts++;
			begin_line();
			put_str("processor ");
			put_field(p);
		} else if (harts && (starts_with(p, "hart") || starts_with(p, "mmu"))) {
			/* The isa line is left out: it names the host's extensions
			 * (QEMU and Tessera differ), and the lines should compare. */
			put_str(starts_with(p, "hart") ? " hart " : " mmu ");
			put_field(p);
		}
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	if (harts)
		end_line();
	begin_line();
	put_dec(harts);
	put_str(harts == 1 ? " hart online" : " harts online");
	end_line();
	if (!harts) {
		fail("no processor in /proc/cpuinfo");
		harts = 1;
	}
	return harts;
}

/* Reflected CRC-32 (polynomial 0xedb88320), one bit at a time on purpose:
 * it keeps the hart busy with plain integer work. */
static unsigned int crc32_update(unsigned int crc, const unsigned char *buf, unsigned int len)
{
	unsigned int i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= buf[i];
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
	}
	return crc;
}

/* The worker's job: a buffer filled from a seed, CRC'd WORK_PASSES times,
 * each pass chained on the previous result. */
static unsigned int worker_checksum(unsigned int index)
{
	static unsigned char buf[WORK_BYTES];
	unsigned int seed = 0x9e3779b9u * (index + 1), crc = 0xffffffffu, i;

	for (i = 0; i < WORK_BYTES; i++) {
		seed = seed * 1664525u + 1013904223u;
		buf[i] = seed >> 24;
	}
	for (i = 0; i < WORK_PASSES; i++)
		crc = crc32_update(crc, buf, WORK_BYTES);
	return ~crc;
}

static void worker_main(unsigned int index, int out_fd)
{
	struct worker_report r;

	r.index = index;
	r.pinned = pin_to_hart(index);
	r.crc = worker_checksum(index);
	r.cpu = current_cpu();
	exit(write(out_fd, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

static void run_workers(unsigned int harts)
{
	int fds[MAX_WORKERS][2];
	unsigned int i, workers = harts > MAX_WORKERS ? MAX_WORKERS : harts;
	int code;

	for (i = 0; i < workers; i++) {
		if (pipe_fds(fds[i]) != 0) {
			fail("pipe");
			return;
		}
		int pid = fork();

		if (pid < 0) {
			fail("fork");
			return;
		}
		if (pid == 0) {
			close(fds[i][0]);
			worker_main(i, fds[i][1]);
		}
		close(fds[i][1]);
	}

	/* Read in worker order so the output never depends on who finished first. */
	for (i = 0; i < workers; i++) {
		struct worker_report r;
		ssize_t got = read(fds[i][0], &r, sizeof(r));

		close(fds[i][0]);
		begin_line();
		put_str("worker ");
		put_dec(i);
		if (got != sizeof(r) || r.index != i) {
			put_str(" sent no result");
			end_line();
			fail("worker result");
			continue;
		}
		put_str(" crc=");
		put_hex8(r.crc);
		put_str(r.crc == expected_crc[i] ? " ok" : " WRONG");
		if (r.pinned == 0) {
			put_str(" pinned cpu=");
			put_dec(r.cpu);
		} else {
			put_str(" not pinned");
		}
		end_line();
		if (r.crc != expected_crc[i])
			fail("worker checksum");
		if (r.pinned != 0 || r.cpu != i)
			fail("worker pinning");
	}

	for (i = 0; i < workers; i++)
		if (wait_child(&code) < 0 || code != 0)
			fail("worker exit status");
}

static void check_timer(void)
{
	struct time64 t0, t1;
	long long elapsed;

	if (monotonic_now(&t0) != 0 || sleep_ns(10000000LL) != 0 || monotonic_now(&t1) != 0) {
		fail("clock_gettime/clock_nanosleep");
		return;
	}
	elapsed = (t1.sec - t0.sec) * 1000000000LL + (t1.nsec - t0.nsec);
	if (elapsed >= 10000000LL)
		say("sleep of 10 ms took >= 10 ms: ok");
	else
		fail("sleep of 10 ms returned early");
}

/* The value of KEY (e.g. "tessera.exec=") on the kernel command line, up to the next space; NULL when absent. */
static char *cmdline_value(const char *key)
{
	static char cmdline[1024];
	int fd = open("/proc/cmdline", O_RDONLY, 0);
	int n = fd < 0 ? -1 : read(fd, cmdline, sizeof(cmdline) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	cmdline[n] = 0;
	unsigned int key_len = 0;
	while (key[key_len])
		key_len++;
	for (char *p = cmdline; *p; p++) {
		if ((p != cmdline && p[-1] != ' ') || !starts_with(p, key))
			continue;
		char *value = p + key_len, *end = value;
		while (*end && *end != ' ' && *end != '\n')
			end++;
		*end = 0;
		return value;
	}
	return 0;
}

/* tessera.exec=PATH: a program to run in init's place once the checks are done
 * (scenarios/phone-linux.json runs /bin/phone so), instead of powering off. */
static void run_requested_program(void)
{
	char *path = cmdline_value("tessera.exec=");
	if (path == 0)
		return;
	begin_line();
	put_str("running ");
	put_str(path);
	end_line();
	char *argv[] = { path, 0 }, *envp[] = { 0 };
	execve(path, argv, envp);
	fail("exec of the tessera.exec= program");
}

int main(void)
{
	unsigned int harts;

	mount_filesystems();
	say("start");
	harts = report_harts();
	run_workers(harts);
	check_timer();

	if (failures == 0) {
		say("all checks passed");
	} else {
		begin_line();
		put_dec(failures);
		put_str(" checks failed");
		end_line();
	}
	run_requested_program();
	/* tessera.end=reboot: restart the machine through the kernel's own reboot path (SBI SRST) instead. */
	char *end = cmdline_value("tessera.end=");
	int restart = end != 0 && starts_with(end, "reboot") && end[6] == 0;
	say(restart ? "rebooting" : "powering off");
	my_syscall0(__NR_sync);
	reboot(restart ? LINUX_REBOOT_CMD_RESTART : LINUX_REBOOT_CMD_POWER_OFF);
	say(restart ? "FAIL reboot returned" : "FAIL power-off returned");
	for (;;)
		sleep_ns(1000000000LL);
}
