#!/usr/bin/env node
// The `tessera` command line; the implementation is compiled from engine/cli into dist/.
import { main } from '../dist/engine/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signals: process });
