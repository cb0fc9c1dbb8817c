import { isTable, str, type Table } from '../lockfiles/toml.js';
import type { Requires } from './deps-plan.js';
import { addEdge, tomlPackageEdges } from './edges-python.js';

// poetry.lock: `[package.dependencies]` of each package, `name = "spec"`, `name = { version, markers, optional }` or a
// list of those (one per Python or platform). An optional edge (an extra) binds only when the extra is asked for,
// and the lock does not say whether it is, so it forms no group.

export function poetryRequires(lockText: string | undefined): Requires {
  return tomlPackageEdges(lockText, 'poetry-lock', entryEdges);
}

function entryEdges(entry: Table): Record<string, string> {
  const edges: Record<string, string> = {};
  for (const [dep, spec] of Object.entries(isTable(entry.dependencies) ? entry.dependencies : {})) {
    for (const one of Array.isArray(spec) ? spec : [spec]) {
      if (isTable(one) && one.optional === true) continue;
      const range = typeof one === 'string' ? one : isTable(one) ? str(one.version) : undefined;
      if (range !== undefined) addEdge(edges, dep, range);
    }
  }
  return edges;
}
