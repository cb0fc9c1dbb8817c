// Runtime ranges in project manifests: package.json `engines` and `devEngines.runtime`
// (https://docs.npmjs.com/cli/v11/configuring-npm/package-json#devengines), pyproject.toml `requires-python`
// (https://packaging.python.org/en/latest/specifications/pyproject-toml/#requires-python), and the runtimes pnpm
// installs itself (pnpm-lock.yaml `node@runtime:22.18.0`, https://pnpm.io/package_json#devenginesruntime).
import { parse as parseToml } from 'smol-toml';
import type { LockedPackage } from '../types.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function range(name: string, version: string, installPath: string): LockedPackage {
  return { name, version: version.trim(), direct: true, dev: false, installPath, facts: {} };
}

/** Unreadable JSON gives no pins: package.json is read as a source file too, and its own tools report it. */
export function packageJsonPins(text: string): LockedPackage[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isRecord(json)) return [];
  const pins: LockedPackage[] = [];
  const engines = json['engines'];
  if (isRecord(engines)) {
    for (const [name, value] of Object.entries(engines)) {
      if (typeof value === 'string' && (name === 'node' || name === 'bun' || name === 'deno')) pins.push(range(name, value, 'engines'));
    }
  }
  const devEngines = json['devEngines'];
  const runtimes = isRecord(devEngines) ? devEngines['runtime'] : undefined;
  for (const entry of Array.isArray(runtimes) ? runtimes : runtimes === undefined ? [] : [runtimes]) {
    if (isRecord(entry) && typeof entry['name'] === 'string' && typeof entry['version'] === 'string') {
      pins.push({ ...range(entry['name'], entry['version'], 'devEngines.runtime'), dev: true });
    }
  }
  return pins;
}

export function pyprojectPins(text: string): LockedPackage[] {
  let toml: unknown;
  try {
    toml = parseToml(text);
  } catch {
    return [];
  }
  const project = isRecord(toml) ? toml['project'] : undefined;
  const requires = isRecord(project) ? project['requires-python'] : undefined;
  const pins: LockedPackage[] = typeof requires === 'string' ? [range('python', requires, 'requires-python')] : [];
  // Poetry before PEP 621 keeps it as a dependency named python.
  const tool = isRecord(toml) ? toml['tool'] : undefined;
  const poetry = isRecord(tool) ? tool['poetry'] : undefined;
  const deps = isRecord(poetry) ? poetry['dependencies'] : undefined;
  const python = isRecord(deps) ? deps['python'] : undefined;
  if (typeof python === 'string' && pins.length === 0) pins.push(range('python', python, 'tool.poetry.dependencies'));
  return pins;
}

/** `node@runtime:<version>` keys of a pnpm lockfile's packages: the exact runtime pnpm downloads. */
export function pnpmRuntimePins(text: string): LockedPackage[] {
  const pins = new Map<string, LockedPackage>();
  for (const m of text.matchAll(/^\s+['"]?(node|deno|bun)@runtime:([^'"\s:]+)['"]?:\s*$/gm)) {
    const [, name = '', version = ''] = m;
    pins.set(`${name}@${version}`, { ...range(name, version, 'pnpm-lock.yaml runtime'), dev: false });
  }
  return [...pins.values()];
}
