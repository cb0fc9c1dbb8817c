import { pickDocument, splitKey } from '../lockfiles/pnpm-lock.js';
import { stripBom } from '../lockfiles/util.js';
import { parseYamlDocs, type YamlMap, type YamlValue } from '../lockfiles/yaml-lite.js';
import type { EdgeRules, Requires } from './deps-plan.js';

// pnpm-lock.yaml: the dependencies of each node (`packages` in 5.x/6.x, `snapshots` in 9.x) are exact resolved
// versions, so an edge says "A@new needs B@x exactly", peer suffixes aside. Links, aliases and tarballs name no version
// of B and form no group.

const isMap = (v: YamlValue | undefined): v is YamlMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const keep = (depth: number, key: string): boolean => depth !== 0 || ['lockfileVersion', 'importers', 'packages', 'snapshots'].includes(key);

export function pnpmRequires(lockText: string | undefined): Requires {
  const out = new Map<string, Record<string, string>>();
  if (lockText === undefined) return out;
  const yaml = parseYamlDocs(stripBom(lockText), keep);
  if (!yaml.ok) return out;
  // The project's document, as the parser picks it: pnpm 11 writes its own (the env document) first.
  const lock = pickDocument(yaml.docs);
  const major = Number.parseInt(String(lock?.['lockfileVersion'] ?? ''), 10);
  if (!lock || !(major >= 5)) return out;
  const nodes = isMap(lock['snapshots']) ? lock['snapshots'] : isMap(lock['packages']) ? lock['packages'] : {};
  for (const [key, node] of Object.entries(nodes)) {
    const id = splitKey(key, major);
    if (!id.name || !isMap(node)) continue;
    const edges: Record<string, string> = {};
    for (const group of ['optionalDependencies', 'dependencies']) {
      const deps = node[group];
      if (!isMap(deps)) continue;
      for (const [dep, ref] of Object.entries(deps)) {
        const version = typeof ref === 'string' ? exactVersion(ref, major) : undefined;
        if (version) edges[dep] = version;
      }
    }
    // Two snapshots of one version (other peers) ask the same of their dependencies but for peers: the first is kept.
    if (!out.has(`${id.name}@${id.version}`)) out.set(`${id.name}@${id.version}`, edges);
  }
  return out;
}

/** `1.2.3(react@18.2.0)` (6.x, 9.x) or `1.2.3_react@18.2.0` (5.x) -> `1.2.3`; `link:`, `npm:`, `file:` and paths -> undefined. */
export function exactVersion(ref: string, major: number): string | undefined {
  if (/^(?:link|file|npm|workspace|git\+|https?):|\//.test(ref)) return undefined;
  const cut = major < 6 ? ref.indexOf('_') : ref.indexOf('(');
  const version = (cut < 0 ? ref : ref.slice(0, cut)).trim();
  return /^\d/.test(version) ? version : undefined;
}

export const pnpmRules: EdgeRules = {
  key: name => name,
  satisfies: (version, exact) => version === exact,
  source: 'pnpm-lock.yaml dependencies',
};
