// Which of the validator's problem lines the JSON Schema states too ("shape") and which it cannot ("semantic").
//
// A line is semantic when what it says depends on more than the value of the field it names, in a
// way JSON Schema has no keyword for:
// - another field's value: a budget within its period, a budget or a time window longer than
//   scheduler.switchCost, a core below `cores`, a channel window that ends past 2^32 given the
//   channel's size;
// - other items of an array by one of their fields: unique VM and channel names, an interrupt
//   unique within a VM, windows that overlap on a core, a VM with no window;
// - a name that must name something elsewhere: the VM of a time window, of an endpoint, of a ring;
// - placement: partitions, channel windows and update slots in physical memory, vCPUs on cores;
// - a file: a guest that cannot be read, is no RISC-V ELF or does not fit the VM's RAM;
// - the value of a size or an address written as a string ("64M", "0x90000800"): the schema checks
//   how it is spelt, not the number it spells (whole pages, bounds).
// Everything else is shape — a type, an enum, a number's bounds or multiple, a string's length or
// pattern, an array's length or repeated items, a required or an unknown field, a field of another
// policy, a budget without a period, irq 10 — and the schema must reject it too.
//
// The semantic lines are listed one pattern each; any other line counts as shape, so a new rule is
// held to the schema until it is listed here (and the parity test says so if the schema lacks it).

export type ProblemKind = 'shape' | 'semantic';

/** Messages (what follows "path: ") that only the validator can check, each with an example line. */
export const SEMANTIC_MESSAGES: readonly { pattern: RegExp; example: string }[] = [
  { pattern: /^"[^"]*" is already the name of (vms|channels)\[\d+\]$/, example: 'vms[1].name: "alpha" is already the name of vms[0]' },
  { pattern: /^no VM is named ".*"$/, example: 'channels[0].endpoints[1].vm: no VM is named "gamma"' },
  {
    pattern: /^"[^"]*" is already endpoints\[0\]: a channel joins two different VMs$/,
    example: 'channels[0].endpoints[1].vm: "alpha" is already endpoints[0]: a channel joins two different VMs',
  },
  { pattern: /^".*" is not an endpoint of this channel \(.*\)$/, example: 'channels[0].ring: "gamma" is not an endpoint of this channel ("alpha" or "beta")' },
  { pattern: /^\d+ is already taken in vms\[\d+\] by channels\[\d+\]\.endpoints\[\d\]$/, example: 'channels[1].endpoints[0].irq: 32 is already taken in vms[0] by channels[0].endpoints[0]' },
  { pattern: /^window 0x[0-9a-f]+\.\.0x[0-9a-f]+ ends past the 32-bit address space$/, example: 'channels[0].endpoints[0].address: window 0xffffe000..0x100001fff ends past the 32-bit address space' },
  { pattern: /^window 0x[0-9a-f]+\.\.0x[0-9a-f]+ overlaps /, example: "channels[0].endpoints[0].address: window 0x80000000..0x80003fff overlaps the VM's RAM (0x80000000..0x800fffff)" },
  { pattern: /^(window|partition) 0x[0-9a-f]+\.\.0x[0-9a-f]+ ends past the end of physical memory \(.*\)$/, example: 'vms[0].physicalBase: partition 0xf00000..0x10fffff ends past the end of physical memory (16 MiB)' },
  { pattern: /^partition 0x[0-9a-f]+\.\.0x[0-9a-f]+ overlaps vms\[\d+\] \(.*\)$/, example: 'vms[0].physicalBase: partition 0x100000..0x1fffff overlaps vms[1] (0x180000..0x27ffff)' },
  { pattern: /^partitions need .* but memory is .*$/, example: 'vms: partitions need 80 MiB but memory is 64 MiB' },
  { pattern: /^partitions \(.*\) and channel windows \(.*\) need .* but memory is .*$/, example: 'channels: partitions (3 MiB) and channel windows (2 MiB) need 5 MiB but memory is 4 MiB' },
  { pattern: /^no free .* range is left in physical memory /, example: 'vms[1].ram: no free 8 MiB range is left in physical memory (16 MiB) between the partitions with an explicit physicalBase' },
  { pattern: /^core \d+ is out of range \(the scenario has \d+ cores?\)$/, example: 'vms[0].affinity[1]: core 2 is out of range (the scenario has 2 cores)' },
  { pattern: /^core \d+ already runs vms\[\d+\] vCPU \d+$/, example: 'vms[1].affinity[0]: core 0 already runs vms[0] vCPU 0' },
  { pattern: /^partitioned needs a core for each of the VM's \d+ vCPUs \(got \d+\)$/, example: "vms[0].affinity: partitioned needs a core for each of the VM's 2 vCPUs (got 1)" },
  { pattern: /^partitioned gives every vCPU its own core: /, example: 'vms: partitioned gives every vCPU its own core: 3 vCPUs need 3 cores, the scenario has 2' },
  { pattern: /^vms\[\d+\] has no vCPU allowed on core \d+ \(its affinity is \[.*\]\)$/, example: 'scheduler.windows[2]: vms[1] has no vCPU allowed on core 0 (its affinity is [1])' },
  { pattern: /^ends at \d+, past the major frame \(\d+\)$/, example: 'scheduler.windows[1]: ends at 1200000, past the major frame (1000000)' },
  { pattern: /^overlaps scheduler\.windows\[\d+\] on core \d+$/, example: 'scheduler.windows[3]: overlaps scheduler.windows[0] on core 0' },
  { pattern: /^has no window in scheduler\.windows$/, example: 'vms[1]: has no window in scheduler.windows' },
  { pattern: /^\d+ is more than the period \(\d+\)$/, example: 'vms[0].budget: 3000 is more than the period (2000)' },
  {
    pattern: /^\d+ must be more than scheduler\.switchCost \(\d+\), /,
    example: 'vms[0].budget: 5000 must be more than scheduler.switchCost (5000), or switching to the VM takes its whole budget',
  },
  // A size or an address spelt correctly as a string, whose value is wrong.
  { pattern: /^must be (a multiple of 4 KiB|at least .*|at most .*|4 KiB aligned|an address from 0x[0-9a-f]+ to 0x[0-9a-f]+) \(got ".*"\)$/, example: 'memory: must be at most 2 GiB (got "4G")' },
];

