// `tessera run GUEST.elf`: a bare QEMU-virt-like machine, UART on stdout, exit code = the guest's.

import { ElfError } from '../loader/elf.js';
import { KernelBootError, planKernelBoot, type KernelBoot, type KernelBootFiles } from '../loader/kernel-boot.js';
import { GuestFileError, readGuestFile } from '../host/guest-file.js';
import { Machine, MAX_HARTS, type MachineExit, type MachineOptions } from '../host/machine.js';
import { DEFAULT_RAM_BYTES, MAX_RAM_BYTES, PAGE_SIZE } from '../memory/memory-map.js';
import { integerOption, parseOptions, secondsOption, shown, sizeOption, UsageError } from './args.js';
import { RUN_OPTIONS as OPTIONS } from './run-options.js';
import type { CommandIo } from './command-io.js';
import { EXIT_BAD_INPUT, EXIT_LIMIT, EXIT_MACHINE_FAILURE } from './exit-codes.js';
import { Progress } from './progress.js';
import { runScenario } from './run-scenario.js';

export const RUN_USAGE = `usage: tessera run GUEST.elf [options]
       tessera run --kernel Image [--initrd FILE] [--append ARGS] [--bios FILE|none] [options]
       tessera run SCENARIO.json [--duration SECONDS] [--json FILE] [--trace FILE]

With an ELF: runs a bare-metal RV32IMAC program on a machine like QEMU's virt
board (qemu-system-riscv32 -M virt -bios none). The guest's UART goes to stdout
and stdin goes to its UART; the exit code is the guest's (test device or HTIF).

With a scenario: runs its VMs on the hypervisor, prints each VM's console
prefixed by its name, and ends with a per-VM table (state, instructions, MIPS,
interrupts, latency, violations, restarts). Exit code 1 when a VM failed against
its fault policy, 3 when the scenario is invalid or the --json or --trace file cannot be written.

scenario options:
  --duration SECONDS     stop after this much virtual time (default: until every VM ended)
  --json FILE            also write the final metrics and the event log as JSON
  --trace FILE           stream a Chrome Trace Event JSON file (open it in ui.perfetto.dev):
                         a track per core with vCPU runs, interrupts and their latency,
                         IPC and doorbells as arrows, and a track per VM with its lifecycle
  --control SOCKET       serve 'tessera update|wipe|vm' on this Unix socket
                         (default: tessera-SCENARIO.sock in the temporary folder); a stale
                         socket there is replaced, any other file is refused and left alone

With --kernel: boots a kernel (a RISC-V Image or an ELF) as qemu-system-riscv32
-M virt does: at 0x80400000, the initrd and the device tree above it (/chosen
bootargs, linux,initrd-start/end), hart 0 entered in S-mode with a0 = hartid and
a1 = the device tree, the other harts started by the kernel (SBI HSM). Tessera's
built-in SBI v2.0 serves the kernel unless --bios gives an M-mode firmware, which
then runs first at 0x80000000 with a2 = QEMU's fw_dynamic_info (as OpenSBI
fw_dynamic expects); --bios none enters the kernel itself in M-mode at 0x80000000.

kernel options:
  --kernel FILE          the kernel to boot
  --initrd FILE          an initial ramdisk (linux,initrd-start/end in /chosen)
  --append ARGS          the kernel command line (/chosen bootargs)
  --bios FILE|none       an M-mode firmware (ELF or raw binary at 0x80000000)

ELF and kernel options:
  --harts N              harts, each in its own worker thread (1..${MAX_HARTS}, default 1)
  --mem SIZE             RAM at 0x80000000, e.g. 64M, 1G (default 256M)
  --max-instructions N   stop when a hart has retired N instructions
  --timeout SECONDS      stop after this much wall-clock time, counted from the start
                         (reading and loading the guest included)
  --quantum N            instructions per slice between signal checks (default 10000)
  -h, --help             show this help

exit codes: the guest's code; 2 usage error; 3 unloadable guest file;
124 stopped by --timeout or --max-instructions; 125 trap loop, deadlock or crashed worker`;


