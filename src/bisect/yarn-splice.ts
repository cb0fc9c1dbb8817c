import { packageName, readHeader } from '../lockfiles/yarn-classic.js';
import { isBerry } from '../lockfiles/yarn-detect.js';
import type { Upgrade } from './deps-plan.js';
import { admits, jsonIndentOf, type Splice } from './splice-common.js';

// A trial's yarn.lock (classic, v1) made from `from`'s with the chosen upgrades taken from `to`'s, for
// `yarn install --frozen-lockfile`. A v1 lock is flat: each block maps the descriptors that ask for a package
// (`name@range`) to one version, so an upgrade is a matter of which descriptors point where. A descriptor of an
// upgraded package moves to the new version when `to` resolves that very descriptor to it (or, when `to` no longer has
// it, when its range admits the new version); the others keep the old block. Descriptors the new versions ask for
// that `from` lacks come from `to`'s blocks; blocks nothing asks for any more are dropped, as yarn would drop them.
// Where `to` cannot supply what is needed, the splice says why and the trial is a skip with that reason.

interface Block { descriptors: string[]; header: string; body: string[]; name: string; version: string; needs: { descriptor: string; isOptional: boolean }[] }

const ROOT_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

const rangeOf = (descriptor: string): string => descriptor.slice(descriptor.indexOf('@', 1) + 1);

/** The value of a `  key value` or `    key "value"` line: quoted or bare. */
function unquote(token: string): string {
  if (!token.startsWith('"')) return token;
  try { return JSON.parse(token) as string; } catch { return token.slice(1, -1); }
}

function readBlocks(text: string): { preamble: string[]; blocks: Block[] } | string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const preamble: string[] = [];
  const blocks: Block[] = [];
  let block: Block | undefined;
  let section: 'dependencies' | 'optionalDependencies' | 'other' | undefined;
  for (const line of lines) {
    if (/^(<<<<<<<|=======|>>>>>>>)/.test(line)) return 'contains a git merge conflict marker';
    if (line.trim() === '' || line.startsWith('#')) { if (!block && line.startsWith('#')) preamble.push(line); continue; }
    if (!line.startsWith(' ')) {
      const descriptors = readHeader(line);
      if (!descriptors) return `has a header yarn v1 does not write (${line.slice(0, 80)})`;
      block = { descriptors, header: line, body: [], name: packageName(descriptors[0] as string), version: '', needs: [] };
      blocks.push(block);
      section = undefined;
      continue;
    }
    if (!block) return 'has an indented line before any entry';
    block.body.push(line);
    const m = /^( +)("(?:[^"\\]|\\.)*"|[^ ]+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const [, indent, rawKey, rawValue] = m;
    const key = unquote((rawKey as string).replace(/:$/, ''));
    if (indent === '  ') {
      if (key === 'version' && rawValue !== undefined) block.version = unquote(rawValue);
      section = rawValue === undefined && rawKey?.endsWith(':') ? (key === 'dependencies' || key === 'optionalDependencies' ? key : 'other') : undefined;
    } else if (indent === '    ' && rawValue !== undefined && (section === 'dependencies' || section === 'optionalDependencies')) {
      block.needs.push({ descriptor: `${key}@${unquote(rawValue)}`, isOptional: section === 'optionalDependencies' });
    }
  }
  for (const b of blocks) if (b.version === '') return `has an entry without a version (${b.header.slice(0, 80)})`;
  return { preamble, blocks };
}

/** yarn's own quoting of a descriptor in a header: bare only when it is plain. */
function quoteDescriptor(d: string): string {
  return /^[a-zA-Z][\w.-]*@[\w.^~<>=|-]*$/.test(d) && !/[:\s,]/.test(d) ? d : JSON.stringify(d);
}

export function parseManifest(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc as Record<string, unknown> : undefined;
  } catch { return undefined; }
}

function rootDescriptors(manifest: Record<string, unknown>): { descriptor: string; isOptional: boolean }[] {
  const out: { descriptor: string; isOptional: boolean }[] = [];
  for (const field of ROOT_FIELDS) {
    const section = manifest[field];
    if (typeof section !== 'object' || section === null) continue;
    for (const [name, range] of Object.entries(section)) if (typeof range === 'string') out.push({ descriptor: `${name}@${range}`, isOptional: field === 'optionalDependencies' });
  }
  return out;
}

/**
 * package.json with each root range that no longer admits an upgrade's new version replaced by `to`'s (both yarn
 * splices), the moves made, or why `to`'s range does not admit it either.
 */
export function movedRanges(manifest: Record<string, unknown>, toManifest: Record<string, unknown>, upgrades: readonly Upgrade[]):
  { next: Record<string, unknown>; moves: { name: string; range: string }[] } | string {
  let next: Record<string, unknown> = manifest;
  const moves: { name: string; range: string }[] = [];
  for (const u of upgrades) {
    for (const field of ROOT_FIELDS) {
      const section = next[field] as Record<string, unknown> | undefined;
      const range = section?.[u.name];
      if (typeof range !== 'string' || admits(u.to, range)) continue;
      const theirs = (toManifest[field] as Record<string, unknown> | undefined)?.[u.name];
      if (typeof theirs !== 'string' || !admits(u.to, theirs)) return `package.json's ${field} range for ${u.name} (${range}) does not admit ${u.to}, and the to ref's does not either`;
      next = { ...next, [field]: { ...section, [u.name]: theirs } };
      moves.push({ name: u.name, range: theirs });
    }
  }
  return { next, moves };
}

