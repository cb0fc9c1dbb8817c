/** Progress of the registry stage; the CLI draws it on stderr, only when stderr is a terminal. */
export interface RegistryProgress { phase: 'registry' | 'deep-scan'; done: number; total: number }
export type ProgressCallback = (progress: RegistryProgress) => void;

/** One line, redrawn in place with `\r`: `registry  412/1000 [#########...........]`. */
export function formatProgress({ phase, done, total }: RegistryProgress, width = 20): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  return `\r${phase.padEnd(9)} ${String(done).padStart(String(total).length)}/${total} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Calls `report` at most every `everyMs` (and always for the last step), so that redraws do not cost more than fetches. */
export function throttle(report: ProgressCallback | undefined, everyMs = 100): ProgressCallback | undefined {
  if (!report) return undefined;
  let last = 0;
  return progress => {
    const now = Date.now();
    if (progress.done === progress.total || now - last >= everyMs) {
      last = now;
      report(progress);
    }
  };
}
