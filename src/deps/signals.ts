import type { DependencyChange, Ecosystem, Signal } from '../types.js';

// Risk signals that the lockfile itself tells, before any registry is asked.

/**
 * Where two versions of one package can load into the same process: npm nests copies, Cargo links semver-incompatible
 * copies into one binary. Everywhere else one environment holds one version, so two pins are alternatives chosen by
 * environment markers (`; python_version < "3"`), uv forks or platforms, never two copies in memory.
 */
const SIDE_BY_SIDE: ReadonlySet<Ecosystem> = new Set<Ecosystem>(['npm', 'cargo']);

export function lockfileSignals(change: DependencyChange): Signal[] {
  const signals: Signal[] = [];
  const before = change.before ?? {};
  const after = change.after ?? {};
  if (after.installScript && !before.installScript && change.before) {
    signals.push({ id: 'install-script-added', detail: 'an install script appeared in this version' });
  } else if (after.installScript) {
    signals.push({ id: 'install-script', detail: 'runs an install script (often a native build)' });
  }
  if (after.native && !before.native && change.before) {
    signals.push({ id: 'native-added', detail: 'native code appeared in this version' });
  } else if (after.native) {
    signals.push({ id: 'native-code', detail: 'ships native code, which the JavaScript or Python heap tools do not see' });
  }
  if (change.toVersions.length > 1 && SIDE_BY_SIDE.has(change.ecosystem)) {
    signals.push({ id: 'many-versions', detail: `${change.toVersions.length} versions installed side by side` });
  }
  return signals.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
