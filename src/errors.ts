// User errors exit 2 with one line; bugs say "please report". Wording of user errors lives here, keyed by code.
import { cleanLine } from './util/control-chars.js';

export type ErrorCode =
  | 'bad-ref' | 'unknown-ref' | 'no-tag' | 'not-a-repo' | 'shallow-clone' | 'git-failed' | 'git-missing'
  | 'bad-option' | 'missing-argument' | 'bad-lockfile' | 'unknown-format' | 'file-not-found'
  | 'mixed-ecosystems' | 'bad-config' | 'registry' | 'github' | 'bisect' | 'probe' | 'io' | 'missing-object'
  | 'bad-image';

export class ReldiffError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  constructor(code: ErrorCode, message: string, hint = '') {
    super(message);
    this.name = 'ReldiffError';
    this.code = code;
    this.hint = hint;
  }
}

/** A failure of the git layer, with git's own stderr kept for `--debug`. */
export class GitError extends ReldiffError {
  readonly stderr: string;
  constructor(code: ErrorCode, message: string, hint: string, stderr = '') {
    super(code, message, hint);
    this.name = 'GitError';
    this.stderr = stderr;
  }
}

export function isReldiffError(error: unknown): error is ReldiffError {
  return error instanceof ReldiffError;
}

/**
 * The one stderr line for a user error: `reldiff: <what>. <hint>`. Messages quote paths, refs and lockfile lines,
 * so the line goes through the shared cleaner: newlines become spaces, escapes and bidi overrides visible.
 */
export function formatUserError(error: ReldiffError): string {
  const what = error.message.replace(/[.\s]+$/, '');
  const stop = /[?!]$/.test(what) ? '' : '.';
  const line = error.hint ? `reldiff: ${what}${stop} ${error.hint}` : `reldiff: ${what}${stop}`;
  return cleanLine(line);
}
