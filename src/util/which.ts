import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

// Whether a tool the user must have is there before any work starts: the same PATH lookup sh does, on the PATH the
// child processes will get (not this process's), so a missing package manager is one line up front, not a skip per trial.

/** The first executable file called `tool` in the folders of `pathValue`, or undefined. */
export function findOnPath(tool: string, pathValue: string | undefined): string | undefined {
  for (const dir of (pathValue ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here: the next folder
    }
  }
  return undefined;
}
