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
    const two = contents({ 'manifest.json': [{ Config: 'c.json', Layers: [], RepoTags: ['app:1'] }, { Config: 'c.json', Layers: [] }], 'c.json': {} });
    readLayout('two.tar', two);
    expect(two.warnings).toEqual(['two.tar holds 2 images; compared the first (app:1)']);
    expect(() => readLayout('x.tar', { ...contents({}), json: new Map([['manifest.json', '{ nope']]) })).toThrow(/not valid JSON/);
  });

  it('resolves links relative to their folder and refuses one out of the archive', () => {
    const links = new Map([['a/layer.tar', '../blobs/sha256/1'], ['up/layer.tar', '../../etc/passwd']]);
    expect(resolveLink('x.tar', 'a/layer.tar', links)).toBe('blobs/sha256/1');
    expect(() => resolveLink('x.tar', 'up/layer.tar', links)).toThrow(/links outside the archive/);
  });
});
