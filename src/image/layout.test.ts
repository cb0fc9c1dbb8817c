import { describe, expect, it } from 'vitest';
import { emptyLayer } from './layers.js';
import { checkLayers, readLayout, resolveLink } from './layout.js';
import type { ArchiveContents } from './stream.js';

const contents = (json: Record<string, unknown>, layers: string[] = [], links: Record<string, string> = {}): ArchiveContents => ({
  json: new Map(Object.entries(json).map(([k, v]) => [k, JSON.stringify(v)])),
  layers: new Map(layers.map(l => [l, emptyLayer()])),
  links: new Map(Object.entries(links)),
  other: new Set(),
  warnings: [],
});

describe('the image layout', () => {
  it('follows a multi-platform OCI index past attestation manifests to the first real platform', () => {
    const c = contents({
      'index.json': { manifests: [{ digest: 'sha256:top', annotations: { 'org.opencontainers.image.ref.name': 'app:1.5.0' } }] },
      'blobs/sha256/top': { manifests: [
        { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
        { digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } },
      ] },
      'blobs/sha256/amd': { config: { digest: 'sha256:cfg' }, layers: [{ digest: 'sha256:l1' }, { digest: 'sha256:l2' }] },
      'blobs/sha256/cfg': { config: { Env: ['A=1'], Labels: { x: 'y' } }, history: [{ created_by: 'ADD file:abc in /' }] },
    }, ['blobs/sha256/l1', 'blobs/sha256/l2']);
    const layout = readLayout('b.tar', c);
    expect(layout.layers).toEqual(['blobs/sha256/l1', 'blobs/sha256/l2']);
    expect(layout.tags).toEqual(['app:1.5.0']);
    expect(layout.config.env).toEqual(['A=1']);
    expect(() => checkLayers('b.tar', layout, c)).not.toThrow();
  });

  it('names what is missing or wrong', () => {
    expect(() => readLayout('a.tar', contents({ 'manifest.json': [{ Config: 'c.json', Layers: ['l/layer.tar'] }] }))).toThrow(/the image config c\.json is missing/);
    const c = contents({ 'manifest.json': [{ Config: 'c.json', Layers: ['l/layer.tar', 'm/layer.tar'] }], 'c.json': {} }, ['l/layer.tar']);
    expect(() => checkLayers('a.tar', readLayout('a.tar', c), c)).toThrow(/layer m\/layer\.tar is missing from the archive/);
    expect(() => readLayout('x.tar', { ...contents({}), json: new Map([['manifest.json', '{ nope']]) })).toThrow(/not valid JSON/);
  });

  it('resolves links relative to their folder and refuses one out of the archive', () => {
    const links = new Map([['a/layer.tar', '../blobs/sha256/1'], ['up/layer.tar', '../../etc/passwd']]);
    expect(resolveLink('x.tar', 'a/layer.tar', links)).toBe('blobs/sha256/1');
    expect(() => resolveLink('x.tar', 'up/layer.tar', links)).toThrow(/links outside the archive/);
  });

  it('picks one image of several by tag or id, and refuses to guess', () => {
    const c = contents({
      'manifest.json': [
        { Config: 'aaaa11112222333344445555.json', Layers: ['a/layer.tar'], RepoTags: ['docker.io/library/app:1', 'app:stable'] },
        { Config: 'bbbb11112222333344445555.json', Layers: ['b/layer.tar'], RepoTags: ['ghcr.io/org/app:2'] },
        { Config: 'cccc11112222333344445555.json', Layers: ['c/layer.tar'] },
      ],
      'aaaa11112222333344445555.json': {}, 'bbbb11112222333344445555.json': {}, 'cccc11112222333344445555.json': {},
    });
    expect(() => readLayout('two.tar', c)).toThrow('two.tar holds 3 images (docker.io/library/app:1, ghcr.io/org/app:2, untagged sha256:cccc11112222)');
    expect(readLayout('two.tar', c, 'app:1').layers).toEqual(['a/layer.tar']);
    expect(readLayout('two.tar', c, 'app:stable').layers).toEqual(['a/layer.tar']);
    expect(readLayout('two.tar', c, 'ghcr.io/org/app:2').layers).toEqual(['b/layer.tar']);
    expect(readLayout('two.tar', c, 'cccc11112222').layers).toEqual(['c/layer.tar']);
    expect(() => readLayout('two.tar', c, 'app:3')).toThrow(/two\.tar holds no image app:3 \(it holds docker\.io\/library\/app:1, /);
    // `app` is app:latest, which is none of them; a short id prefix is a tag, not an id.
    expect(() => readLayout('two.tar', c, 'app')).toThrow(/holds no image app /);
    expect(() => readLayout('two.tar', c, 'cccc')).toThrow(/holds no image cccc /);
  });

  it('picks one image of an OCI layout by its ref name; one image\'s platforms stay one image', () => {
    const manifest = (n: string) => ({ config: { digest: `sha256:cfg${n}` }, layers: [{ digest: `sha256:l${n}` }] });
    const c = contents({
      'index.json': { manifests: [
        { digest: 'sha256:m1', annotations: { 'org.opencontainers.image.ref.name': 'app:1' } },
        { digest: 'sha256:m2', annotations: { 'io.containerd.image.name': 'docker.io/library/app:2', 'org.opencontainers.image.ref.name': '2' } },
      ] },
      'blobs/sha256/m1': manifest('1'), 'blobs/sha256/m2': manifest('2'), 'blobs/sha256/cfg1': {}, 'blobs/sha256/cfg2': {},
    });
    expect(() => readLayout('o.tar', c)).toThrow('o.tar holds 2 images (app:1, docker.io/library/app:2)');
    expect(readLayout('o.tar', c, 'app:2').layers).toEqual(['blobs/sha256/l2']);
    expect(readLayout('o.tar', c, 'app:1').layers).toEqual(['blobs/sha256/l1']);
    const platforms = contents({
      'index.json': { manifests: [
        { digest: 'sha256:m1', platform: { os: 'linux', architecture: 'amd64' } }, { digest: 'sha256:m2', platform: { os: 'linux', architecture: 'arm64' } },
      ] },
      'blobs/sha256/m1': manifest('1'), 'blobs/sha256/m2': manifest('2'), 'blobs/sha256/cfg1': {}, 'blobs/sha256/cfg2': {},
    });
    expect(readLayout('p.tar', platforms).layers).toEqual(['blobs/sha256/l1']);
  });
});
