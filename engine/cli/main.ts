// The `tessera` command: dispatches sub-commands and turns errors into one line and an exit code.

import { parseOptions, shown, UsageError } from './args.js';
import { EXIT_USAGE } from './exit-codes.js';
import { controlCommand } from './control-command.js';
import type { CommandIo } from './command-io.js';
import { runCommand, RUN_USAGE } from './run-command.js';
import { sweepCommand } from './sweep-command.js';
import { validateCommand } from './validate-command.js';

const USAGE = `usage: tessera <command> [options]

commands:
  run GUEST.elf        run a bare-metal RISC-V ELF on a QEMU-virt-like machine
  run SCENARIO.json    run a scenario's VMs on the hypervisor
  validate FILE...     check scenario files and the guests they name
  sweep SCENARIO.json  scaling experiment: run it over cores/VMs/quantum/policy, write results and plots
  update VM NEW.elf    firmware over the air: replace a VM of a running scenario
  wipe VM              remote wipe: zero a running VM's partition and halt it
  vm ACTION VM         start, pause, resume, stop, restart or destroy a VM

Run 'tessera <command> --help' for a command's options.

${RUN_USAGE}`;

/** The options before a command. */
const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'help':
        io.stdout.write(USAGE + '\n');
        return 0;
      case 'run':
        return await runCommand(rest, io);
      case 'sweep':
        return await sweepCommand(rest, io);
      case 'validate':
        return validateCommand(rest, io);
      case 'update':
      case 'wipe':
      case 'vm':
        return await controlCommand(command, rest, io);
      default: {
        // Not a command: the options that may come before one (--help), and no other word.
        const args = parseOptions(argv, OPTIONS);
        const word = args.positionals[0];
        if (word !== undefined && !args.values.help) {
          throw new UsageError(word === argv[0] ? `unknown command '${shown(word)}'` : 'the command comes first, before any option');
        }
        io.stdout.write(USAGE + '\n');
        return args.values.help ? 0 : EXIT_USAGE;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`tessera: ${error.message} (see 'tessera --help')\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`tessera: internal error: ${String((error as Error).message).split('\n', 1)[0]}\n`);
    return 1;
  }
}
