import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePnpmLock } from '../lockfiles/pnpm-lock.js';
import { changedPnpmBlocks, isPnpmBlockBase } from './pnpm-blocks.js';
import { checkMoved, copiesOfParse, expectWalkLikeParse } from '../../test/helpers/block-diffs.js';
import type { Copies } from './text-blocks.js';

// Each case and each random edit is checked against the parser (test/helpers/block-diffs.ts).

type Versions = Map<string, string>;
type Layout = 'v5' | 'v6' | 'v9';

const quoted = (key: string): string => (key.startsWith('@') ? `'${key}'` : key);

/** A lockfile as pnpm writes it: scoped names, peer-suffixed snapshots (9.x), engines, dependencies between entries. */
function pnpmLock(versions: Versions, layout: Layout, direct = 'pkg-0'): string {
  const entries = [...versions].sort();
  const id = (name: string, version: string): string => (layout === 'v5' ? `/${name}/${version}` : layout === 'v6' ? `/${name}@${version}` : `${name}@${version}`);
  const head = layout === 'v5' ? "lockfileVersion: 5.4\n\n" : layout === 'v6' ? "lockfileVersion: '6.0'\n\nsettings:\n  autoInstallPeers: true\n\n" : "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\n";
  const importer = layout === 'v5'
    ? `specifiers:\n  ${direct}: ^1.0.0\n\ndependencies:\n  ${direct}: ${versions.get(direct) ?? '1.0.0'}\n\n`
    : `importers:\n\n  .:\n    dependencies:\n      ${direct}:\n        specifier: ^1.0.0\n        version: ${versions.get(direct) ?? '1.0.0'}\n\n`;
  const packages = entries.map(([name, version], i) => {
    const deps = i % 4 === 1 && layout !== 'v9' ? `    dependencies:\n      pkg-0: 1.0.0\n` : '';
    const engines = i % 3 === 0 ? "    engines: {node: '>=8'}\n" : '';
    return `  ${quoted(id(name, version))}:\n    resolution: {integrity: sha512-${name}-${version}}\n${engines}${deps}${layout === 'v9' ? '' : '    dev: false\n'}`;
  });
  let out = `${head}${importer}packages:\n\n${packages.join('\n')}`;
  if (layout === 'v9') {
    const snaps = entries.flatMap(([name, version], i) => {
      const plain = `  ${quoted(id(name, version))}: {}\n`;
      // Two snapshots on one base key (a peer suffix): both read the same `packages` entry.
      return i % 5 === 2 ? [plain, `  ${quoted(`${id(name, version)}(pkg-0@1.0.0)`)}:\n    dependencies:\n      pkg-0: 1.0.0\n`] : [plain];
    });
    out += `\nsnapshots:\n\n${snaps.join('\n')}`;
  }
  return out;
}

const copiesOf = (text: string): Copies | undefined => copiesOfParse(parsePnpmLock(text, 'pnpm-lock.yaml'));
const check = (oldText: string, newText: string) => checkMoved(changedPnpmBlocks(oldText, newText), copiesOf(oldText), copiesOf(newText));

const start: Versions = new Map(Array.from({ length: 12 }, (_, i) => [i % 3 === 0 ? `@s/pkg-${i}` : `pkg-${i}`, '1.0.0']));
const bump = (v: Versions, name: string, version: string): Versions => new Map([...v, [name, version]]);
const without = (v: Versions, name: string): Versions => new Map([...v].filter(([k]) => k !== name));

