import { splitDescriptor } from '../lockfiles/yarn-berry.js';
import type { Upgrade } from './deps-plan.js';
import { admits, jsonIndentOf, type Splice } from './splice-common.js';
import { movedRanges, parseManifest } from './yarn-splice.js';

// A trial's yarn.lock (yarn 2+, berry) made from `from`'s with the chosen upgrades taken from `to`'s, for
// `yarn install --immutable`. Berry refuses (YN0028) any lock that differs by one byte from the one it would write
// itself, so the splice works on the text, block by block, and writes what yarn writes: `__metadata` first, then the
// blocks sorted by key in code-unit order (yarn's stringifySyml), each key the sorted descriptors joined by ", ",
// quoted as yarn quotes it. A block's body is copied as its lock wrote it.
// Like the yarn 1 splice: a descriptor of an upgraded package (`name@npm:range`) moves to the new version when `to`
// resolves that very descriptor to it (or, when `to` no longer has it, when its npm range admits the new version);
// the others keep the old block. Descriptors the trial needs and lacks come from `to`; blocks and descriptors nothing
// reaches from the workspaces are dropped, as yarn would drop them. A root range that no longer admits the new version
// takes `to`'s in package.json, and the root workspace block's line for it is `to`'s (yarn writes it from package.json).
// What `to` cannot supply is a failed splice with the reason, and the trial is a skip.

interface Dep { name: string; value: string; line: number }
interface Block { key: string; descriptors: string[]; body: string[]; name: string; version: string; resolution: string; deps: Dep[] }
interface Lock { preamble: string[]; metadata: string[]; version: string; cacheKey: string; blocks: Block[] }

/** yarn's test for a bare YAML scalar (syml's); anything else is written as JSON. */
const BARE = /^(?![-?:,\][{}#&*!|>'"%@` \t\r\n]).([ \t]*(?![,\][{}:# \t\r\n]).)*$/;
const quote = (text: string): string => (BARE.test(text) ? text : JSON.stringify(text));

function unquote(token: string): string {
  if (!token.startsWith('"')) return token;
  try { return JSON.parse(token) as string; } catch { return token.slice(1, -1); }
}

/** A dependency line's value as a descriptor range: lock v4 and older wrote npm ranges without their protocol. */
const withProtocol = (value: string): string => (/^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `npm:${value}`);

function readLock(text: string, which: string): Lock | string {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').split('\n');
  const preamble: string[] = [];
  const metadata: string[] = [];
  const blocks: Block[] = [];
  let current: { key: string; body: string[] } | undefined;
  const sections: { key: string; body: string[] }[] = [];
  for (const line of lines) {
    if (/^(<<<<<<<|=======|>>>>>>>)/.test(line)) return `the ${which} yarn.lock contains a git merge conflict marker`;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) { if (sections.length === 0) preamble.push(line); continue; }
    if (!line.startsWith(' ')) {
      if (line.startsWith('? ')) return `the ${which} yarn.lock has an entry key over 1024 characters, which trials do not splice`;
      const m = /^("(?:[^"\\]|\\.)*"|[^"\s][^:]*):$/.exec(line);
      if (!m) return `the ${which} yarn.lock has a line yarn 2+ does not write (${line.slice(0, 80)})`;
      current = { key: unquote(m[1] as string), body: [] };
      sections.push(current);
      continue;
    }
    if (!current) return `the ${which} yarn.lock has an indented line before any entry`;
    current.body.push(line);
  }
  let version = '';
  let cacheKey = '';
  for (const section of sections) {
    if (section.key === '__metadata') {
      metadata.push(...section.body);
      for (const line of section.body) {
        const m = /^ {2}(version|cacheKey): (.*)$/.exec(line);
        if (m?.[1] === 'version') version = unquote(m[2] as string);
        if (m?.[1] === 'cacheKey') cacheKey = unquote(m[2] as string);
      }
      continue;
    }
    const descriptors = section.key.split(', ');
    const block: Block = { key: section.key, descriptors, body: section.body, name: splitDescriptor(descriptors[0] as string).name, version: '', resolution: '', deps: [] };
    let inDeps = false;
    section.body.forEach((line, i) => {
      const top = /^ {2}("(?:[^"\\]|\\.)*"|[^\s:]+):(?: (.*))?$/.exec(line);
      if (top) {
        const key = unquote(top[1] as string);
        if (key === 'version' && top[2] !== undefined) block.version = unquote(top[2]);
        if (key === 'resolution' && top[2] !== undefined) block.resolution = unquote(top[2]);
        inDeps = key === 'dependencies' && top[2] === undefined;
        return;
      }
      const dep = inDeps ? /^ {4}("(?:[^"\\]|\\.)*"|[^\s:]+): (.+)$/.exec(line) : null;
      if (dep) block.deps.push({ name: unquote(dep[1] as string), value: withProtocol(unquote(dep[2] as string)), line: i });
    });
    if (block.version === '' || block.resolution === '') return `the ${which} yarn.lock's entry ${section.key.slice(0, 80)} has no version or resolution`;
    blocks.push(block);
  }
  if (version === '') return `the ${which} yarn.lock has no __metadata.version`;
  return { preamble, metadata, version, cacheKey, blocks };
}

