import { getHeapStatistics, setFlagsFromString } from 'node:v8';
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
      // reldiff-ignore: js-vm-context-per-call memoised: one context per process, to reach gc()
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = () => {};
    }
  }
  return collect;
}

let baseline = 0;

/**
 * Collects garbage when the heap has grown by more than `growthBytes` since the last collection here. Relative, so
 * that a large live heap (a big report) does not make every call collect.
 */
export function relieveHeap(growthBytes = 48 * 1024 * 1024): void {
  // The heap's own count, not process.memoryUsage(): that one also reads the resident size from the OS, about 0.5 ms
  // a call at a large heap, and the walk asks once per revision.
  const used = getHeapStatistics().used_heap_size;
  if (used - baseline <= growthBytes) return;
  collector()();
  baseline = getHeapStatistics().used_heap_size;
}
