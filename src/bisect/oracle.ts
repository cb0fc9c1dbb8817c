import { spawn, type ChildProcess } from 'node:child_process';
import { ReldiffError } from '../errors.js';
import type { Verdict } from './posterior.js';

// The `git bisect run` protocol: exit 0 good, 125 skip, 1-127 bad; 128 and above or a signal aborts.
// Each run gets its own process group so that a timeout or Ctrl-C ends the whole tree it started.

const live = new Set<ChildProcess>();

export interface RunOutcome { verdict: Verdict; timedOut: boolean; code: number | null; tail: string }

/** Maps an exit status to a verdict, or undefined when it must abort the bisect. */
export function verdictOf(code: number | null, signal: NodeJS.Signals | null): Verdict | undefined {
  if (signal !== null || code === null) return undefined;
  if (code === 0) return 'good';
  if (code === 125) return 'skip';
  if (code >= 1 && code <= 127) return 'bad';
  return undefined;
}

/**
 * 126 (not executable) and 127 (not found) from the shell on the first run mean the check itself cannot run, not that
 * the commit is bad: git bisect run calls them bogus. Undefined for every other outcome.
 */
export function cannotRun(outcome: RunOutcome, sha: string): ReldiffError | undefined {
  if (outcome.timedOut || (outcome.code !== 126 && outcome.code !== 127)) return undefined;
  const what = outcome.code === 127 ? 'the command was not found' : 'the command is not executable';
  const said = outcome.tail.trim().split('\n').at(-1)?.trim().slice(0, 160) ?? '';
  return new ReldiffError('bisect', `the test command cannot run at ${sha.slice(0, 12)} (exit ${outcome.code}: ${what}${said ? `; it said: ${said}` : ''}), so no commit was judged`,
    outcome.code === 127 ? 'Check the --run command\'s spelling and PATH by running it by hand in the repository'
      : 'Make the script executable (`chmod +x` and commit it, or run it as `sh script`), then run reldiff bisect again');
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try { process.kill(-child.pid, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
}

/** Kills every command still running (signal handlers call this before cleaning up). */
export function killAllRuns(): void {
  for (const child of live) killGroup(child);
  live.clear();
}

export function runTestCommand(command: string, cwd: string, sha: string, options: { timeoutMs?: number;
  env: Record<string, string | undefined> }): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let tail = '';
    const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString('utf8')).slice(-2000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let timedOut = false;
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, options.timeoutMs);
    child.on('error', error => {
      live.delete(child);
      if (timer) clearTimeout(timer);
      reject(new ReldiffError('bisect', `could not start the test command: ${error.message}`, 'Check --run'));
    });
    child.on('close', (code, signal) => {
      live.delete(child);
      if (timer) clearTimeout(timer);
      if (timedOut) { resolve({ verdict: 'skip', timedOut: true, code, tail }); return; }
      const verdict = verdictOf(code, signal);
      if (verdict === undefined) {
        const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
        reject(new ReldiffError('bisect', `the test command ${how} at ${sha.slice(0, 12)}, which aborts the bisect`,
          'Exit 0 means good, 1-127 bad (125: cannot test); 128 and above or a signal abort, as in git bisect run'));
        return;
      }
      resolve({ verdict, timedOut: false, code, tail });
    });
  });
}
