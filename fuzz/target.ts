// What a fuzz target is: it generates an input from an execution's random numbers and runs it
// through the engine, returning what went wrong (nothing, normally).

import type { Rng } from './prng.js';

/** An input as its reproducer file holds it. */
export interface FuzzInput {
  bytes: Uint8Array;
  /** File extension of the reproducer: 'elf', 'json', 'txt'. */
  ext: string;
  /** How the target feeds it in, when the bytes alone do not say (one line). */
  note?: string;
}

/**
 * crash: an exception that is not one of the documented one-line errors, or a dead worker;
 * hang: an execution bounded by virtual time or input size that did not end;
 * breach: a VM changed or disturbed what belongs to another (memory, console, figures);
 * contract: a documented promise broken without a crash (an error of several lines, a
 * malformed response, a validator that accepts what its own rules forbid).
 */
export type FindingKind = 'crash' | 'hang' | 'breach' | 'contract';

/** What a target reports about one execution. */
export interface Problem {
  kind: FindingKind;
  /** One line: what went wrong. */
  summary: string;
  /** More lines (a stack, a memory diff), for the reproducer's notes. */
  detail?: string;
}

export interface TargetContext {
  seed: number;
  /** The repository root: seeds (guests/bin, scenarios) are read from it. */
  root: string;
  /** A private scratch folder for files the target must pass by path. */
  scratch: string;
}

/** Makes inputs; cheap to create, so a hang's input can be made again outside its worker. */
export interface InputGenerator {
  generate(rng: Rng, execution: number): FuzzInput;
}

/** Runs inputs through the engine; may hold a running system, servers, sockets. */
export interface Executor {
  execute(input: FuzzInput, execution: number): Promise<Problem[]> | Problem[];
  close(): Promise<void>;
}

export interface TargetFactory {
  name: string;
  /** One line for --help and the report. */
  description: string;
  /** Wall-clock seconds one execution may take before it counts as a hang (generous). */
  hangSeconds: number;
  inputs(context: TargetContext): InputGenerator;
  open(context: TargetContext): Promise<Executor>;
}

/** The first line of an error's message, or of whatever was thrown. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n', 1)[0];
}

export function crash(where: string, error: unknown): Problem {
  return { kind: 'crash', summary: `${where} threw ${firstLine(error)}`, detail: error instanceof Error ? error.stack : String(error) };
}

/** A contract problem when `text` is not a single line; undefined when it is. */
export function notOneLine(what: string, text: string): Problem | undefined {
  if (!/[\r\n]/.test(text)) return undefined;
  return { kind: 'contract', summary: `${what} is not one line: ${JSON.stringify(text.slice(0, 120))}`, detail: text };
}
