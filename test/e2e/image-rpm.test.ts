import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { distInfo, dockerSave, ociLayout, type TarEntry } from '../helpers/image-archive.js';
import type { RpmPackageSpec } from '../helpers/rpm-header.js';
import { rpmdbSqlite } from '../helpers/rpmdb.js';
import { reportSchemaErrors } from '../helpers/schema.js';

// `reldiff deps` on two UBI-like images whose OS packages are RPMs, through the built CLI: a glibc update, jemalloc
// added, Python 3.9 -> 3.11 from the distribution's own packages.

let dir: string;
const ubi = async (packages: RpmPackageSpec[], python: string): Promise<TarEntry[]> => [
  { path: 'var/lib/rpm/rpmdb.sqlite', body: await rpmdbSqlite(packages) },
  { path: 'usr/lib64/libc.so.6', body: 'elf' }, { path: `usr/lib64/${python}/os.py`, body: '' },
  ...(packages.some(p => p.name === 'jemalloc') ? [{ path: 'usr/lib64/libjemalloc.so.2', body: 'elf' }] : []),
  ...distInfo(`usr/lib/${python}/site-packages`, 'six', '1.16.0'),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reldiff-image-rpm-e2e-'));
  const before = await ubi([
    { name: 'glibc', version: '2.34', release: '100.el9_4.2', arch: 'x86_64' },
    { name: 'python3', version: '3.9.18', release: '3.el9', arch: 'x86_64' },
    { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '27.el9', arch: 'x86_64' },
    { name: 'tzdata', version: '2024a', release: '1.el9', arch: 'noarch' },
  ], 'python3.9');
  const after = await ubi([
    { name: 'glibc', version: '2.34', release: '125.el9_5.1', arch: 'x86_64' },
    { name: 'python3', version: '3.9.21', release: '1.el9', arch: 'x86_64' },
    { name: 'python3.11', version: '3.11.9', release: '7.el9', arch: 'x86_64' },
    { name: 'jemalloc', version: '5.3.0', release: '1.el9', arch: 'x86_64' },
    { name: 'openssl-libs', epoch: 1, version: '3.2.2', release: '6.el9_5', arch: 'x86_64' },
    // <script> in a package name: a report must escape what an image says.
    { name: 'tzdata<script>', version: '2024b', release: '2.el9', arch: 'noarch' },
  ], 'python3.11');
  writeFileSync(join(dir, 'ubi-1.tar'), dockerSave({ layers: [before] }));
  writeFileSync(join(dir, 'ubi-2.oci'), ociLayout({ layers: [after], gzip: true }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reldiff deps on two images with RPM packages', () => {
  it('lists every rpm and runtime change, ranked with the reasons deb and apk changes get, valid against the schema', () => {
    const r = runCli(['deps', 'ubi-1.tar', 'ubi-2.oci', '--format', 'json', '--offline'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.dependencies.map(d => `${d.ecosystem} ${d.name} ${d.from} -> ${d.to} ${d.change}`).sort()).toEqual([
      'rpm glibc 2.34-100.el9_4.2 -> 2.34-125.el9_5.1 patch',
      'rpm jemalloc null -> 5.3.0-1.el9 added',
      'rpm openssl-libs 1:3.0.7-27.el9 -> 1:3.2.2-6.el9_5 minor',
      'rpm python3 3.9.18-3.el9 -> 3.9.21-1.el9 patch',
      'rpm python3.11 null -> 3.11.9-7.el9 added',
      'rpm tzdata 2024a-1.el9 -> null removed',
      'rpm tzdata<script> null -> 2024b-2.el9 added',
      'runtime glibc 2.34-100.el9_4.2 -> 2.34-125.el9_5.1 patch',
      'runtime jemalloc null -> 5.3.0-1.el9 added',
      'runtime python 3.9.18-3.el9 -> 3.11.9-7.el9 minor',
    ].sort());
    const signals = (name: string): string[] => report.dependencies.find(d => d.ecosystem === 'runtime' && d.name === name)?.signals.map(s => s.id) ?? [];
    expect(signals('glibc')).toEqual(['runtime-libc']);
    expect(signals('jemalloc')).toEqual(['runtime-allocator']);
    expect(signals('python')).toEqual(['runtime-interpreter']);
    // The allocator, the interpreter and the C library lead, as they do for Debian and Alpine images.
    expect(report.ranking.slice(0, 3).map(i => `${i.dependency?.ecosystem} ${i.dependency?.name}`).sort()).toEqual(['runtime glibc', 'runtime jemalloc', 'runtime python']);
    const openssl = report.ranking.find(i => i.dependency?.name === 'openssl-libs');
    expect(openssl?.reasons).toContain('an OS package of the image: loaded when a library links it');
  });

  it('shows rpm in the terminal, Markdown and HTML reports like deb and apk, escaped', () => {
    const terminal = runCli(['deps', 'ubi-1.tar', 'ubi-2.oci', '--offline', '--all'], { cwd: dir });
    expect(terminal.code).toBe(0);
    expect(terminal.stdout).toMatch(/ubi-2\.oci \(rpm\)/);
    expect(terminal.stdout).toMatch(/openssl-libs/);
    const md = runCli(['deps', 'ubi-1.tar', 'ubi-2.oci', '--format', 'markdown', '--all', '--offline'], { cwd: dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/openssl-libs/);
    expect(md.stdout).toMatch(/rpm/);
    // Markdown shows names in code spans, where GitHub prints markup as text; nowhere else.
    expect(md.stdout).toMatch(/`tzdata<script>`/);
    expect(md.stdout.replace(/`[^`\n]*`/g, '')).not.toMatch(/<script>/);
    const html = runCli(['deps', 'ubi-1.tar', 'ubi-2.oci', '--format', 'html', '--offline'], { cwd: dir });
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/openssl-libs/);
    expect(html.stdout).toMatch(/tzdata&lt;script&gt;/);
    expect(html.stdout).not.toMatch(/tzdata<script>/);
  });
});
