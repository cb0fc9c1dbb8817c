// What a command may touch of the process: passed in, so that main() is testable without spawning.

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isStdoutTTY: boolean;
  isStderrTTY: boolean;
}

/** 0 done, 1 `--fail-on` reached (or: probe found a leak), 2 bad input; probe also uses 125 (inconclusive). */
export type ExitCode = number;

export type Command = (argv: string[], io: Io) => Promise<ExitCode>;
