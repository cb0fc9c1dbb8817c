// Runs reldiff in this process and reports its peak resident memory on stderr (maxRSS=<kB>).
import { main } from '../dist/cli/main.js';

const io = { cwd: process.cwd(), env: process.env, stdout: () => {}, stderr: text => process.stderr.write(text), isStdoutTTY: false, isStderrTTY: false };
const code = await main(process.argv.slice(2), io);
process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
