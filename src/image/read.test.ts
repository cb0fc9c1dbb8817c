import { gunzipSync, gzipSync } from 'node:zlib';
import { Header, Pax } from 'tar';
import { describe, expect, it } from 'vitest';
import { archiveFiles } from '../../test/helpers/archive-files.js';
import { distInfo, dockerSave, dpkgStatus, ociLayout, tarBytes, zstdBytes, type ImageSpec } from '../../test/helpers/image-archive.js';
import { ReldiffError } from '../errors.js';
import { isTarFile, readImage } from './read.js';
import { DEFAULT_IMAGE_LIMITS } from './stream.js';

const file = archiveFiles('reldiff-image-');
const SITE = 'usr/local/lib/python3.12/site-packages';

const base: ImageSpec = {
  layers: [
    [dpkgStatus([['libc6', '2.36-9+deb12u4'], ['libssl3', '3.0.11-1~deb12u2']]), { path: 'usr/lib/x86_64-linux-gnu/libc.so.6', body: 'elf' },
      { path: 'usr/lib/os-release', body: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' },
      { path: 'etc/os-release', type: 'SymbolicLink', linkpath: '../usr/lib/os-release' }],
    [{ path: 'usr/local/include/python3.12/patchlevel.h', body: '#define PY_VERSION "3.12.1"\n' }, { path: 'usr/local/lib/python3.12/os.py', body: '' },
      ...distInfo(SITE, 'numpy', '1.26.4', true), ...distInfo(SITE, 'pytz', '2023.3')],
    [{ path: `${SITE}/.wh.pytz-2023.3.dist-info` }, ...distInfo(SITE, 'requests', '2.31.0'),
      { path: 'app/node_modules/left-pad/package.json', body: '{"name":"left-pad","version":"1.3.0"}' },
      { path: 'app/node_modules/left-pad/test/package.json', body: '{"name":"fixture","version":"0.0.0"}' }],
  ],
  env: ['PATH=/usr/bin', 'PYTHON_VERSION=3.12.1', 'MALLOC_ARENA_MAX=2'],
  history: ['/bin/sh -c #(nop) ADD file:0123456789abcdef0123 in / ', 'RUN pip install numpy'],
};

/** One file whose path does not fit a ustar header: given by a pax extended header or a GNU long-name entry. */
function longNamed(path: string, body: string, how: 'pax' | 'gnu'): Buffer {
  const block = (h: Header): Buffer => {
    const b = Buffer.alloc(512);
    h.encode(b, 0);
    return b;
  };
  const padded = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
  const file = block(new Header({ path: 'short-name', size: Buffer.byteLength(body), type: 'File', mode: 0o644, mtime: new Date(0) }));
  const prefix = how === 'pax' ? new Pax({ path }).encode()
    : Buffer.concat([block(new Header({ path: '././@LongLink', size: path.length + 1, type: 'NextFileHasLongPath', mode: 0o644, mtime: new Date(0) })), padded(Buffer.from(`${path}\0`))]);
  return Buffer.concat([prefix, file, padded(Buffer.from(body))]);
}

const summary = (sets: Awaited<ReturnType<typeof readImage>>['sets']): string[] =>
  sets.flatMap(s => s.packages.map(p => `${s.ecosystem} ${p.name} ${p.version}${p.facts.native ? ' native' : ''}`));

describe('reading an image archive', () => {
  it('reads every ecosystem from a docker save archive, honouring a whiteout of an upper layer', async () => {
    const path = file(dockerSave(base));
    expect(await isTarFile(path)).toBe(true);
    const image = await readImage(path, 'a.tar');
    expect(summary(image.sets)).toEqual([
      'pypi numpy 1.26.4 native', 'pypi requests 2.31.0',
      'npm left-pad 1.3.0',
      'deb libc6 2.36-9+deb12u4', 'deb libssl3 3.0.11-1~deb12u2',
      'runtime base-rootfs file:0123456789ab', 'runtime env:MALLOC_ARENA_MAX 2', 'runtime glibc 2.36-9+deb12u4', 'runtime os:debian 12', 'runtime python 3.12.1',
    ]);
    expect(image.id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reads gzip layers, symlinked layer paths and an opaque folder', async () => {
    const spec: ImageSpec = { ...base, gzip: true, layers: [...base.layers, [{ path: `${SITE}/.wh..wh..opq` }, ...distInfo(SITE, 'flask', '3.0.0')]] };
    const image = await readImage(file(dockerSave(spec, { linked: true })), 'b.tar');
    expect(summary(image.sets).filter(s => s.startsWith('pypi'))).toEqual(['pypi flask 3.0.0']);
  });

  it('reads an OCI layout with its base-image annotation, on musl with jemalloc', async () => {
    const spec: ImageSpec = { layers: [[
      { path: 'lib/apk/db/installed', body: 'C:Q1x\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\n\nP:jemalloc\nV:5.3.0-r4\n' },
      { path: 'lib/ld-musl-x86_64.so.1', body: 'elf' }, { path: 'usr/lib/libjemalloc.so.2', body: 'elf' },
      { path: 'usr/local/include/node/node_version.h', body: '#define NODE_MAJOR_VERSION 20\n#define NODE_MINOR_VERSION 11\n#define NODE_PATCH_VERSION 1\n' },
    ]], env: ['NODE_OPTIONS=--max-old-space-size=512', 'LD_PRELOAD=/usr/lib/libjemalloc.so.2'] };
    const image = await readImage(file(ociLayout(spec, { 'org.opencontainers.image.base.name': 'docker.io/library/node:20-alpine', 'org.opencontainers.image.base.digest': 'sha256:feed' })), 'c.tar');
    expect(summary(image.sets)).toEqual([
      'apk jemalloc 5.3.0-r4', 'apk musl 1.2.4_git20230717-r4',
      'runtime env:LD_PRELOAD /usr/lib/libjemalloc.so.2', 'runtime env:NODE_OPTIONS --max-old-space-size=512', 'runtime image:node 20-alpine',
      'runtime jemalloc 5.3.0-r4', 'runtime musl 1.2.4_git20230717-r4', 'runtime node 20.11.1',
    ]);
  });

  it('names a distribution\'s own Python by its package when no header or PYTHON_VERSION says it', async () => {
    const spec: ImageSpec = { layers: [[dpkgStatus([['python3.11-minimal', '3.11.2-6+deb12u1']]), { path: 'usr/lib/python3.11/os.py', body: '' },
      ...distInfo('usr/lib/python3/dist-packages', 'requests', '2.28.1')]] };
    expect(summary((await readImage(file(dockerSave(spec)), 'd.tar')).sets)).toEqual([
      'pypi requests 2.28.1', 'deb python3.11-minimal 3.11.2-6+deb12u1', 'runtime python 3.11.2-6+deb12u1',
    ]);
  });

  const refused = async (bytes: Buffer): Promise<string> => {
    try {
      await readImage(file(bytes), 'bad.tar');
    } catch (error) {
      expect(error).toBeInstanceOf(ReldiffError);
      return (error as Error).message;
    }
    throw new Error('expected a refusal');
  };

  it('refuses a truncated archive', async () => {
    const whole = dockerSave(base);
    expect(await refused(whole.subarray(0, Math.floor(whole.length / 2)))).toMatch(/truncated/);
  });

  it('refuses a layer that is not a tar', async () => {
    expect(await refused(dockerSave({ ...base, rawLayers: { 1: Buffer.from('PK\x03\x04 a zip file, not a layer') } }))).toMatch(/layer .* is not a tar archive/);
    expect(await refused(dockerSave({ ...base, rawLayers: { 1: gzipSync(Buffer.from('gzip of plain text '.repeat(100))) } }))).toMatch(/layer .* (is not a tar|truncated)/);
  });

  it('reads a gzip-compressed archive, and refuses one whose layer is not a tar or whose stream is cut', async () => {
    expect(summary((await readImage(file(gzipSync(dockerSave(base, { linked: true }))), 'z.tar.gz')).sets)).toEqual(summary((await readImage(file(dockerSave(base)), 'a.tar')).sets));
    expect(await refused(gzipSync(dockerSave({ ...base, rawLayers: { 1: gzipSync(Buffer.from('plain text, not a tar '.repeat(50))) } })))).toMatch(/is not a tar archive/);
    const whole = gzipSync(dockerSave(base));
    expect(await refused(whole.subarray(0, whole.length - 100))).toMatch(/truncated/);
  });

  it('refuses a symlink loop among the layer paths', async () => {
    const bytes = tarBytes([
      { path: 'a/layer.tar', type: 'SymbolicLink', linkpath: '../b/layer.tar' },
      { path: 'b/layer.tar', type: 'SymbolicLink', linkpath: '../a/layer.tar' },
      { path: 'c.json', body: '{"config":{}}' },
      { path: 'manifest.json', body: JSON.stringify([{ Config: 'c.json', Layers: ['a/layer.tar'] }]) },
    ]);
    expect(await refused(bytes)).toMatch(/symbolic link loop/);
  });

  it('refuses an entry declaring 10 GB', async () => {
    const layer = tarBytes([{ path: 'big.bin', body: 'x', declaredSize: 10 * 1024 ** 3 }], { end: false });
    expect(await refused(tarBytes([{ path: 'l/layer.tar', body: layer }, { path: 'manifest.json', body: '[]' }]))).toMatch(/layer l\/layer.tar holds big.bin declaring 10\.0 GB/);
    expect(await refused(tarBytes([{ path: 'big/layer.tar', body: 'x', declaredSize: 10 * 1024 ** 3 }], { end: false }))).toMatch(/big\/layer.tar declaring 10\.0 GB/);
  });

  it('refuses a gzip layer that inflates past the limit, whatever its headers declare', async () => {
    const bomb = gzipSync(Buffer.concat([tarBytes([{ path: 'a.txt', body: 'x' }]), Buffer.alloc(4 * 1024 * 1024)]));
    const path = file(dockerSave({ ...base, rawLayers: { 0: bomb } }));
    await expect(readImage(path, 'bomb.tar', { ...DEFAULT_IMAGE_LIMITS, maxLayerBytes: 1024 * 1024 })).rejects.toThrow(/inflates to more than 1 MB/);
  });

  it('counts a zstd or gzip layer inside a gzipped archive against the same inflate limit', async () => {
    const limits = { ...DEFAULT_IMAGE_LIMITS, maxLayerBytes: 1024 * 1024 };
    // 4 MB of zeros after the tar: a few hundred bytes of zstd (RLE blocks), fewer still once the archive is gzipped.
    const expanding = Buffer.concat([tarBytes([{ path: 'a.txt', body: 'x' }]), Buffer.alloc(4 * 1024 * 1024)]);
    for (const layer of [zstdBytes(expanding), gzipSync(expanding)]) {
      const archive = gzipSync(dockerSave({ ...base, rawLayers: { 0: layer } }));
      // The archive's own gzip stays under the limit: only the layer's inflating can pass it.
      expect(gunzipSync(archive).length).toBeLessThan(limits.maxLayerBytes);
      const error = await readImage(file(archive), 'bomb.tar.gz', limits).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ReldiffError);
      expect((error as Error).message).toMatch(/^bomb\.tar\.gz: layer [0-9a-f]+\/layer\.tar inflates to more than 1 MB in all, the most reldiff reads$/);
    }
  });

  it('refuses an archive whose metadata would fill memory', async () => {
    const path = file(dockerSave(base));
    await expect(readImage(path, 'big.tar', { ...DEFAULT_IMAGE_LIMITS, maxKeptBytes: 1000 })).rejects.toThrow(/more than 1000 bytes of package metadata/);
  });

  it('reads plain layers at their offsets: a body after a skipped large file, pax and GNU long names', async () => {
    const big = { name: 'big-pkg', version: '4.0.0', description: 'd'.repeat(40 * 1024) };
    const long = `${SITE}/${'deep/'.repeat(30)}`;
    const paxed = `opt/${'x'.repeat(120)}/node_modules/pax-pkg/package.json`;
    const gnu = `opt/${'y'.repeat(120)}/node_modules/gnu-pkg/package.json`;
    const layer = Buffer.concat([
      tarBytes([{ path: 'usr/lib/libbig.so', body: Buffer.alloc(300 * 1024, 1) }, { path: 'app/node_modules/big-pkg/package.json', body: JSON.stringify(big) }], { end: false }),
      longNamed(paxed, '{"name":"pax-pkg","version":"1.0.0"}', 'pax'),
      longNamed(gnu, '{"name":"gnu-pkg","version":"2.0.0"}', 'gnu'),
      tarBytes([{ path: `${long}skipped.py`, body: 'x'.repeat(700) }]),
    ]);
    const image = await readImage(file(dockerSave({ layers: [[]], rawLayers: { 0: layer } })), 'long.tar');
    expect(summary(image.sets)).toEqual(['npm big-pkg 4.0.0', 'npm gnu-pkg 2.0.0', 'npm pax-pkg 1.0.0']);
  });

  it('refuses a truncated plain layer and a header that lies about its size', async () => {
    const layer = tarBytes([{ path: 'a.txt', body: 'a'.repeat(2000) }, { path: 'b.txt', body: 'b'.repeat(2000) }]);
    // The archive is whole; the layer it holds ends inside b.txt.
    expect(await refused(dockerSave({ ...base, rawLayers: { 0: layer.subarray(0, 3100) } }))).toMatch(/layer [0-9a-f]+\/layer\.tar is truncated: b\.txt needs 2000 bytes/);
    expect(await refused(dockerSave({ ...base, rawLayers: { 0: layer.subarray(0, 2900) } }))).toMatch(/layer [0-9a-f]+\/layer\.tar is truncated: it ends inside a header at byte 2560/);
    // a.txt says 3 bytes and holds 2000: what follows its first block is text, not a header.
    const lying = tarBytes([{ path: 'a.txt', body: 'a'.repeat(2000), declaredSize: 3 }, { path: 'b.txt', body: 'b' }]);
    expect(await refused(dockerSave({ ...base, rawLayers: { 0: lying } }))).toMatch(/layer [0-9a-f]+\/layer\.tar is not a tar archive \(it has a damaged header at byte 1024\)/);
    // ...and one that says more than the layer holds.
    const over = tarBytes([{ path: 'a.txt', body: 'a', declaredSize: 1024 * 1024 }]);
    expect(await refused(dockerSave({ ...base, rawLayers: { 0: over } }))).toMatch(/layer [0-9a-f]+\/layer\.tar is truncated: a\.txt needs 1048576 bytes/);
  });

  it('reads zstd layers (docker save, OCI layout, an archive gzip-compressed whole) as the same image', async () => {
    const plain = summary((await readImage(file(dockerSave(base)), 'a.tar')).sets);
    expect(summary((await readImage(file(dockerSave({ ...base, zstd: true })), 'z.tar')).sets)).toEqual(plain);
    expect(summary((await readImage(file(ociLayout({ ...base, zstd: true })), 'z.oci')).sets)).toEqual(plain);
    expect(summary((await readImage(file(gzipSync(dockerSave({ ...base, zstd: true }))), 'z.tar.gz')).sets)).toEqual(plain);
  });

  it('refuses a zstd layer that asks for a 2 GB window, is cut, or holds no tar', async () => {
    const huge = zstdBytes(tarBytes(distInfo(SITE, 'six', '1.16.0')), { windowLog: 31 });
    expect(await refused(dockerSave({ ...base, rawLayers: { 1: huge } }))).toMatch(/layer [0-9a-f]+\/layer\.tar has a frame whose window is 2\.0 GB, over the 128 MB reldiff decodes/);
    expect(await refused(gzipSync(dockerSave({ ...base, rawLayers: { 1: huge } })))).toMatch(/window is 2\.0 GB/);
    const layer = zstdBytes(tarBytes(distInfo(SITE, 'six', '1.16.0')));
    expect(await refused(dockerSave({ ...base, rawLayers: { 1: layer.subarray(0, layer.length - 50) } }))).toMatch(/layer [0-9a-f]+\/layer\.tar is truncated/);
    expect(await refused(dockerSave({ ...base, rawLayers: { 1: zstdBytes(Buffer.from('plain text, not a tar '.repeat(40))) } }))).toMatch(/is not a tar archive/);
  });

  it('refuses a tar that is not an image', async () => {
    expect(await refused(tarBytes([{ path: 'notes.txt', body: 'hello' }]))).toMatch(/not an image/);
  });
});
