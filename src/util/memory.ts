import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Walking hundreds of revisions of a multi-megabyte lockfile makes garbage faster than V8's heuristics collect it
// (each parse is a large, short-lived tree that outlives the young generation), and the peak resident memory
// then grows with the number of revisions. A full collection every few revisions keeps the peak flat for the
// price of a few milliseconds each. `--expose-gc` set at run time is the documented way to reach `gc()`.

let collect: (() => void) | undefined;

function collector(): () => void {
  if (!collect) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = () => {};
    }
  }
  return collect;
}

/** Collects garbage when the heap has grown past `limitBytes` (default 160 MB). */
export function relieveHeap(limitBytes = 160 * 1024 * 1024): void {
  if (process.memoryUsage().heapUsed > limitBytes) collector()();
}
