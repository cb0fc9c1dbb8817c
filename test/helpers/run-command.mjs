// Runs one reldiff command from a compiled tree with the real process: node run-command.mjs <dist> <command> ...args
const [dist, name, ...argv] = process.argv.slice(2);
const { run } = await import(`${dist}/cli/commands/${name}.js`);
const { isReldiffError, formatUserError } = await import(`${dist}/errors.js`);
const io = {
  cwd: process.cwd(), env: process.env,
  stdout: text => process.stdout.write(text), stderr: text => process.stderr.write(text),
  isStdoutTTY: false, isStderrTTY: process.env.RELDIFF_TEST_PROGRESS === '1',
};
try {
  process.exitCode = await run(argv, io);
} catch (error) {
  if (isReldiffError(error)) { process.stderr.write(`${formatUserError(error)}\n`); process.exitCode = 2; }
  else { process.stderr.write(`${error?.stack ?? error}\n`); process.exitCode = 2; }
}
