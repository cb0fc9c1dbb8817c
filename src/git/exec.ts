import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitError } from '../errors.js';

// The only place that starts git. Arguments are always arrays; refs from the user are validated before
// they get here and are placed after `--end-of-options` where git accepts it.

/**
 * Settings that keep git's output machine-readable whatever the user's config says. The diff settings are git's own
 * defaults, pinned: a user's diff.algorithm (patience, histogram) or rename limit moves hunks and renames, so the same
 * refs would give other line ranges, findings and scores on another machine, and a blob pair's digest kept in the
 * cache (cache/source-digest.ts) would answer for settings it was not made with.
 */
const STABLE_CONFIG = [
  '-c', 'core.quotepath=false',
  '-c', 'diff.renames=true',
  '-c', 'diff.algorithm=myers',
  '-c', 'diff.indentHeuristic=true',
  '-c', 'diff.interHunkContext=0',
  '-c', 'diff.renameLimit=1000',
  '-c', 'diff.relative=false',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicprefix=false',
  '-c', 'color.ui=false',
  '-c', 'log.showSignature=false',
];

// Only what git needs to find itself and the user's config. The user's GIT_* variables (GIT_DIR, GIT_PAGER...) and
// editors or askpass helpers would redirect or hijack the commands, and simple-git refuses several of them outright.
const KEPT = ['PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP', 'XDG_CONFIG_HOME', 'LANG'];
const BASE_ENV: Record<string, string> = {
  ...Object.fromEntries(KEPT.flatMap(k => (process.env[k] !== undefined ? [[k, process.env[k] as string]] : []))),
  LC_ALL: 'C',
};
const ENV: Record<string, string> = { ...BASE_ENV, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };

const clients = new Map<string, SimpleGit>();

/** simple-git runs the short, bounded commands (at most 4 at once); streams and the blob pipe below need raw child processes. */
function client(cwd: string): SimpleGit {
  let git = clients.get(cwd);
  if (!git) {
    const config: string[] = [];
    for (let i = 1; i < STABLE_CONFIG.length; i += 2) config.push(STABLE_CONFIG[i] as string);
    git = simpleGit({ baseDir: cwd, binary: 'git', maxConcurrentProcesses: 4, config, errors: failureOf }).env(BASE_ENV);
    clients.set(cwd, git);
  }
  return git;
}

/**
 * simple-git counts a non-zero exit as a failure only when git wrote to stderr; `config --get` of an unset key exits 1
 * in silence, and an empty answer there would read as an empty value. Every non-zero exit is a failure here.
 */
function failureOf(error: Buffer | Error | undefined, result: { exitCode: number; stdErr: Buffer[] }): Buffer | Error | undefined {
  if (error) return error;
  if (result.exitCode === 0) return undefined;
  const stderr = Buffer.concat(result.stdErr);
  return stderr.toString('utf8').trim() !== '' ? stderr : Buffer.from(`exit code ${result.exitCode}`);
}

/** Runs git and resolves with stdout; rejects with GitError carrying stderr. */
export async function gitText(cwd: string, args: readonly string[]): Promise<string> {
  try {
    return await client(cwd).raw([...args]);
  } catch (error) {
    const text = error instanceof Error ? error.message.trim() : String(error);
    if (/ENOENT|spawn git/.test(text)) {
      throw new GitError('git-missing', 'git was not found on PATH', 'Install git 2.24 or newer and try again');
    }
    throw new GitError('git-failed', `git ${commandName(args)} failed: ${firstLine(text) || 'unknown error'}`,
      'Run with --debug to see git\'s output', text);
  }
}

/**
 * Like gitText but resolves `undefined` when git exits non-zero: for commands whose failure is an answer
 * (`merge-base --is-ancestor`, `rev-parse --quiet`), and not bounded by the short-command limit.
 */
