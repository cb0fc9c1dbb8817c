// Small package-lock.json files written the way npm writes them, for repositories built by the tests.

export interface Pkg { name: string; version: string; dev?: boolean; script?: boolean; deps?: Record<string, string>; integrity?: string }

const integrity = (p: Pkg): string => p.integrity ?? `sha512-${Buffer.from(`${p.name}@${p.version}`).toString('base64')}`;
const tarball = (p: Pkg): string => `https://registry.npmjs.org/${p.name}/-/${p.name.split('/').pop() ?? ''}-${p.version}.tgz`;

/** lockfileVersion 3: flat `packages` keyed by install path. */
export function lockV3(pkgs: Pkg[], direct: string[], nested: { path: string; pkg: Pkg }[] = []): string {
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', dependencies: Object.fromEntries(direct.map(n => [n, '*'])) },
  };
  for (const p of pkgs) {
    packages[`node_modules/${p.name}`] = { version: p.version, resolved: tarball(p), integrity: integrity(p),
      ...(p.dev ? { dev: true } : {}), ...(p.script ? { hasInstallScript: true } : {}), ...(p.deps ? { dependencies: p.deps } : {}) };
  }
  for (const { path, pkg } of nested) packages[path] = { version: pkg.version, resolved: tarball(pkg), integrity: integrity(pkg) };
  return `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

/** lockfileVersion 1: nested `dependencies` with `requires`. */
export function lockV1(pkgs: Pkg[]): string {
  const dependencies: Record<string, unknown> = {};
  for (const p of pkgs) {
    dependencies[p.name] = { version: p.version, resolved: tarball(p), integrity: integrity(p),
      ...(p.dev ? { dev: true } : {}), ...(p.deps ? { requires: p.deps } : {}) };
  }
  return `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 1, requires: true, dependencies }, null, 2)}\n`;
}
