#!/usr/bin/env node
// `npm run demo [-- options]`: replays the incident reldiff is built from (an image service whose release raised one
// module-level exception instance on every bad image) in a throwaway git repository and runs reldiff
// on its two release tags. Options after `--` go to reldiff (e.g. `npm run demo -- --format json`).
import { buildRepo } from '../dist/demo/build-repo.js';
import { incidentHistory } from '../dist/demo/incident.js';
import { main } from '../dist/cli/main.js';

const repo = buildRepo(incidentHistory);
// Offline unless asked otherwise: the demo's answer should not depend on what a registry says today.
const args = process.argv.slice(2);
if (!args.includes('--online')) args.push('--offline');
const io = {
  cwd: repo.dir,
  env: process.env,
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  isStdoutTTY: Boolean(process.stdout.isTTY),
  isStderrTTY: Boolean(process.stderr.isTTY),
};
if (process.stderr.isTTY) process.stderr.write(`reldiff demo: the incident replayed in ${repo.dir}\n\n`);
try {
  process.exitCode = await main(['v1.4.0', 'v1.5.0', ...args.filter(a => a !== '--online')], io);
} finally {
  repo.cleanup();
}
