import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { addTo } from '../util/arrays.js';

// Resident memory of a whole process tree, read from /proc (Linux). Children come from
// /proc/<pid>/task/<tid>/children when the kernel offers it, else from a ppid walk over /proc/*/stat.

function readText(path: string): string | undefined {
  try { return readFileSync(path, 'utf8'); } catch { return undefined; }
}

/** VmRSS in kB from the text of /proc/<pid>/status; 0 for zombies and kernel threads. */
export function parseVmRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** The ppid field of /proc/<pid>/stat; the command name may contain spaces and parentheses. */
export function parseStatPpid(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const ppid = Number(stat.slice(close + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

function childrenFromTasks(pid: number): number[] | undefined {
  const tasks = `/proc/${pid}/task`;
  let tids: string[];
  try { tids = readdirSync(tasks); } catch { return []; }
  const found: number[] = [];
  for (const tid of tids) {
    const text = readText(`${tasks}/${tid}/children`);
    if (text === undefined) return existsSync(`/proc/${pid}`) ? undefined : [];
    for (const part of text.trim().split(/\s+/)) if (part) found.push(Number(part));
  }
  return found;
}

function parentMap(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parseStatPpid(readText(`/proc/${name}/stat`) ?? '');
    if (ppid === undefined) continue;
    addTo(byParent, ppid, Number(name));
  }
  return byParent;
}

/** The root and every descendant still alive. */
export function processTree(root: number): number[] {
  const seen = new Set<number>([root]);
  const queue = [root];
  let fallback: Map<number, number[]> | undefined;
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    let kids = fallback ? fallback.get(pid) ?? [] : childrenFromTasks(pid);
    if (kids === undefined) {
      fallback = parentMap();
      kids = fallback.get(pid) ?? [];
    }
    for (const kid of kids) if (!seen.has(kid)) { seen.add(kid); queue.push(kid); }
  }
  return [...seen].sort((a, b) => a - b);
}

export interface TreeMemory { rssKb: number; pids: number[] }

export function readTreeMemory(root: number): TreeMemory {
  const pids = processTree(root);
  let rssKb = 0;
  for (const pid of pids) rssKb += parseVmRssKb(readText(`/proc/${pid}/status`) ?? '');
  return { rssKb, pids };
}

export function isProcAvailable(): boolean {
  return existsSync('/proc/self/status');
}
