import { describe, expect, it } from 'vitest';
import type { DependencyChange } from '../types.js';
import { lockfileSignals } from './signals.js';

function change(over: Partial<DependencyChange>): DependencyChange {
  return {
    ecosystem: 'npm', lockfile: 'package-lock.json', name: 'ws', from: '8.0.0', to: '8.1.0', change: 'minor',
    fromVersions: ['8.0.0'], toVersions: ['8.1.0'], direct: true, dev: false, signals: [], commits: [], ...over,
  };
}

describe('lockfileSignals: many versions', () => {
  it('counts copies that load side by side: npm nesting and Cargo semver-incompatible copies', () => {
    expect(lockfileSignals(change({ toVersions: ['7.5.0', '8.1.0'] })).map((s) => s.detail))
      .toEqual(['2 versions installed side by side']);
    expect(lockfileSignals(change({ ecosystem: 'cargo', lockfile: 'Cargo.lock', toVersions: ['0.3.0', '0.4.1'] })).map((s) => s.id))
      .toEqual(['many-versions']);
  });

  it('does not count pins that environment markers, uv forks or platforms choose between (hostile trial #22)', () => {
    // requests==2.32.0 ; python_version >= "3.8"  and  requests==2.0.0 ; python_version < "3": one is installed.
    const pinned = change({ ecosystem: 'pypi', lockfile: 'requirements.txt', name: 'requests', toVersions: ['2.0.0', '2.32.0'] });
    expect(lockfileSignals(pinned)).toEqual([]);
    expect(lockfileSignals(change({ ecosystem: 'conda', lockfile: 'conda-lock.yml', toVersions: ['1.0', '1.1'] }))).toEqual([]);
    expect(lockfileSignals(change({ ecosystem: 'go', lockfile: 'go.mod', toVersions: ['1.0.0', '1.1.0'] }))).toEqual([]);
  });
});
