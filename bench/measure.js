// Runs reldiff in this process as bin/reldiff.js does (the replay of an identical run first, cli/replay.ts) and
// reports its peak resident memory on stderr (maxRSS=<kB>). BENCH_REPLAY=0 skips the replay: a bench that runs the
// same command several times to time the analysis itself (core.js) sets it.
import { runWithReplay } from '../dist/cli/replay.js';

const io = { cwd: process.cwd(), env: process.env, stdout: () => {}, stderr: text => process.stderr.write(text), isStdoutTTY: false, isStderrTTY: false };
const loadMain = async () => (await import('../dist/cli/main.js')).main;
const argv = process.argv.slice(2);
const code = process.env.BENCH_REPLAY === '0' ? await (await loadMain())(argv, io) : await runWithReplay(argv, io, loadMain);
process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
