import { describe, expect, it } from 'vitest';
import { addWhiteout, emptyLayer, mergeLayers, type LayerFiles } from './layers.js';

const layer = (files: string[], whiteouts: string[] = []): LayerFiles => {
  const l = emptyLayer();
  for (const w of whiteouts) expect(addWhiteout(l, w)).toBe(true);
  for (const f of files) l.files.set(f, f);
  return l;
};

describe('merging layers as the container sees them', () => {
  const lower = layer(['sp/a-1.dist-info/METADATA', 'sp/b-1.dist-info/METADATA', 'sp/b-1.dist-info/RECORD', 'var/lib/dpkg/status']);

  it('a whiteout deletes a file or a whole folder of the layers below', () => {
    const merged = mergeLayers([lower, layer([], ['sp/.wh.b-1.dist-info', 'var/lib/dpkg/.wh.status'])]);
    expect([...merged.keys()]).toEqual(['sp/a-1.dist-info/METADATA']);
  });

  it('an opaque folder hides everything below it, and the layer\'s own files stay', () => {
    const merged = mergeLayers([lower, layer(['sp/c-2.dist-info/METADATA'], ['sp/.wh..wh..opq'])]);
    expect([...merged.keys()].sort()).toEqual(['sp/c-2.dist-info/METADATA', 'var/lib/dpkg/status']);
  });

  it('a whiteout only reaches down: a package re-added above it is there', () => {
    const merged = mergeLayers([lower, layer([], ['sp/.wh.a-1.dist-info']), layer(['sp/a-1.dist-info/METADATA'])]);
    expect(merged.has('sp/a-1.dist-info/METADATA')).toBe(true);
  });

  it('a name that only starts like a whiteout is no whiteout, and a prefix is no parent', () => {
    expect(addWhiteout(emptyLayer(), 'sp/wh.x')).toBe(false);
    const merged = mergeLayers([lower, layer([], ['sp/.wh.b-1'])]);
    expect(merged.has('sp/b-1.dist-info/METADATA')).toBe(true);
  });
});
