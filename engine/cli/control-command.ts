// `tessera update VM ELF`, `tessera wipe VM`, `tessera vm ACTION VM`: commands for a scenario that
// `tessera run` is running, sent over its control socket.

import { absolutePath, ControlAnswerError, controlFolder, findRunningSystem, sendControlRequest } from '../host/control-client.js';
import { fileErrorReason } from '../host/guest-file.js';
import { LIFECYCLE_COMMANDS, type ControlRequest, type ControlResponse } from '../system/control-protocol.js';
import { parseOptions, shown, UsageError } from './args.js';
import { EXIT_BAD_INPUT, EXIT_NO_SYSTEM } from './exit-codes.js';
import type { CommandIo } from './command-io.js';

export const CONTROL_USAGE = `usage: tessera update VM NEW.elf [--control SOCKET]
       tessera wipe VM [--control SOCKET]
       tessera vm start|pause|resume|stop|restart|destroy VM [--control SOCKET]

Commands for a scenario that 'tessera run SCENARIO.json' is running (it prints its
control socket). update boots NEW.elf as the VM's new version in its update slot
(for a kernel VM: a new kernel, a RISC-V Image or an ELF, with the VM's initrd and
command line), switches the VM's channels to it once it reports ready and stops the
old version, or rolls back; wipe zeroes the VM's partition and halts it. Without --control, the
one running tessera is found in ${controlFolder()}.

exit codes: 0 done; 1 the update was rolled back; 2 usage error; 3 refused
(unknown VM, wrong state, bad image, too many clients: nothing changed); 4 no
running tessera, or no valid answer from it`;

/** Exit code when an update failed and was rolled back. */
const EXIT_ROLLED_BACK = 1;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  control: { type: 'string' },
} as const;

export async function controlCommand(command: 'update' | 'wipe' | 'vm', argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseOptions(argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(CONTROL_USAGE + '\n');
    return 0;
  }
  const request = requestOf(command, args.positionals);
  const path = args.values.control ?? (await findRunningSystem());
  if (typeof path !== 'string') {
    io.stderr.write(`tessera: ${path.error}\n`);
    return EXIT_NO_SYSTEM;
  }
  let response: ControlResponse;
  try {
    response = await sendControlRequest(path, request);
  } catch (error) {
    io.stderr.write(`tessera: ${error instanceof ControlAnswerError ? error.message : `cannot reach a running tessera at ${path}: ${unreachable(error)}`}\n`);
    return EXIT_NO_SYSTEM;
  }
  if (response.ok) {
    io.stdout.write(`${response.message}\n`);
    return 0;
  }
  io.stderr.write(`tessera: ${response.error}\n`);
  return response.kind === 'rolled-back' ? EXIT_ROLLED_BACK : EXIT_BAD_INPUT;
}

function unreachable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'nothing listens on it (a run that ended without removing it?)';
  if (code === 'ENOTSOCK') return 'not a socket';
  return fileErrorReason(error);
}

function requestOf(command: 'update' | 'wipe' | 'vm', positional: string[]): ControlRequest {
  const want = (count: number, shape: string) => {
    if (positional.length !== count) throw new UsageError(`${command} takes ${shape}`);
  };
  switch (command) {
    case 'update':
      want(2, 'a VM name and an ELF file');
      // The running system may have another working directory: send an absolute path.
      return { command: 'update', vm: positional[0], elf: absolutePath(positional[1]) };
    case 'wipe':
      want(1, 'a VM name');
      return { command: 'wipe', vm: positional[0] };
    case 'vm': {
      want(2, `an action (${LIFECYCLE_COMMANDS.join(', ')}) and a VM name`);
      const action = positional[0];
      if (!(LIFECYCLE_COMMANDS as readonly string[]).includes(action)) throw new UsageError(`unknown VM action '${shown(action)}' (${LIFECYCLE_COMMANDS.join(', ')})`);
      return { command: action as (typeof LIFECYCLE_COMMANDS)[number], vm: positional[1] };
    }
  }
}
