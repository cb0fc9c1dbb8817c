import type { DependencyChange } from '../types.js';

// Packages that ship one prebuilt binary per platform (`@img/sharp-linux-x64`, `@esbuild/darwin-arm64`,
// `@swc/core-win32-x64-msvc`) move in lockstep with their parent. Listed one by one they repeat the parent's row
// eight times over and push real suspects down the ranking: they are folded into the parent's change instead.

const PLATFORM_SUFFIX = /-(?:darwin|linux|linuxmusl|win32|windows|freebsd|openbsd|netbsd|android|sunos|aix|wasm32|wasi)(?:-[a-z0-9]+)*$/i;
const PLATFORM_NAME = /^(?:darwin|linux|linuxmusl|win32|windows|freebsd|openbsd|netbsd|android|sunos|aix|wasm32|wasi)(?:-[a-z0-9]+)*$/i;

/** Names the parent package could have, most specific first. */
export function platformParentCandidates(name: string): string[] {
  const scoped = /^(@[^/]+)\/(.+)$/.exec(name);
  const scope = scoped?.[1];
  const local = scoped?.[2] ?? name;
  if (scope && PLATFORM_NAME.test(local)) return [scope.slice(1)]; // @esbuild/linux-x64 -> esbuild
  if (!PLATFORM_SUFFIX.test(local)) return [];
  const base = local.replace(PLATFORM_SUFFIX, '');
  // @swc/core-linux-x64-gnu -> @swc/core; @img/sharp-linux-x64 -> sharp; lightningcss-linux-x64 -> lightningcss
  return scope ? [`${scope}/${base}`, base, `${scope}/${base.split('-')[0] ?? base}`] : [base];
}

/** The changes without per-platform binaries whose parent changed too; the parent says how many it carries. */
export function foldPlatformBinaries(changes: readonly DependencyChange[]): DependencyChange[] {
  const byKey = new Map(changes.map(c => [`${c.lockfile}\0${c.name}`, c]));
  const folded = new Map<DependencyChange, string[]>();
  const dropped = new Set<DependencyChange>();
  for (const change of changes) {
    const parent = platformParentCandidates(change.name).map(n => byKey.get(`${change.lockfile}\0${n}`)).find(p => p !== undefined && p !== change);
    if (!parent) continue;
    dropped.add(change);
    folded.set(parent, [...(folded.get(parent) ?? []), change.name]);
  }
  if (dropped.size === 0) return [...changes];
  return changes.filter(c => !dropped.has(c)).map(c => {
    const names = folded.get(c);
    if (!names) return c;
    const sorted = [...names].sort();
    const shown = sorted.slice(0, 4).join(', ') + (sorted.length > 4 ? `, and ${sorted.length - 4} more` : '');
    return { ...c, signals: [...c.signals, { id: 'platform-binaries', detail: `with its ${sorted.length} per-platform binar${sorted.length === 1 ? 'y' : 'ies'} (${shown}), folded into this row` }] };
  });
}
