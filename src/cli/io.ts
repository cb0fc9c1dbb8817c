// What a command may touch of the process: passed in, so that main() is testable without spawning.
import { Redactor, secretsFromEnv } from '../redact.js';
import { guardOutput } from '../util/control-chars.js';

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isStdoutTTY: boolean;
  isStderrTTY: boolean;
  /** Knows every secret in play; stdout and stderr already pass through it (see withRedaction). */
  redactor?: Redactor;
}

/**
 * The same Io with every write redacted: secrets of the environment now, and those a command adds later. The
 * last-line guard follows: every value is cleaned where it is rendered, and this catches one that a future path
 * forgets, while reldiff's own colour and progress escapes pass.
 */
export function withRedaction(io: Io): Io {
  if (io.redactor) return io;
  const redactor = new Redactor(secretsFromEnv(io.env));
  return { ...io, redactor, stdout: text => io.stdout(guardOutput(redactor.apply(text))), stderr: text => io.stderr(guardOutput(redactor.apply(text))) };
}

/** 0 done, 1 `--fail-on` reached (or: probe found a leak), 2 bad input; probe also uses 125 (inconclusive). */
export type ExitCode = number;

export type Command = (argv: string[], io: Io) => Promise<ExitCode>;