/** What a guest line says when it is about the field itself, not about the file it names. */
const GUEST_SHAPE = /^(required but missing.*|must be a string of .*|cannot be given with kernel .*|only with kernel)$/;

const UNKNOWN_FIELD = /: unknown field( \(did you mean "[^"]*"\?\))?$/;

/** The "… and N more problems" line: the problems it counts are not shown, so no kind can be given. */
export const MORE_PROBLEMS = /^… and \d+ more problems?$/;

/** The kind of one line of validateScenario's errors. */
export function problemKind(line: string): ProblemKind {
  if (MORE_PROBLEMS.test(line)) throw new Error(`${line}: a line that counts hidden problems has no kind`);
  // Only an unknown field's path can hold an odd key (quoted, maybe with ": " in it).
  if (UNKNOWN_FIELD.test(line)) return 'shape';
  const colon = line.indexOf(': ');
  if (colon < 0) throw new Error(`${line}: not a problem line ("path: message")`);
  const path = line.slice(0, colon);
  const message = line.slice(colon + 2);
  if (/\.(guest|kernel|initrd)$/.test(path) && !GUEST_SHAPE.test(message)) return 'semantic';
  return SEMANTIC_MESSAGES.some(({ pattern }) => pattern.test(message)) ? 'semantic' : 'shape';
}

/** The field a line is about, as the validator spells it. */
export function problemField(line: string): string {
  const unknown = UNKNOWN_FIELD.exec(line);
  return unknown === null ? line.slice(0, line.indexOf(': ')) : line.slice(0, unknown.index);
}

/** What a line says of its field. */
export function problemMessage(line: string): string {
  return line.slice(problemField(line).length + 2);
}
