import { isTable, str, tables, type Table } from '../lockfiles/toml.js';
import type { Requires } from './deps-plan.js';
import { addEdge, tomlPackageEdges } from './edges-python.js';

// uv.lock: a package's `dependencies` name what it needs, with a `version` only where the lock holds that name in
// several versions (then the edge is exact); `[package.metadata] requires-dist` gives the specifiers where uv wrote
// them (the workspace's own packages). A name with neither asks for nothing we can check.

export function uvRequires(lockText: string | undefined): Requires {
  return tomlPackageEdges(lockText, 'uv-lock', entryEdges);
}

function entryEdges(entry: Table): Record<string, string> {
  const edges: Record<string, string> = {};
  for (const dep of tables(entry.dependencies)) {
    const name = str(dep.name);
    const exact = str(dep.version);
    if (name && exact) addEdge(edges, name, `==${exact}`);
  }
  for (const req of tables(isTable(entry.metadata) ? entry.metadata['requires-dist'] : undefined)) {
    const name = str(req.name);
    const specifier = str(req.specifier);
    if (name && specifier) addEdge(edges, name, specifier);
  }
  return edges;
}
