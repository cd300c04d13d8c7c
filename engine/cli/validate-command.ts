// `tessera validate FILE...`: checks scenario files and the guests they name, one line per verdict or problem.

import { loadScenarioFile } from '../host/scenario-file.js';
import { plural } from '../scenario/fields.js';
import { parseOptions, UsageError } from './args.js';
import type { CommandIo } from './command-io.js';

export const VALIDATE_USAGE = `usage: tessera validate SCENARIO.json... [options]

Checks scenario files against the scenario format (scenarios/scenario.schema.json)
and its rules, and loads every guest ELF they name. Prints 'FILE: ok (...)' for a
valid file and every problem as 'FILE: FIELD: PROBLEM' on stderr.

options:
  --json       print one JSON report on stdout instead: {"files": [{"file", "ok", "errors", ...}]}
  -h, --help   show this help

exit codes: 0 every file is valid; 1 a file is not; 2 usage error`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const;

interface FileReport {
  file: string;
  ok: boolean;
  errors: string[];
  vms?: number;
  cores?: number;
  policy?: string;
}

export function validateCommand(argv: readonly string[], io: CommandIo): number {
  const args = parseOptions(argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(VALIDATE_USAGE + '\n');
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('validate needs at least one scenario file');

  const reports: FileReport[] = args.positionals.map((file) => {
    const { scenario, errors } = loadScenarioFile(file);
    if (scenario === undefined) return { file, ok: false, errors };
    return { file, ok: true, errors, vms: scenario.vms.length, cores: scenario.cores, policy: scenario.scheduler.policy };
  });

  if (args.values.json) {
    io.stdout.write(JSON.stringify({ files: reports }, null, 2) + '\n');
  } else {
    for (const report of reports) {
      if (report.ok) {
        io.stdout.write(`${report.file}: ok (${plural(report.vms ?? 0, 'VM')} on ${plural(report.cores ?? 0, 'core')}, policy ${report.policy})\n`);
      }
      for (const error of report.errors) io.stderr.write(`${report.file}: ${error}\n`);
    }
  }
  return reports.every((report) => report.ok) ? 0 : 1;
}
