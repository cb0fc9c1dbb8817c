import { describe, expect, it } from 'vitest';
import { groupUpgrades } from './deps-plan.js';
import { exactVersion, pnpmRequires, pnpmRules } from './edges-pnpm.js';

const v9 = `lockfileVersion: '9.0'

importers:
  .:
    dependencies:
      a:
        specifier: ^2.0.0
        version: 2.0.0(react@18.2.0)

packages:
  a@2.0.0:
    resolution: {integrity: sha512-a}
  b@2.0.0:
    resolution: {integrity: sha512-b}

snapshots:
  a@2.0.0(react@18.2.0):
    dependencies:
      b: 2.0.0
      c: 1.0.0
      local: link:../local
  b@2.0.0: {}
`;

const v6 = `lockfileVersion: '6.0'

packages:
  /a@2.0.0:
    resolution: {integrity: sha512-a}
    dependencies:
      b: 2.0.0(react@18.2.0)
    dev: false
`;

describe('pnpmRequires', () => {
  it('reads the project document of a multi-document lock, not the env document pnpm 11 writes first', () => {
    const env = `---\nlockfileVersion: '9.0'\n\nimporters:\n  .:\n    configDependencies: {}\n\npackages:\n  a@9.9.9:\n    resolution: {integrity: sha512-e}\n\nsnapshots:\n  a@9.9.9:\n    dependencies:\n      b: 9.9.9\n`;
    const both = pnpmRequires(`${env}---\n${v9}`);
    expect(both.get('a@2.0.0')).toEqual({ b: '2.0.0', c: '1.0.0' });
    expect(both.has('a@9.9.9')).toBe(false);
  });

  it('reads 9.x snapshots and 6.x packages as exact versions, peers and links left out', () => {
    expect(pnpmRequires(v9).get('a@2.0.0')).toEqual({ b: '2.0.0', c: '1.0.0' });
    expect(pnpmRequires(v6).get('a@2.0.0')).toEqual({ b: '2.0.0' });
    expect(exactVersion('1.2.3_react@18.0.0', 5)).toBe('1.2.3');
    expect(exactVersion('npm:real@1.0.0', 9)).toBeUndefined();
  });
  it('groups A with B when A@new needs another B than the old one, and not when it needs the old one', () => {
    const upgrades = [{ name: 'a', from: '1.0.0', to: '2.0.0' }, { name: 'b', from: '1.0.0', to: '2.0.0' }, { name: 'c', from: '1.0.0', to: '1.1.0' }];
    for (const text of [v9, v6]) {
      const groups = groupUpgrades(upgrades, pnpmRequires(text), pnpmRules);
      expect(groups.map(g => g.members.map(m => m.name))).toEqual([['a', 'b'], ['c']]);
      expect(groups[0]?.why).toEqual(['a@2.0.0 requires b 2.0.0 (pnpm-lock.yaml dependencies), which b@1.0.0 does not satisfy']);
    }
  });
  it('gives no edges for text that is not a pnpm lock', () => {
    expect(pnpmRequires('a: [').size).toBe(0);
    expect(pnpmRequires('packages: {}\n').size).toBe(0);
  });
});