const isWorkspace = (b: Block): boolean => b.resolution.startsWith(`${b.name}@workspace:`);

/**
 * `from`'s berry yarn.lock (and the root package.json when a direct range must move) with `upgrades` taken from `to`'s,
 * or why that cannot be done. Pure: texts in, texts out.
 */
export function spliceYarnBerryLock(fromLock: string, fromManifestText: string | undefined, toLock: string, toManifestText: string | undefined,
  upgrades: readonly Upgrade[]): Splice {
  const fail = (reason: string): Splice => ({ ok: false, reason });
  const from = readLock(fromLock, 'from');
  if (typeof from === 'string') return fail(from);
  const to = readLock(toLock, 'to');
  if (typeof to === 'string') return fail(to);
  // A checksum is made under a cache key (lock v8+ writes it as the checksum's prefix, `10c0/...`). yarn treats one
  // made under another key as stale and rewrites it ("update"), and a missing one it fills in: either way the lock
  // changes and --immutable refuses it. Dropping `to`'s checksums cannot help, so such a pair is a skip with the reason.
  if (from.cacheKey !== to.cacheKey || from.version !== to.version) {
    return fail(`the two refs' yarn.lock files were written by different yarn versions (__metadata version ${from.version} cacheKey ${from.cacheKey || 'none'} vs version ${to.version} cacheKey ${to.cacheKey || 'none'}), so to's entries would not pass yarn install --immutable in from's lock`);
  }
  const manifest = parseManifest(fromManifestText);
  if (!manifest) return fail('the from package.json is missing or not a JSON object');
  const toManifest = parseManifest(toManifestText) ?? {};
  const toByDescriptor = new Map<string, Block>();
  for (const b of to.blocks) for (const d of b.descriptors) toByDescriptor.set(d, b);

  const blocks: Block[] = from.blocks.map(b => ({ ...b, descriptors: [...b.descriptors], body: [...b.body], deps: b.deps.map(d => ({ ...d })) }));
  const rootName = typeof manifest['name'] === 'string' ? manifest['name'] : undefined;
  const root = blocks.find(b => isWorkspace(b) && b.resolution.endsWith('@workspace:.') && (rootName === undefined || b.name === rootName));
  const toRoot = to.blocks.find(b => isWorkspace(b) && b.resolution.endsWith('@workspace:.'));

  // The project's own ranges: one that no longer admits the new version takes `to`'s, in package.json and in the
  // root workspace block's dependency line (`to`'s line, which yarn wrote from that very range).
  const moved = movedRanges(manifest, toManifest, upgrades);
  if (typeof moved === 'string') return fail(moved);
  const { next } = moved;
  const isManifestChanged = moved.moves.length > 0;
  for (const { name, range } of moved.moves) {
    const mine = root?.deps.find(d => d.name === name);
    const line = toRoot?.deps.find(d => d.name === name);
    if (!root || !mine || !toRoot || !line || line.value !== withProtocol(range)) {
      return fail(`the root workspace entry of a yarn.lock does not list ${name} as package.json asks for it, so its range cannot move`);
    }
    root.body[mine.line] = toRoot.body[line.line] as string;
    mine.value = line.value;
  }

  // Where each descriptor points in the trial: from's blocks, with the upgraded packages' descriptors moved.
  const byDescriptor = new Map<string, Block>();
  for (const b of blocks) for (const d of b.descriptors) byDescriptor.set(d, b);
  const byResolution = new Map(blocks.map(b => [b.resolution, b]));
  const place = (descriptor: string, source: Block): Block => {
    const there = byResolution.get(source.resolution);
    if (there) { if (!there.descriptors.includes(descriptor)) there.descriptors.push(descriptor); byDescriptor.set(descriptor, there); return there; }
    const added: Block = { ...source, descriptors: [descriptor] };
    blocks.push(added);
    byResolution.set(added.resolution, added);
    byDescriptor.set(descriptor, added);
    return added;
  };
  for (const u of upgrades) {
    const olds = blocks.filter(b => b.name === u.name && b.version === u.from && !isWorkspace(b));
    if (olds.length === 0) return fail(`the from yarn.lock has no ${u.name}@${u.from}`);
    const target = to.blocks.find(b => b.name === u.name && b.version === u.to && b.resolution.startsWith(`${u.name}@npm:`));
    if (!target) return fail(`the to yarn.lock has no ${u.name}@npm:${u.to}`);
    for (const old of olds) {
      for (const d of [...old.descriptors]) {
        const theirs = toByDescriptor.get(d);
        const { range } = splitDescriptor(d);
        const moves = theirs ? theirs.name === u.name && theirs.version === u.to : range.startsWith('npm:') && admits(u.to, range.slice(4));
        if (!moves) continue;
        old.descriptors = old.descriptors.filter(x => x !== d);
        place(d, theirs ?? target);
      }
    }
  }

  // Walk from the workspaces; what a block asks for and the trial lacks comes from `to`.
  const reached = new Set<string>();
  const live = new Set<Block>();
  const queue: Block[] = blocks.filter(isWorkspace);
  for (const b of queue) live.add(b);
  for (let i = 0; i < queue.length; i++) {
    for (const dep of (queue[i] as Block).deps) {
      const descriptor = `${dep.name}@${dep.value}`;
      if (reached.has(descriptor)) continue;
      reached.add(descriptor);
      let block = byDescriptor.get(descriptor);
      if (!block) {
        const theirs = toByDescriptor.get(descriptor);
        if (!theirs) return fail(`${descriptor} is needed, and the to yarn.lock does not hold it`);
        block = place(descriptor, theirs);
      }
      if (!live.has(block)) { live.add(block); queue.push(block); }
    }
  }

  // A workspace's own descriptor (`service@workspace:.`) is reached by nothing but stays, as yarn keeps it.
  const kept = blocks.filter(b => live.has(b)).map(b => {
    const descriptors = isWorkspace(b) ? b.descriptors : b.descriptors.filter(d => reached.has(d));
    return { key: [...descriptors].sort().join(', '), body: b.body };
  }).filter(b => b.key !== '');
  // yarn writes a key longer than 1024 characters as YAML's explicit `? key` form.
  const headerOf = (key: string): string => (quote(key).length > 1024 ? `? ${quote(key)}\n:` : `${quote(key)}:`);
  kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const head = from.preamble.length > 0 ? `${from.preamble.join('\n')}\n\n` : '';
  const lock = `${head}__metadata:\n${from.metadata.join('\n')}\n\n${kept.map(b => [headerOf(b.key), ...b.body].join('\n')).join('\n\n')}\n`;
  const manifestOut = isManifestChanged && fromManifestText !== undefined ? `${JSON.stringify(next, null, jsonIndentOf(fromManifestText))}\n` : undefined;
  return { ok: true, lock, manifest: manifestOut };
}
