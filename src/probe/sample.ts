import { spawn } from 'node:child_process';
import { ReldiffError } from '../errors.js';
import { processTree, readTreeMemory } from './proc.js';

// Runs the workload, samples the tree's resident memory at a fixed interval after the warm-up, and always ends
// the whole tree (also when the caller is interrupted: see `stop`). The workload stays in our process group so
// that `reldiff bisect`, which kills the group of its test command on timeout or Ctrl-C, also ends it.

export interface SampleOptions { durationMs: number; warmupMs: number; intervalMs: number; env: Record<string, string | undefined>; cwd: string }

export interface SampleResult {
  samples: [number, number][];
  exit?: { code: number | null; signal: string | null };
}

export interface RunningProbe { done: Promise<SampleResult>; stop: () => void }

function killTree(root: number, pids: readonly number[]): void {
  for (const target of [root, ...pids]) {
    try { process.kill(target, 'SIGKILL'); } catch { /* already gone */ }
  }
}

export function sampleWorkload(command: readonly string[], options: SampleOptions): RunningProbe {
  const [file, ...args] = command.length === 1 ? ['sh', '-c', command[0] ?? ''] : command;
  const child = spawn(file ?? 'sh', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'ignore', 'inherit'] });
  const root = child.pid;
  let exit: SampleResult['exit'];
  let known: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let finish: (result: SampleResult) => void = () => {};
  const samples: [number, number][] = [];
  const start = Date.now();
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    if (root !== undefined) killTree(root, [...known, ...processTree(root)]);
    finish({ samples, exit });
  };
  const done = new Promise<SampleResult>((resolve, reject) => {
    finish = resolve;
    child.on('error', error => reject(new ReldiffError('probe', `could not start the workload: ${error.message}`, 'Check the command after --')));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      stop();
    });
  });
  const tick = (): void => {
    if (exit || root === undefined) return;
    const elapsed = Date.now() - start;
    if (elapsed >= options.warmupMs + options.durationMs) { stop(); return; }
    if (elapsed >= options.warmupMs) {
      const memory = readTreeMemory(root);
      known = memory.pids;
      if (memory.rssKb > 0) samples.push([elapsed, Math.round((memory.rssKb / 1024) * 1000) / 1000]);
    }
    const next = elapsed < options.warmupMs ? options.warmupMs - elapsed : options.intervalMs - ((elapsed - options.warmupMs) % options.intervalMs);
    timer = setTimeout(tick, Math.max(1, next));
  };
  timer = setTimeout(tick, Math.min(options.warmupMs, options.intervalMs) || 1);
  return { done, stop };
}
