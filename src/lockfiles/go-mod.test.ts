import { describe, expect, it } from 'vitest';
import { goMod, goSum, parseGoMod, parseGoSum } from './go-mod.js';

const MOD = `// a comment
module example.com/app

go 1.22

toolchain go1.22.3

require (
	github.com/pkg/errors v0.9.1
	golang.org/x/sys v0.0.0-20210101000000-abcdef123456 // indirect
	github.com/docker/docker v20.10.7+incompatible
	github.com/old/lib v1.2.0
	example.com/local v0.0.0
)

require gopkg.in/yaml.v3 v3.0.1 // indirect; needed by tests

replace github.com/old/lib => github.com/new/lib v1.3.0

replace (
	example.com/local => ../local
	github.com/pkg/errors v0.9.0 => github.com/pkg/errors v0.8.0
)

exclude github.com/bad/mod v1.0.0

retract [v1.0.0, v1.0.5]
`;

describe('go.mod', () => {
  it('reads requires, pseudo-versions, +incompatible, indirect and replace (the replacement wins)', () => {
    const r = parseGoMod(MOD, 'go.mod');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.packages.map(p => [p.name, p.version, p.direct, p.facts.resolved ?? ''])).toEqual([
      ['example.com/local', '../local', true, '../local'],
      ['github.com/docker/docker', 'v20.10.7+incompatible', true, ''],
      ['github.com/old/lib', 'v1.3.0', true, 'github.com/new/lib'],
      // The replace names v0.9.0 only, so v0.9.1 is built as required.
      ['github.com/pkg/errors', 'v0.9.1', true, ''],
      ['golang.org/x/sys', 'v0.0.0-20210101000000-abcdef123456', false, ''],
      ['gopkg.in/yaml.v3', 'v3.0.1', false, ''],
    ]);
  });

  it('rejects unknown directives, bad requires and open blocks with a line', () => {
    const unknown = parseGoMod('module a\nfrobnicate x\n', 'go.mod');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) { expect(unknown.error.line).toBe(2); expect(unknown.error.message).toContain('go.mod:2 (go-mod)'); }
    const badRequire = parseGoMod('module a\nrequire (\n\tgithub.com/x\n)\n', 'go.mod');
    if (!badRequire.ok) expect(badRequire.error.line).toBe(3); else expect.fail('accepted a require without version');
    expect(parseGoMod('module a\nrequire (\n\tgithub.com/x v1.0.0\n', 'go.mod').ok).toBe(false);
    expect(parseGoMod('go 1.21\n', 'go.mod').ok).toBe(false);
  });

  it('detects go.mod and go.sum by name and content', () => {
    expect(goMod.detect('svc/go.mod', '')).toBe(true);
    expect(goSum.detect('go.sum', '')).toBe(true);
    expect(goMod.detect('x.txt', 'module example.com/a\n\ngo 1.21\n')).toBe(true);
  });
});

describe('go.sum', () => {
  it('keeps modules whose code is hashed, skipping /go.mod-only lines', () => {
    const text = 'github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\n'
      + 'github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=\n'
      + 'github.com/old v0.1.0/go.mod h1:abc=\n';
    const r = parseGoSum(text, 'go.sum');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.packages).toEqual([{ name: 'github.com/pkg/errors', version: 'v0.9.1', direct: false, dev: false,
      facts: { integrity: 'h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=' } }]);
    const bad = parseGoSum('github.com/x v1.0.0\n', 'go.sum');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.line).toBe(1);
  });
});