export async function gitTextOrUndefined(cwd: string, args: readonly string[]): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  try {
    await gitStream(cwd, args, chunk => { chunks.push(chunk); });
  } catch (error) {
    if (error instanceof GitError && error.code === 'git-failed') return undefined;
    throw error;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Streams git's stdout line by line, so that huge diffs are never held whole in memory. */
export async function gitLines(cwd: string, args: readonly string[], onLine: (line: string) => void): Promise<void> {
  let rest = '';
  const decoder = new StringDecoder('utf8');
  await gitStream(cwd, args, chunk => {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  rest += decoder.end();
  if (rest) onLine(rest);
}

/** Runs git with `input` on stdin (the `--batch-check` lookups) and resolves with stdout. */
export function gitWithInput(cwd: string, args: readonly string[], input: string): Promise<string> {
  const child = spawn('git', [...STABLE_CONFIG, ...args], { cwd, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stdin.on('error', () => undefined); // an early exit is reported by waitForExit
  child.stdin.end(input);
  return waitForExit(child, args, stderr).then(() => Buffer.concat(stdout).toString('utf8'));
}

export async function gitStream(cwd: string, args: readonly string[], onChunk: (chunk: Buffer) => void): Promise<void> {
  const child = spawn('git', [...STABLE_CONFIG, ...args], { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  child.stdout.on('data', onChunk);
  await waitForExit(child, args, stderr);
}

function waitForExit(child: ReturnType<typeof spawn>, args: readonly string[], stderr: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT'
        ? new GitError('git-missing', 'git was not found on PATH', 'Install git 2.24 or newer and try again')
        : error);
    });
    child.on('close', code => {
      if (code === 0) return resolve();
      const text = Buffer.concat(stderr).toString('utf8').trim();
      reject(new GitError('git-failed', `git ${commandName(args)} failed: ${firstLine(text) || `exit code ${code}`}`,
        'Run with --debug to see git\'s output', text));
    });
  });
}

/** The subcommand, past leading `-c key=value` and other global options. */
function commandName(args: readonly string[]): string {
  return args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c') ?? '';
}

function firstLine(text: string): string {
  return (text.split('\n').find(l => l.trim() !== '') ?? '').replace(/^(fatal|error): /, '');
}

/**
 * One long-lived `git cat-file --batch` process: many blobs over one pipe instead of one `git show` each.
 * Requests are answered in order, so a FIFO of pending resolvers is enough.
 */
export class BlobReader {
  private readonly child;
  /** `id`: the request wants the object's id (its header), not its body. */
  private readonly pending: { resolve: (v: Buffer | undefined) => void; reject: (e: Error) => void; id?: (oid: string, type: string) => void }[] = [];
  private failure: Error | undefined;

  constructor(cwd: string) {
    this.child = spawn('git', [...STABLE_CONFIG, 'cat-file', '--batch'], { cwd, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.on('error', error => this.fail(error));
    this.child.on('close', () => this.fail(new GitError('git-failed', 'git cat-file stopped unexpectedly', 'Run with --debug')));
    this.child.stdin.on('error', error => this.fail(error));
  }

  /** `spec` is `<rev>:<path>` or a blob id. Resolves undefined for a missing object. */
  read(spec: string): Promise<Buffer | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    if (/[\n\r]/.test(spec)) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${spec}\n`);
    });
  }

  /**
   * The id and type of the object `spec` names (`<sha>^{commit}` peels a tag), through the same pipe: no process of
   * its own. Undefined when it is missing or ambiguous.
   */
  objectId(spec: string): Promise<{ oid: string; type: string } | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    if (/[\n\r]/.test(spec)) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      let found: { oid: string; type: string } | undefined;
      this.pending.push({ resolve: () => resolve(found), reject, id: (oid, type) => { found = { oid, type }; } });
      this.child.stdin.write(`${spec}\n`);
    });
  }

  close(): void {
    this.pending.length = 0;
    this.failure ??= new Error('closed');
    this.child.stdin.end();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
  }

  /** Chunks of the object being received, joined once it is complete: no quadratic copying of big blobs. */
  private chunks: Buffer[] = [];
  private received = 0;
  private expected = -1;

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.received += chunk.length;
    while (this.received > 0) {
      if (this.expected < 0 && !this.readHeader()) return;
      if (this.received < this.expected) return;
      const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.received);
      const body = Buffer.from(all.subarray(0, this.expected - 1));
      const rest = all.subarray(this.expected);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.received = rest.length;
      this.expected = -1;
      this.pending.shift()?.resolve(this.isBlob ? body : undefined);
    }
  }

  private isBlob = false;

  /** Consumes one header line; false when it has not fully arrived yet. */
  private readHeader(): boolean {
    let buffer = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.received);
    this.chunks = [buffer];
    const eol = buffer.indexOf(10);
    if (eol < 0) return false;
    const header = buffer.subarray(0, eol).toString('utf8');
    buffer = buffer.subarray(eol + 1);
    this.chunks = buffer.length > 0 ? [buffer] : [];
    this.received = buffer.length;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      this.pending.shift()?.resolve(undefined);
      return this.received > 0 ? this.readHeader() : false;
    }
    const [oid, type] = header.split(' ');
    this.isBlob = type === 'blob';
    this.pending[0]?.id?.(oid ?? '', type ?? '');
    // The body is followed by one newline, counted here so that it is consumed with the body.
    this.expected = Number(header.slice(header.lastIndexOf(' ') + 1)) + 1;
    return true;
  }

}
