import { describe, expect, it } from 'vitest';
import { groupUpgrades } from './deps-plan.js';
import { poetryRequires } from './edges-poetry.js';
import { pythonRules } from './edges-python.js';

const lock = `[[package]]
name = "Requests"
version = "2.32.0"
description = ""
optional = false
python-versions = ">=3.8"
files = []

[package.dependencies]
charset_normalizer = ">=2,<4"
idna = ">=3.7,<4"
urllib3 = "*"
pysocks = {version = ">=1.5.6,!=1.5.7", optional = true}
numpy = [
    {version = ">=1.26", markers = "python_version >= \\"3.12\\""},
    {version = ">=1.21", markers = "python_version < \\"3.12\\""},
]

[metadata]
lock-version = "2.0"
python-versions = "^3.8"
content-hash = "x"
`;

describe('poetryRequires', () => {
  const rules = pythonRules('poetry.lock [package.dependencies]');
  it('reads [package.dependencies] under the PEP 503 name and version, lists as alternatives, extras left out', () => {
    expect(poetryRequires(lock).get('requests@2.32.0')).toEqual({ 'charset-normalizer': '>=2,<4', idna: '>=3.7,<4', urllib3: '*', numpy: '>=1.26 || >=1.21' });
  });
  it('groups by PEP 440, not semver, and not where the old version meets the specifier', () => {
    const upgrades = [{ name: 'requests', from: '2.31.0', to: '2.32.0' }, { name: 'IDNA', from: '3.6', to: '3.7' },
      { name: 'charset-normalizer', from: '3.3.2', to: '3.4.0' }, { name: 'numpy', from: '1.24.0', to: '1.26.0' }, { name: 'PySocks', from: '1.5.7', to: '1.7.1' }];
    const groups = groupUpgrades(upgrades, poetryRequires(lock), rules);
    expect(groups.map(g => g.members.map(m => m.name))).toEqual([['charset-normalizer'], ['IDNA', 'requests'], ['numpy'], ['PySocks']]);
    expect(groups[1]?.why).toEqual(['requests@2.32.0 requires IDNA >=3.7,<4 (poetry.lock [package.dependencies]), which IDNA@3.6 does not satisfy']);
  });
  it('gives no edges for text that is not TOML', () => {
    expect(poetryRequires('[[package]\n').size).toBe(0);
  });
});