export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseOptions(argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(RUN_USAGE + '\n');
    return 0;
  }
  const kernelPath = args.values.kernel;
  if (kernelPath === undefined) {
    for (const option of ['initrd', 'append', 'bios'] as const) {
      if (args.values[option] !== undefined) throw new UsageError(`--${option} needs --kernel`);
    }
  } else if (args.positionals.length > 0) {
    throw new UsageError(`run boots either --kernel or a guest file, not both (got '${shown(args.positionals[0])}' too)`);
  }
  if (kernelPath === undefined && args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'run needs a guest ELF or scenario file' : `run takes one file, got ${args.positionals.length}`);
  if (kernelPath === undefined && args.positionals[0].endsWith('.json')) {
    for (const option of ['harts', 'mem', 'max-instructions', 'timeout', 'quantum'] as const) {
      if (args.values[option] !== undefined) throw new UsageError(`--${option} is for ELF guests; a scenario sets it in its file`);
    }
    return runScenario(args.positionals[0], args, io);
  }
  for (const option of ['duration', 'json', 'trace'] as const) {
    if (args.values[option] !== undefined) throw new UsageError(`--${option} is for scenario files`);
  }
  const harts = integerOption(args, 'harts', 1, MAX_HARTS) ?? 1;
  const instructionLimit = integerOption(args, 'max-instructions', 1, Number.MAX_SAFE_INTEGER);
  const quantum = integerOption(args, 'quantum', 1, 100_000_000);
  const timeout = secondsOption(args, 'timeout');
  const ramBytes = sizeOption(args, 'mem', PAGE_SIZE, MAX_RAM_BYTES);

  // --timeout counts from here: reading and loading the guest count against it too.
  const limit = timeout === undefined ? undefined : new Deadline(timeout);
  const source: GuestSource = kernelPath === undefined ? { elf: args.positionals[0] } : {
    kernel: kernelPath,
    ...(args.values.initrd !== undefined ? { initrd: args.values.initrd } : {}),
    ...(args.values.append !== undefined ? { append: args.values.append } : {}),
    ...(args.values.bios !== undefined ? { bios: args.values.bios } : {}),
  };
  try {
    return await runGuest(source, {
      harts,
      ...(ramBytes !== undefined ? { ramBytes } : {}),
      ...(instructionLimit !== undefined ? { instructionLimit } : {}),
      ...(quantum !== undefined ? { quantum } : {}),
      onOutput: (bytes) => io.stdout.write(bytes),
    }, io, limit);
  } finally {
    limit?.clear();
  }
}

/** Aborts what is under way when the --timeout ends: the guest file's read, or the machine's run. */
class Deadline {
  readonly reason: Error;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(seconds: number) {
    this.reason = new Error(`timeout after ${seconds} s`);
    this.timer = setTimeout(() => this.controller.abort(this.reason), seconds * 1000);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/** What `run` boots: a guest ELF, or a kernel with its initrd, command line and firmware. */
type GuestSource = { elf: string } | { kernel: string; initrd?: string; append?: string; bios?: string };

async function runGuest(source: GuestSource, options: MachineOptions, io: CommandIo, limit: Deadline | undefined): Promise<number> {
  const timedOut = () => {
    io.stderr.write(`tessera: ${limit!.reason.message}\n`);
    return EXIT_LIMIT;
  };
  const read = (path: string) => readGuestFile(path, limit === undefined ? {} : { signal: limit.signal });
  let program: Uint8Array | KernelBoot;
  let label: string;
  try {
    if ('elf' in source) {
      label = source.elf;
      program = await read(source.elf);
    } else {
      label = source.kernel;
      const files: KernelBootFiles = { kernel: await read(source.kernel) };
      if (source.initrd !== undefined) files.initrd = await read(source.initrd);
      if (source.append !== undefined) files.bootargs = source.append;
      if (source.bios !== undefined) files.bios = source.bios === 'none' ? 'none' : await read(source.bios);
      program = planKernelBoot(files, options.harts ?? 1, options.ramBytes ?? DEFAULT_RAM_BYTES);
    }
  } catch (error) {
    if (limit !== undefined && error === limit.reason) return timedOut();
    if (!(error instanceof GuestFileError || error instanceof KernelBootError || error instanceof RangeError)) throw error;
    io.stderr.write(`tessera: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }

  let machine: Machine;
  try {
    machine = await Machine.create(program, options);
  } catch (error) {
    if (error instanceof ElfError || error instanceof RangeError) {
      io.stderr.write(`tessera: ${label}: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
  if (limit?.signal.aborted) {
    await machine.dispose();
    return timedOut();
  }

  const progress = new Progress(io.stderr, () => machine.instructionsRetired().reduce((a, b) => a + b, 0));
  const stopAtDeadline = () => machine.stop(limit!.reason.message);
  limit?.signal.addEventListener('abort', stopAtDeadline);
  const detachInput = attachInput(io.stdin, machine);
  let exit: MachineExit;
  try {
    exit = await machine.run();
  } finally {
    limit?.signal.removeEventListener('abort', stopAtDeadline);
    detachInput();
    progress.stop();
    await machine.dispose();
  }
  return report(exit, io);
}

function report(exit: MachineExit, io: CommandIo): number {
  switch (exit.kind) {
    case 'guest':
      // A non-zero code whose low byte is zero must not read as success to the shell.
      return exit.code === 0 ? 0 : (exit.code & 0xff) || 1;
    case 'instruction-limit':
      io.stderr.write(`tessera: ${exit.message}\n`);
      return EXIT_LIMIT;
    case 'stopped':
      io.stderr.write(`tessera: ${exit.message}\n`);
      return exit.message.startsWith('timeout') ? EXIT_LIMIT : EXIT_MACHINE_FAILURE;
    default:
      io.stderr.write(`tessera: ${exit.message}\n`);
      return EXIT_MACHINE_FAILURE;
  }
}

/** Forwards stdin to the guest's UART (raw mode on a terminal); returns a function that detaches. */
function attachInput(stdin: CommandIo['stdin'], machine: Machine): () => void {
  if (stdin === undefined || !stdin.isTTY) return () => undefined;
  stdin.setRawMode?.(true);
  const onData = (chunk: Uint8Array) => {
    // Ctrl-A x quits, as in QEMU's -nographic console.
    if (chunk.includes(0x01) && chunk.includes(0x78)) machine.stop('stopped by the user');
    else machine.input(chunk);
  };
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode?.(false);
    stdin.pause();
  };
}