describe('changedPnpmBlocks', () => {
  for (const layout of ['v5', 'v6', 'v9'] as const) {
    it(`reads a changed, added or removed entry alone (${layout})`, () => {
      const base = pnpmLock(start, layout);
      expect(isPnpmBlockBase(base)).toBe(true);
      expect(check(base, pnpmLock(bump(start, 'pkg-4', '1.1.0'), layout))).toBe('decided');
      expect(check(base, pnpmLock(bump(start, '@s/pkg-3', '2.0.0'), layout))).toBe('decided');
      expect(check(base, pnpmLock(without(start, 'pkg-5'), layout))).toBe('decided');
      expect(check(base, pnpmLock(bump(start, 'new', '1.0.0'), layout))).toBe('decided');
      // The direct dependency moves: importers change with the entries, and move no state of their own.
      expect(check(base, pnpmLock(bump(start, 'pkg-0', '1.2.0'), layout))).toBe('decided');
      expect(check(base, pnpmLock(start, layout, 'pkg-1'))).toBe('decided');
      // A comment and CRLF line ends: still read through the diff, with the same answer as a parse.
      expect(check(base, base.replace('\n  pkg-4', '\n# a note\n  pkg-4'))).toBe('decided');
      const crlf = base.replace(/\n/g, '\r\n');
      expect(check(crlf, pnpmLock(bump(start, 'pkg-4', '1.1.0'), layout).replace(/\n/g, '\r\n'))).toBe('decided');
    });
  }

  it('reads every snapshot of a changed `packages` entry in 9.x, though its own lines did not change', () => {
    const base = pnpmLock(start, 'v9');
    // pkg-2 has two snapshots (one with a peer suffix); only its `packages` entry's integrity changes.
    const changed = base.replace('sha512-pkg-2-1.0.0', 'sha512-other');
    expect(check(base, changed)).toBe('decided');
    const moved = changedPnpmBlocks(base, changed);
    expect(moved?.removed.get('pkg-2')).toEqual(['1.0.0|sha512-pkg-2-1.0.0', '1.0.0|sha512-pkg-2-1.0.0']);
    expect(moved?.added.get('pkg-2')).toEqual(['1.0.0|sha512-other', '1.0.0|sha512-other']);
    // A snapshot removed alone: the other one on the same base stays.
    expect(check(base, base.replace("  pkg-2@1.0.0(pkg-0@1.0.0):\n    dependencies:\n      pkg-0: 1.0.0\n", ''))).toBe('decided');
    // A `packages` entry removed under a snapshot that stays: the snapshot reads its name and version from its key.
    expect(check(base, base.replace('  pkg-4@1.0.0:\n    resolution: {integrity: sha512-pkg-4-1.0.0}\n\n', ''))).toBe('decided');
  });

  it('reads a moved or renamed entry as what it is', () => {
    const base = pnpmLock(start, 'v6');
    const block = '  /pkg-4@1.0.0:\n    resolution: {integrity: sha512-pkg-4-1.0.0}\n    dev: false\n\n';
    expect(check(base, base.replace(block, '').replace('packages:\n\n', `packages:\n\n${block}`))).toBe('decided');
    expect(check(base, base.replace('/pkg-4@1.0.0:', '/pkg-44@1.0.0:'))).toBe('decided');
  });

  it('cannot decide on a key written twice, a top-level change, an anchor, a conflict marker or a line outside every entry', () => {
    const base = pnpmLock(start, 'v9');
    const block = '  pkg-4@1.0.0:\n    resolution: {integrity: sha512-pkg-4-1.0.0}\n';
    // YAML keeps the last of two equal keys: the first, though unchanged, stops counting.
    expect(check(base, base.replace(block, `${block}\n  pkg-4@1.0.0:\n    resolution: {integrity: sha512-late}\n`))).toBe('undecided');
    expect(check(base, base.replace("lockfileVersion: '9.0'", "lockfileVersion: '6.0'"))).toBe('undecided');
    expect(check(base, base.replace('{integrity: sha512-pkg-4-1.0.0}', '&a {integrity: sha512-pkg-4-1.0.0}'))).toBe('undecided');
    expect(check(base, base.replace(block, `<<<<<<< HEAD\n${block}`))).toBe('undecided');
    expect(check(base, base.replace(block, ` stray: 1\n${block}`))).toBe('undecided');
    expect(check(base, base.replace('    resolution: {integrity: sha512-pkg-4-1.0.0}', '    resolution: 7'))).toBe('undecided');
    // The whole `packages:` section written twice.
    expect(check(base, `${base}\npackages:\n  x@1.0.0:\n    resolution: {integrity: sha512-x}\n`)).toBe('undecided');
    // importers turned into a list: the file no longer parses, and the diff does not say otherwise.
    expect(check(base, base.replace("  .:\n    dependencies:", "  - .:\n    dependencies:"))).toBe('undecided');
  });

  it('reads only the last document of a pnpm 11 file, whose env document must not change', () => {
    const env = "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies: {}\n\npackages:\n\n  pnpm@11.0.0:\n    resolution: {integrity: sha512-pnpm}\n\nsnapshots:\n\n  pnpm@11.0.0: {}\n\n---\n";
    const base = env + pnpmLock(start, 'v9');
    expect(isPnpmBlockBase(base)).toBe(true);
    expect(check(base, env + pnpmLock(bump(start, 'pkg-4', '1.1.0'), 'v9'))).toBe('decided');
    expect(check(base, base.replace('pnpm@11.0.0', 'pnpm@11.1.0'))).toBe('undecided');
    // The env document last: the parser picks the project's, which is not the last document.
    expect(isPnpmBlockBase(`${pnpmLock(start, 'v9')}\n${env}`)).toBe(false);
  });

  it('gives the states a full parse gives, for random edits of random lockfiles', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('bump' as const), at: fc.nat(), version: fc.constantFrom('1.0.1', '2.0.0', '1.0.0') }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('add' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('line' as const), at: fc.nat(), text: fc.constantFrom('# c', '', '  dup@1.0.0:', '    resolution: {integrity: sha512-z}', '<<<<<<< HEAD', '    dev: true', 'x: 1', '  - y', '      pkg-0: 2.0.0') }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
      // Text edits that a version bump does not make: one entry's integrity alone (in 9.x, its `packages` entry only).
      fc.record({ kind: fc.constant('integrity' as const), at: fc.nat() }),
    );
    let decided = 0;
    fc.assert(fc.property(fc.constantFrom<Layout>('v5', 'v6', 'v9'), fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean(), (layout, edits, crlf) => {
      let versions = new Map(start);
      const names = [...start.keys()];
      let lines: string[] | undefined;
      for (const e of edits) {
        const name = names[e.at % names.length] as string;
        if (e.kind === 'bump') versions = bump(versions, name, e.version);
        else if (e.kind === 'drop') versions = without(versions, name);
        else if (e.kind === 'add') versions = bump(versions, `extra-${e.at % 5}`, '1.0.0');
        else {
          lines ??= pnpmLock(versions, layout).split('\n');
          const at = e.at % lines.length;
          if (e.kind === 'line') lines.splice(at, 0, e.text);
          else if (e.kind === 'integrity') lines = lines.join('\n').replace(`sha512-${name}-`, 'sha512-changed-').split('\n');
          else if (e.kind === 'delete') lines.splice(at, 1);
          else [lines[at], lines[(at + 1) % lines.length]] = [lines[(at + 1) % lines.length] as string, lines[at] as string];
        }
      }
      const base = pnpmLock(start, layout);
      const next = lines ? lines.join('\n') : pnpmLock(versions, layout);
      const end = crlf ? (s: string) => s.replace(/\n/g, '\r\n') : (s: string) => s;
      if (check(end(base), end(next)) === 'decided') decided++;
    }), { seed: 15, numRuns: 600 });
    // Most edits are decided from the diff: the test is not passing by refusing everything.
    expect(decided).toBeGreaterThan(250);
  });

  it('gives the lockfile walk the commits a full parse of every revision gives (9.x, then a 6.0 file)', async () => {
    const v1 = bump(start, 'pkg-4', '1.1.0');
    const v2 = bump(v1, '@s/pkg-3', '2.0.0');
    const base = pnpmLock(v2, 'v9');
    const block = '  pkg-4@1.1.0:\n    resolution: {integrity: sha512-pkg-4-1.1.0}\n';
    const revisions = [
      pnpmLock(start, 'v9'),
      pnpmLock(v1, 'v9'),
      base,
      // pkg-2's `packages` entry alone: both its snapshots move.
      base.replace('sha512-pkg-2-1.0.0', 'sha512-re'),
      // A bad merge, then a key written twice (the later one counts), then fixed.
      `${base}\n<<<<<<< HEAD\n`,
      base.replace(block, `${block}\n  pkg-4@1.1.0:\n    resolution: {integrity: sha512-late}\n`),
      pnpmLock(without(v2, 'pkg-5'), 'v9', 'pkg-1'),
      pnpmLock(bump(without(v2, 'pkg-5'), 'pkg-7', '3.0.0'), 'v9', 'pkg-1'),
      // Migrated to another lockfile version, and a change in that layout.
      pnpmLock(bump(without(v2, 'pkg-5'), 'pkg-7', '3.0.0'), 'v6'),
      pnpmLock(bump(without(v2, 'pkg-5'), 'pkg-7', '3.1.0'), 'v6'),
    ];
    const walked = await expectWalkLikeParse('pnpm-lock.yaml', 'npm', revisions);
    // Moved by its `packages` entry, and back when the file was regenerated.
    expect(walked['pkg-2']).toHaveLength(3);
    expect(walked['pkg-4']).toHaveLength(3);
    expect(walked['pkg-7']).toHaveLength(2);
  }, 60_000);
});
