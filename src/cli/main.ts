import { formatUserError, GitError, isReldiffError } from '../errors.js';
import { VERSION } from '../version.js';
import { helpText } from './args.js';
import { commands } from './commands/index.js';
import { withRedaction, type ExitCode, type Io } from './io.js';

/** argv (without node and script) -> exit code. Never throws, never calls process.exit. */
export async function main(argv: string[], rawIo: Io): Promise<ExitCode> {
  // Every message that leaves the process, error lines and --debug stacks included, goes through one redactor.
  const io = withRedaction(rawIo);
  const isDebug = argv.includes('--debug');
  try {
    const first = argv[0];
    if (first === '--version' || first === '-v') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const command = first !== undefined ? commands[first] : undefined;
    const rest = command ? argv.slice(1) : argv;
    if (!command && (argv.includes('--help') || argv.includes('-h'))) {
      io.stdout(helpText);
      return 0;
    }
    return await (command ?? (commands['diff'] as NonNullable<typeof command>))(rest, io);
  } catch (error) {
    if (isReldiffError(error)) {
      io.stderr(`${formatUserError(error)}\n`);
      if (isDebug && error instanceof GitError && error.stderr) io.stderr(`${error.stderr}\n`);
      if (isDebug) io.stderr(`${error.stack ?? ''}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`reldiff: internal error: ${message.split('\n')[0]}. Please report it with reldiff ${VERSION}, node ${process.version}${isDebug ? '' : ' (rerun with --debug for the stack trace)'}.\n`);
    if (isDebug && error instanceof Error) io.stderr(`${error.stack ?? ''}\n`);
    return 2;
  }
}