export function spliceYarnLock(fromLock: string, fromManifestText: string | undefined, toLock: string, toManifestText: string | undefined,
  upgrades: readonly Upgrade[]): Splice {
  const fail = (reason: string): Splice => ({ ok: false, reason });
  if (isBerry(fromLock)) return fail('the from yarn.lock is written by yarn 2 or newer (berry), which trials do not install yet');
  const from = readBlocks(fromLock);
  if (typeof from === 'string') return fail(`the from yarn.lock ${from}`);
  const to = readBlocks(toLock);
  if (typeof to === 'string') return fail(`the to yarn.lock ${to}`);
  const manifest = parseManifest(fromManifestText);
  if (!manifest) return fail('the from package.json is missing or not a JSON object');
  const toManifest = parseManifest(toManifestText) ?? {};
  const toByDescriptor = new Map<string, Block>();
  for (const b of to.blocks) for (const d of b.descriptors) toByDescriptor.set(d, b);

  // The project's own ranges: one that no longer admits the new version takes `to`'s.
  const moved = movedRanges(manifest, toManifest, upgrades);
  if (typeof moved === 'string') return fail(moved);
  const { next } = moved;
  const isManifestChanged = moved.moves.length > 0;

  // Where each descriptor points in the trial: from's blocks, with the upgraded packages' descriptors moved.
  const blocks: Block[] = from.blocks.map(b => ({ ...b, descriptors: [...b.descriptors] }));
  const byDescriptor = new Map<string, Block>();
  for (const b of blocks) for (const d of b.descriptors) byDescriptor.set(d, b);
  const key = (name: string, version: string): string => `${name}@@${version}`;
  const byVersion = new Map(blocks.map(b => [key(b.name, b.version), b]));
  const place = (descriptor: string, source: Block): Block => {
    const there = byVersion.get(key(source.name, source.version));
    if (there) { there.descriptors.push(descriptor); there.header = ''; byDescriptor.set(descriptor, there); return there; }
    const added: Block = { ...source, descriptors: [descriptor], header: '' };
    blocks.push(added);
    byVersion.set(key(added.name, added.version), added);
    byDescriptor.set(descriptor, added);
    return added;
  };
  for (const u of upgrades) {
    const olds = blocks.filter(b => b.name === u.name && b.version === u.from);
    if (olds.length === 0) return fail(`the from yarn.lock has no ${u.name}@${u.from}`);
    const target = to.blocks.find(b => b.name === u.name && b.version === u.to);
    if (!target) return fail(`the to yarn.lock has no ${u.name}@${u.to}`);
    for (const old of olds) {
      for (const d of [...old.descriptors]) {
        const theirs = toByDescriptor.get(d);
        const moves = theirs ? theirs.name === u.name && theirs.version === u.to : admits(u.to, rangeOf(d));
        if (!moves) continue;
        old.descriptors = old.descriptors.filter(x => x !== d);
        old.header = '';
        place(d, target);
      }
    }
  }

  // Walk from the project's ranges; what a block asks for and the trial lacks comes from `to`.
  const wanted = rootDescriptors(next);
  const reached = new Set<string>();
  const live = new Set<Block>();
  for (let i = 0; i < wanted.length; i++) {
    const { descriptor, isOptional } = wanted[i] as { descriptor: string; isOptional: boolean };
    if (reached.has(descriptor)) continue;
    reached.add(descriptor);
    let block = byDescriptor.get(descriptor);
    if (!block) {
      const theirs = toByDescriptor.get(descriptor);
      if (!theirs) {
        if (isOptional) continue;
        return fail(`${descriptor} is needed, and the to yarn.lock does not hold it`);
      }
      block = place(descriptor, theirs);
    }
    live.add(block);
    for (const need of block.needs) wanted.push(need);
  }

  // A header is kept as from wrote it while its descriptors are the same; a changed one is written the way yarn writes it.
  const kept = blocks.filter(b => live.has(b)).map(b => {
    const descriptors = b.descriptors.filter(d => reached.has(d));
    return { ...b, descriptors, header: descriptors.length === b.descriptors.length ? b.header : '' };
  });
  const headerOf = (b: Block): string => b.header !== '' ? b.header : `${[...b.descriptors].sort().map(quoteDescriptor).join(', ')}:`;
  const sorted = kept.map(b => ({ head: headerOf(b), body: b.body })).sort((a, b) => (a.head < b.head ? -1 : a.head > b.head ? 1 : 0));
  const lock = `${from.preamble.join('\n')}\n\n\n${sorted.map(b => [b.head, ...b.body].join('\n')).join('\n\n')}\n`;
  const manifestOut = isManifestChanged && fromManifestText !== undefined ? `${JSON.stringify(next, null, jsonIndentOf(fromManifestText))}\n` : undefined;
  return { ok: true, lock, manifest: manifestOut };
}
