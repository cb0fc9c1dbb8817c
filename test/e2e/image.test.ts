import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { distInfo, dockerSave, dockerSaveMany, dpkgStatus, ociLayout, tarBytes, type ImageSpec } from '../helpers/image-archive.js';
import { reportSchemaErrors } from '../helpers/schema.js';

// `reldiff deps` on image archives built at test time (no Docker): two releases of one service image.

const SITE = 'usr/local/lib/python3.11/site-packages';
const SITE12 = 'usr/local/lib/python3.12/site-packages';
let dir: string;

const v14: ImageSpec = {
  layers: [
    [dpkgStatus([['libc6', '2.31-13+deb11u5'], ['zlib1g', '1:1.2.11.dfsg-2+deb11u2']]), { path: 'lib/x86_64-linux-gnu/libc.so.6', body: 'elf' }],
    [{ path: 'usr/local/lib/python3.11/os.py', body: '' }, ...distInfo(SITE, 'numpy', '1.26.4', true), ...distInfo(SITE, 'pytz', '2023.3'), ...distInfo(SITE, 'Pillow', '10.0.0', true)],
  ],
  env: ['PYTHON_VERSION=3.11.7'],
};
const v15: ImageSpec = {
  layers: [
    [dpkgStatus([['libc6', '2.36-9+deb12u4'], ['zlib1g', '1:1.2.13.dfsg-1'], ['libjemalloc2', '5.3.0-1']]), { path: 'lib/x86_64-linux-gnu/libc.so.6', body: 'elf' },
      { path: 'usr/lib/x86_64-linux-gnu/libjemalloc.so.2', body: 'elf' }],
    [{ path: 'usr/local/lib/python3.12/os.py', body: '' }, ...distInfo(SITE12, 'numpy', '1.26.4', true), ...distInfo(SITE12, 'pytz', '2024.1'), ...distInfo(SITE12, 'Pillow', '10.0.0', true)],
    // The release removes Pillow in an upper layer: a whiteout, not a missing file.
    [{ path: `${SITE12}/.wh.Pillow-10.0.0.dist-info` }],
  ],
  env: ['PYTHON_VERSION=3.12.1', 'LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2'],
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reldiff-image-e2e-'));
  writeFileSync(join(dir, 'a.tar'), dockerSave(v14));
  writeFileSync(join(dir, 'b.oci'), ociLayout({ ...v15, gzip: true }));
  writeFileSync(join(dir, 'requirements.txt'), 'numpy==1.26.4\npytz==2024.1\n');
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': { name: 'x' } } }));
  writeFileSync(join(dir, 'loop.tar'), tarBytes([
    { path: 'x/layer.tar', type: 'SymbolicLink', linkpath: 'layer.tar' },
    { path: 'c.json', body: '{}' },
    { path: 'manifest.json', body: JSON.stringify([{ Config: 'c.json', Layers: ['x/layer.tar'] }]) },
  ]));
  writeFileSync(join(dir, 'a.tar.gz'), gzipSync(dockerSave(v14)));
  writeFileSync(join(dir, 'a-zstd.tar'), dockerSave({ ...v14, zstd: true }));
  const gz = gzipSync(dockerSave({ ...v14, layers: [...v14.layers, [{ path: 'blob.bin', body: Buffer.alloc(300000, 7) }]] }));
  writeFileSync(join(dir, 'cut.tar.gz'), gz.subarray(0, gz.length - 200));
  // The same OCI layout as a folder (skopeo copy ... oci:dir), unpacked by the tar package.
  mkdirSync(join(dir, 'oci-folder'));
  extract({ file: join(dir, 'b.oci'), cwd: join(dir, 'oci-folder'), sync: true });
  writeFileSync(join(dir, 'notes.gz'), gzipSync(Buffer.from('just some notes\n')));
  writeFileSync(join(dir, 'zip-layer.tar'), dockerSave({ ...v14, rawLayers: { 1: Buffer.from('PK\x03\x04 not a layer') } }));
  writeFileSync(join(dir, 'huge.tar'), tarBytes([{ path: 'l/layer.tar', body: tarBytes([{ path: 'big.bin', body: 'x', declaredSize: 10 * 1024 ** 3 }], { end: false }) },
    { path: 'manifest.json', body: '[]' }]));
  const whole = dockerSave(v14);
  writeFileSync(join(dir, 'cut.tar'), whole.subarray(0, whole.length - 1500));
  writeFileSync(join(dir, 'both.tar'), dockerSaveMany([{ spec: v14, tags: ['registry/app:1.4.0'] }, { spec: v15, tags: ['registry/app:1.5.0', 'registry/app:latest'] }]));
  // A file whose own name holds a #: it is that file, not an image picked from `odd`.
  writeFileSync(join(dir, 'odd#1.tar'), dockerSave(v14));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reldiff deps on two images', () => {
  it('lists every package and runtime that differs, ranked, valid against the schema', () => {
    const r = runCli(['deps', 'a.tar', 'b.oci', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.dependencies.map(d => `${d.ecosystem} ${d.name} ${d.from} -> ${d.to} ${d.change}`).sort()).toEqual([
      'deb libc6 2.31-13+deb11u5 -> 2.36-9+deb12u4 minor',
      'deb libjemalloc2 null -> 5.3.0-1 added',
      'deb zlib1g 1:1.2.11.dfsg-2+deb11u2 -> 1:1.2.13.dfsg-1 patch',
      'pypi Pillow 10.0.0 -> null removed',
      'pypi pytz 2023.3 -> 2024.1 major',
      'runtime env:LD_PRELOAD null -> /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 added',
      'runtime glibc 2.31-13+deb11u5 -> 2.36-9+deb12u4 minor',
      'runtime jemalloc null -> 5.3.0-1 added',
      'runtime python 3.11.7 -> 3.12.1 minor',
    ]);
    // The allocator and the C library lead: they change what every allocation does.
    expect(report.ranking.slice(0, 3).map(r => r.dependency?.name).sort()).toEqual(['env:LD_PRELOAD', 'glibc', 'jemalloc']);
    expect(report.from.commit).toMatch(/^sha256:/);
  });

  it('reads an OCI layout folder as the same image as its tar', () => {
    const archive = JSON.parse(runCli(['deps', 'a.tar', 'b.oci', '--format', 'json'], { cwd: dir }).stdout) as Report;
    const r = runCli(['deps', 'a.tar', 'oci-folder', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const folder = JSON.parse(r.stdout) as Report;
    expect(folder.dependencies.map(d => `${d.name} ${d.to}`)).toEqual(archive.dependencies.map(d => `${d.name} ${d.to}`));
    expect(folder.to.commit).toBe(archive.to.commit);
  });

  it('reads zstd layers (buildx compression=zstd) as the same image', () => {
    const zstd = runCli(['deps', 'a-zstd.tar', 'b.oci', '--format', 'json', '--offline'], { cwd: dir });
    const plain = runCli(['deps', 'a.tar', 'b.oci', '--format', 'json', '--offline'], { cwd: dir });
    expect(zstd.code).toBe(0);
    const names = (stdout: string): string[] => (JSON.parse(stdout) as Report).dependencies.map(d => `${d.ecosystem} ${d.name} ${d.from} -> ${d.to}`);
    expect(names(zstd.stdout)).toEqual(names(plain.stdout));
    expect(names(zstd.stdout)).toContain('pypi pytz 2023.3 -> 2024.1');
  });

  it('reads a gzip-compressed archive (docker save | gzip) as the same image', () => {
    const plain = JSON.parse(runCli(['deps', 'a.tar', 'b.oci', '--format', 'json'], { cwd: dir }).stdout) as Report;
    const r = runCli(['deps', 'a.tar.gz', 'b.oci', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const compressed = JSON.parse(r.stdout) as Report;
    expect(compressed.dependencies).toEqual(plain.dependencies);
    expect(compressed.from.commit).toBe(plain.from.commit);
  });

  it('shows the new ecosystems in Markdown and HTML like the others', () => {
    const md = runCli(['deps', 'a.tar', 'b.oci', '--format', 'markdown', '--all'], { cwd: dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/glibc/);
    expect(md.stdout).toMatch(/libjemalloc2/);
    const html = runCli(['deps', 'a.tar', 'b.oci', '--format', 'html'], { cwd: dir });
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/runtime/);
  });
});

describe('reldiff deps on an image and a lockfile', () => {
  it('compares the lockfile ecosystem only, and says so', () => {
    const r = runCli(['deps', 'b.oci', 'requirements.txt', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.dependencies.map(d => `${d.name} ${d.from} -> ${d.to}`)).toEqual([]);
    expect(report.warnings.join('\n')).toMatch(/pypi packages only/);
    const a = JSON.parse(runCli(['deps', 'a.tar', 'requirements.txt', '--format', 'json'], { cwd: dir }).stdout) as Report;
    expect(a.dependencies.map(d => `${d.name} ${d.from} -> ${d.to}`)).toEqual(['Pillow 10.0.0 -> null', 'pytz 2023.3 -> 2024.1']);
  });

  it('refuses a lockfile of an ecosystem the image does not hold', () => {
    const r = runCli(['deps', 'a.tar', 'package-lock.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/holds no npm packages/);
  });
});

describe('an archive of several images (docker save a:1 b:2)', () => {
  it('compares two images of one archive picked by tag, the same as two archives', () => {
    const picked = runCli(['deps', 'both.tar#registry/app:1.4.0', 'both.tar#registry/app:latest', '--format', 'json', '--offline'], { cwd: dir });
    expect(picked.stderr).toBe('');
    expect(picked.code).toBe(0);
    const report = JSON.parse(picked.stdout) as Report;
    writeFileSync(join(dir, 'b.tar'), dockerSave(v15));
    const separate = JSON.parse(runCli(['deps', 'a.tar', 'b.tar', '--format', 'json', '--offline'], { cwd: dir }).stdout) as Report;
    const summary = (r: Report): string[] => r.dependencies.map(d => `${d.ecosystem} ${d.name} ${d.from} -> ${d.to}`);
    expect(summary(report)).toEqual(summary(separate));
    expect(summary(report)).toContain('pypi pytz 2023.3 -> 2024.1');
    expect([report.from.ref, report.to.ref]).toEqual(['both.tar#registry/app:1.4.0', 'both.tar#registry/app:latest']);
    expect(runCli(['deps', 'odd#1.tar', 'a.tar', '--offline'], { cwd: dir }).code).toBe(0);
  });

  it.each([
    [['both.tar', 'a.tar'], /^reldiff: both\.tar holds 2 images \(registry\/app:1\.4\.0, registry\/app:1\.5\.0\)\. Pick the one to compare after a #, e\.g\. both\.tar#registry\/app:1\.4\.0/],
    [['both.tar#app:9', 'a.tar'], /both\.tar holds no image app:9 \(it holds registry\/app:1\.4\.0, registry\/app:1\.5\.0\)/],
    [['both.tar#', 'a.tar'], /both\.tar# ends in # with no image after it/],
    [['requirements.txt#app:1', 'a.tar'], /requirements\.txt#app:1 picks an image after #, but requirements\.txt is not an image archive/],
  ])('%j exits 2 with one line', (args, message) => {
    const r = runCli(['deps', ...args, '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('bad image archives', () => {
  it.each([
    ['loop.tar', /symbolic link loop/],
    ['cut.tar', /truncated/],
    ['zip-layer.tar', /layer [0-9a-f]{64}\/layer\.tar is not a tar archive/],
    ['huge.tar', /layer l\/layer\.tar holds big\.bin declaring 10\.0 GB/],
    ['cut.tar.gz', /cut\.tar\.gz: is truncated/],
    ['notes.gz', /notes\.gz is gzip-compressed and holds no tar archive\. Decompress it first/],
  ])('%s exits 2 with one line', (file, message) => {
    const r = runCli(['deps', file, 'b.oci'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
