import type { DependencyChange, Signal } from '../types.js';

// Risk signals that the lockfile itself tells, before any registry is asked.

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
  if (change.toVersions.length > 1) {
    signals.push({ id: 'many-versions', detail: `${change.toVersions.length} versions installed side by side` });
  }
  return signals.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
