import { describe, expect, it } from 'vitest';
import { groupUpgrades } from './deps-plan.js';
import { pdmRequires } from './edges-pdm.js';
import { pep508Requirement, pythonRules } from './edges-python.js';

const lock = `[metadata]
groups = ["default"]
lock_version = "4.4"

[[package]]
name = "requests"
version = "2.32.0"
requires_python = ">=3.8"
dependencies = [
    "charset-normalizer<4,>=2",
    "idna<4,>=3.7",
    "urllib3[socks] (>=1.21.1) ; python_version >= \\"3.8\\"",
    "certifi",
]
`;

describe('pdmRequires', () => {
  const rules = pythonRules('pdm.lock dependencies');
  it('reads PEP 508 requirement strings', () => {
    expect(pdmRequires(lock).get('requests@2.32.0')).toEqual({ 'charset-normalizer': '<4,>=2', idna: '<4,>=3.7', urllib3: '>=1.21.1', certifi: '' });
    expect(pep508Requirement('x @ https://h/x.whl')).toEqual({ name: 'x', specifier: '' });
  });
  it('groups on a specifier the old version misses (PEP 440: 3.10 > 3.7), and none where it meets it', () => {
    const upgrades = [{ name: 'requests', from: '2.31.0', to: '2.32.0' }, { name: 'idna', from: '3.6', to: '3.7' }, { name: 'urllib3', from: '1.26.0', to: '2.0.0' },
      { name: 'certifi', from: '2024.1.1', to: '2024.2.2' }];
    const groups = groupUpgrades(upgrades, pdmRequires(lock), rules);
    expect(groups.map(g => g.members.map(m => m.name))).toEqual([['certifi'], ['idna', 'requests'], ['urllib3']]);
    expect(groups[1]?.why).toEqual(['requests@2.32.0 requires idna <4,>=3.7 (pdm.lock dependencies), which idna@3.6 does not satisfy']);
    expect(rules.satisfies('3.10', '>=3.7')).toBe(true);
  });
});
