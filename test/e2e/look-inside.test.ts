import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, type BuiltRepo } from '../helpers/build-repo.js';
import { isolatedEnv, projectRoot } from '../helpers/cli.js';
import { buildSdist, pypiProject, pypiRelease } from '../helpers/fake-pypi.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';

// Issue 14 as a user runs it: `reldiff v1 v2` on a service whose requirements.txt moved a package, with pip pointed
// at a private index (credentials in PIP_INDEX_URL) on 127.0.0.1. The child runs asynchronously so that the index in
// this process can answer it.

const PASSWORD = 'e2eIndexPassw0rd';
const bin = join(projectRoot, 'bin/reldiff.js');
let repo: BuiltRepo;
let index: RegistryServer;
let scratch = '';

function reldiff(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo.dir, env: { ...isolatedEnv(scratch), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => { stdout += String(chunk); });
    child.stderr.on('data', chunk => { stderr += String(chunk); });
    child.on('error', reject);
    child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'reldiff-e2e-look-'));
  index = await startRegistry();
  const versions: Record<string, Buffer> = {
    '1.0.0': buildSdist('pool', '1.0.0', { 'pool/__init__.py': 'def get(k):\n    return k\n', 'src/_speedups.c': 'int a;\n', 'CHANGES.rst': '1.0.0\n-----\n- first\n' }),
    '1.1.0': buildSdist('pool', '1.1.0', { 'pool/__init__.py': 'def get(k):\n    return k\n\n_seen = {}\n\ndef handle(event):\n    _seen[event.id] = event\n    return get(event)\n', 'src/_speedups.c': 'int a; static char *kept[1024];\n', 'CHANGES.rst': '1.1.0\n-----\n- faster lookups\n\n1.0.0\n-----\n- first\n' }),
    '1.1.1': buildSdist('pool', '1.1.1', { 'pool/__init__.py': 'def get(k):\n    return k\n', 'CHANGES.rst': '1.1.1\n-----\n- Fix memory leak in the C accelerator when a lookup raises\n\n1.1.0\n-----\n- faster lookups\n' }),
  };
  index.route('/pypi/pool/json', { body: pypiProject('pool', Object.fromEntries(Object.keys(versions).map(v => [v, [`pool-${v}.tar.gz`]]))) });
  for (const [v, body] of Object.entries(versions)) {
    index.route(`/pypi/pool/${v}/json`, { body: pypiRelease(index.url, 'pool', v, [{ filename: `pool-${v}.tar.gz`, body }]) });
    index.route(`/files/pool-${v}.tar.gz`, { body });
  }
  index.route('/pypi/pytz/json', { body: pypiProject('pytz', { '2024.1': [], '2024.2': [] }) });
  for (const v of ['2024.1', '2024.2']) index.route(`/pypi/pytz/${v}/json`, { body: pypiRelease(index.url, 'pytz', v, []) });
  repo = buildRepo({ commits: [
    { message: 'start', tag: 'v1', files: { 'Dockerfile': 'FROM python:3.12\n', 'requirements.txt': 'pool==1.0.0\npytz==2024.1\n', 'app.py': 'import pool\n' } },
    { message: 'bump pool and pytz', tag: 'v2', files: { 'requirements.txt': 'pool==1.1.0\npytz==2024.2\n' } },
  ] });
});

afterAll(async () => {
  await index.close();
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('reldiff v1 v2 looks inside a PyPI upgrade', () => {
  it('ranks the upgrade whose next release fixed a leak first, quotes the line and its source, and prints no credential', async () => {
    const env = { PIP_INDEX_URL: `http://deploy:${PASSWORD}@${index.url.slice(7)}simple` };
    const cold = await reldiff(['v1', 'v2', '--format', 'json'], env);
    expect(cold.stderr).not.toContain(PASSWORD);
    expect(cold.code).toBe(0);
    expect(cold.stdout).not.toContain(PASSWORD);
    const report = JSON.parse(cold.stdout) as { ranking: Array<{ kind: string; title: string; reasons: string[] }>; warnings: string[] };
    const top = report.ranking.find(r => r.kind === 'dependency');
    expect(top?.title).toBe('pool 1.0.0 -> 1.1.0 (minor)');
    expect(top?.reasons).toContain('v1.1.1 notes (CHANGES.rst of pool 1.1.1): "Fix memory leak in the C accelerator when a lookup raises": the version you moved to (1.1.0) may have it');
    // The real rule engine ran on the package's own added Python lines.
    expect(top?.reasons.some(r => /^inside pool 1\.0\.0 -> 1\.1\.0: 1 finding \(py-module-container-growth at pool\/__init__\.py:7: /.test(r))).toBe(true);
    expect(top?.reasons).toContain("compiled parts of pool changed 1.0.0 -> 1.1.0 (src/_speedups.c): leaks there are invisible to Python's heap tools");
    expect(report.warnings).toContain('deep scan: read both versions of 1 upgraded PyPI package (pool): leak signals in 1 of them (see their reasons)');
    // The second run, --offline, reads the same from the cache and says the same.
    const served = index.requests.length;
    const offline = await reldiff(['v1', 'v2', '--format', 'json', '--offline'], env);
    expect(index.requests.length).toBe(served);
    expect(offline.stdout).toBe(cold.stdout);
    // The look at pool was kept whole (look-cache.ts): without the archives, a second --offline run says the same bytes.
    const tarballs = join(scratch, '.cache-reldiff-test', 'reldiff', 'tarballs');
    expect(existsSync(tarballs)).toBe(true);
    rmSync(tarballs, { recursive: true, force: true });
    const again = await reldiff(['v1', 'v2', '--format', 'json', '--offline'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(offline.stdout);
  });

  it('does not look inside the pins of a library, and says so in one warning', async () => {
    const library = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'pyproject.toml': '[build-system]\nrequires = ["setuptools"]\n\n[project]\nname = "mylib"\n', 'requirements.txt': 'pool==1.0.0\n' } },
      { message: 'bump pool in CI', tag: 'v2', files: { 'requirements.txt': 'pool==1.1.0\n' } },
    ] });
    try {
      const before = index.requests.filter(r => r.path.startsWith('/files/')).length;
      const child = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
        const run = spawn(process.execPath, [bin, 'v1', 'v2', '--format', 'json'], { cwd: library.dir, env: { ...isolatedEnv(scratch), PIP_INDEX_URL: `${index.url}simple` } });
        let stdout = '';
        run.stdout.on('data', chunk => { stdout += String(chunk); });
        run.on('error', reject);
        run.on('close', code => resolve({ code: code ?? -1, stdout }));
      });
      expect(child.code).toBe(0);
      const report = JSON.parse(child.stdout) as { warnings: string[] };
      expect(report.warnings).toContain("deep scan: did not look inside 1 upgrade: 1 pinned for this library's own CI, not shipped to its users (pool)");
      expect(index.requests.filter(r => r.path.startsWith('/files/')).length).toBe(before);
    } finally {
      library.cleanup();
    }
  });
});
