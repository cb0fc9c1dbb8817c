import { describe, expect, it } from 'vitest';
import { groupUpgrades } from './deps-plan.js';
import { pythonRules } from './edges-python.js';
import { uvRequires } from './edges-uv.js';

const lock = `version = 1
requires-python = ">=3.9"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "httpx" },
]

[package.metadata]
requires-dist = [{ name = "httpx", specifier = ">=0.27" }]

[[package]]
name = "httpx"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "anyio" },
    { name = "numpy", version = "2.0.0", source = { registry = "https://pypi.org/simple" }, marker = "python_version >= '3.10'" },
]
`;

describe('uvRequires', () => {
  const rules = pythonRules('uv.lock dependencies');
  it('reads exact versions of dependencies and requires-dist specifiers, names with neither asking nothing', () => {
    const edges = uvRequires(lock);
    expect(edges.get('httpx@0.27.0')).toEqual({ numpy: '==2.0.0' });
    expect(edges.get('app@0.1.0')).toEqual({ httpx: '>=0.27' });
  });
  it('groups on an exact edge the old version misses, and not on a bare name', () => {
    const upgrades = [{ name: 'httpx', from: '0.26.0', to: '0.27.0' }, { name: 'numpy', from: '1.26.4', to: '2.0.0' }, { name: 'anyio', from: '3.0.0', to: '4.0.0' }];
    const groups = groupUpgrades(upgrades, uvRequires(lock), rules);
    expect(groups.map(g => g.members.map(m => m.name))).toEqual([['anyio'], ['httpx', 'numpy']]);
    expect(groups[1]?.why).toEqual(['httpx@0.27.0 requires numpy ==2.0.0 (uv.lock dependencies), which numpy@1.26.4 does not satisfy']);
    expect(groupUpgrades([{ name: 'httpx', from: '0.26.0', to: '0.27.0' }, { name: 'numpy', from: '2.0.0', to: '2.0.1' }], uvRequires(lock), rules)
      .map(g => g.members.length)).toEqual([1, 1]);
  });
});
