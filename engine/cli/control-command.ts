// `tessera update VM ELF`, `tessera wipe VM`, `tessera vm ACTION VM`: commands for a scenario that
// `tessera run` is running, sent over its control socket.

import { readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, UsageError } from './args.js';
import { LIFECYCLE_COMMANDS, MAX_REQUEST_BYTES, type ControlRequest, type ControlResponse } from './control-protocol.js';
import { socketIsLive } from './control-server.js';
import { EXIT_BAD_INPUT, EXIT_NO_SYSTEM } from './exit-codes.js';
import type { CommandIo } from './run-command.js';

export const CONTROL_USAGE = `usage: tessera update VM NEW.elf [--control SOCKET]
       tessera wipe VM [--control SOCKET]
       tessera vm start|pause|resume|stop|restart|destroy VM [--control SOCKET]

Commands for a scenario that 'tessera run SCENARIO.json' is running (it prints its
control socket). update boots NEW.elf as the VM's new version in its update slot,
switches the VM's channels to it once it reports ready and stops the old version,
or rolls back; wipe zeroes the VM's partition and halts it. Without --control, the
one running tessera is found in ${tmpdir()}.

exit codes: 0 done; 1 the update was rolled back; 2 usage error; 3 refused
(unknown VM, wrong state, bad image: nothing changed); 4 no running tessera`;

/** Exit code when an update failed and was rolled back. */
const EXIT_ROLLED_BACK = 1;

export async function controlCommand(command: 'update' | 'wipe' | 'vm', argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { help: { value: false }, control: { value: true } });
  if (args.options.has('help')) {
    io.stdout.write(CONTROL_USAGE + '\n');
    return 0;
  }
  const request = requestOf(command, args.positional);
  const control = args.options.get('control');
  const path = typeof control === 'string' ? control : await findRunningSystem();
  if (typeof path !== 'string') {
    io.stderr.write(`tessera: ${path.error}\n`);
    return EXIT_NO_SYSTEM;
  }
  let response: ControlResponse;
  try {
    response = await send(path, request);
  } catch (error) {
    io.stderr.write(`tessera: cannot reach a running tessera at ${path}: ${(error as Error).message.split('\n', 1)[0]}\n`);
    return EXIT_NO_SYSTEM;
  }
  if (response.ok) {
    io.stdout.write(`${response.message}\n`);
    return 0;
  }
  io.stderr.write(`tessera: ${response.error}\n`);
  return response.kind === 'rolled-back' ? EXIT_ROLLED_BACK : EXIT_BAD_INPUT;
}

function requestOf(command: 'update' | 'wipe' | 'vm', positional: string[]): ControlRequest {
  const want = (count: number, shape: string) => {
    if (positional.length !== count) throw new UsageError(`${command} takes ${shape}`);
  };
  switch (command) {
    case 'update':
      want(2, 'a VM name and an ELF file');
      // The running system may have another working directory: send an absolute path.
      return { command: 'update', vm: positional[0], elf: resolve(positional[1]) };
    case 'wipe':
      want(1, 'a VM name');
      return { command: 'wipe', vm: positional[0] };
    case 'vm': {
      want(2, `an action (${LIFECYCLE_COMMANDS.join(', ')}) and a VM name`);
      const action = positional[0];
      if (!(LIFECYCLE_COMMANDS as readonly string[]).includes(action)) throw new UsageError(`unknown VM action '${action}' (${LIFECYCLE_COMMANDS.join(', ')})`);
      return { command: action as (typeof LIFECYCLE_COMMANDS)[number], vm: positional[1] };
    }
  }
}

/** The control socket of the one live `tessera run`, or why there is not exactly one. */
async function findRunningSystem(): Promise<string | { error: string }> {
  const dir = tmpdir();
  const candidates = readdirSync(dir).filter((f) => /^tessera-.+\.sock$/.test(f)).map((f) => join(dir, f));
  const live: string[] = [];
  for (const path of candidates) if (await socketIsLive(path)) live.push(path);
  if (live.length === 1) return live[0];
  if (live.length === 0) return { error: "no running tessera found (start one with 'tessera run SCENARIO.json', or pass --control SOCKET)" };
  return { error: `several tessera runs are live; pass --control with one of: ${live.join(', ')}` };
}

function send(path: string, request: ControlRequest): Promise<ControlResponse> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_REQUEST_BYTES * 4) socket.destroy(new Error('response too long'));
    });
    socket.once('error', reject);
    socket.once('end', () => {
      try {
        resolvePromise(JSON.parse(text) as ControlResponse);
      } catch {
        reject(new Error('the response is not JSON'));
      }
    });
  });
}
