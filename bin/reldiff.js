#!/usr/bin/env node
// Only sets process.exitCode: process.exit() could cut off piped stdout. A fatal error keeps exit code 2.
// The modules behind main() load only when the run is not the replay of an identical one (cli/replay.ts).
import { runWithReplay } from '../dist/cli/replay.js';

process.stdout.on('error', error => {
  if (error.code !== 'EPIPE') throw error;
});

const io = {
  cwd: process.cwd(),
  env: process.env,
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  isStdoutTTY: Boolean(process.stdout.isTTY),
  isStderrTTY: Boolean(process.stderr.isTTY),
};

runWithReplay(process.argv.slice(2), io, async () => (await import('../dist/cli/main.js')).main).then(
  code => { process.exitCode = code; },
  error => {
    process.stderr.write(`reldiff: internal error: ${error?.message ?? error}. Please report it.\n`);
    process.exitCode = 2;
  },
);
