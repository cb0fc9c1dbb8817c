import { strings, type Table } from '../lockfiles/toml.js';
import type { Requires } from './deps-plan.js';
import { addEdge, pep508Requirement, tomlPackageEdges } from './edges-python.js';

// pdm.lock: each package's `dependencies` are PEP 508 requirement strings (`requests<3,>=2.0`, `x[extra]>=1; marker`).

export function pdmRequires(lockText: string | undefined): Requires {
  return tomlPackageEdges(lockText, 'pdm-lock', entryEdges);
}

function entryEdges(entry: Table): Record<string, string> {
  const edges: Record<string, string> = {};
  for (const requirement of strings(entry.dependencies)) {
    const req = pep508Requirement(requirement);
    if (req) addEdge(edges, req.name, req.specifier);
  }
  return edges;
}
