// https://go.dev/ref/mod#go-mod-file and https://go.dev/ref/mod#go-sum-files
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, excerpt, failure, sortPackages } from './util.js';

const HINT = 'Fix the line, or let `go mod tidy` rewrite the file';
const VERBS = new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'replace', 'exclude', 'retract', 'tool', 'ignore']);

interface Require { path: string; version: string; indirect: boolean }
interface Replace { path: string; version?: string; newPath: string; newVersion?: string }

export const goMod: LockfileFormat = {
  id: 'go-mod',
  ecosystem: 'go',
  detect(path, text) {
    if (basename(path) === 'go.mod') return true;
    return text.length > 0 && /^(?:\/\/.*\n|\s*\n)*module\s+\S+\s*\n/.test(text.slice(0, 1000)) && /\ngo \d/.test(text);
  },
  parse: parseGoMod,
};

/** go.sum lists every module version the build may hash, including old ones kept for the module graph. */
export const goSum: LockfileFormat = {
  id: 'go-sum',
  ecosystem: 'go',
  detect(path, text) {
    if (basename(path) === 'go.sum') return true;
    return text.length > 0 && /^\S+ v\S+ h1:[A-Za-z0-9+/=]+\n/.test(text.slice(0, 300));
  },
  parse: parseGoSum,
};
export default goMod;

/** Splits a go.mod line into tokens, dropping a trailing comment but reporting `// indirect`. */
function tokens(line: string): { words: string[]; indirect: boolean } {
  const at = line.indexOf('//');
  const comment = at >= 0 ? line.slice(at + 2).trim() : '';
  const body = at >= 0 ? line.slice(0, at) : line;
  const words = [...body.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)].map(m => m[1] ?? m[2] ?? m[3] ?? '');
  return { words, indirect: /^indirect(?:;|$)/.test(comment) };
}

export function parseGoMod(text: string, path: string): Parsed<DependencySet> {
  const lines = text.split(/\r?\n/);
  const requires: Require[] = [];
  const replaces: Replace[] = [];
  let block: string | undefined;
  let sawModule = false;
  for (let i = 0; i < lines.length; i++) {
    const { words, indirect } = tokens(lines[i] ?? '');
    if (words.length === 0) continue;
    let verb = block;
    let args = words;
    if (block === undefined) {
      verb = words[0];
      args = words.slice(1);
      if (!verb || !VERBS.has(verb)) return bad(text, path, i + 1, `has an unknown directive "${verb ?? ''}"`);
      if (args[0] === '(' && args.length === 1) { block = verb; continue; }
    } else if (words[0] === ')' && words.length === 1) { block = undefined; continue; }
    if (verb === 'module') sawModule = true;
    if (verb === 'require') {
      if (args.length !== 2 || !args[1]?.startsWith('v')) return bad(text, path, i + 1, 'has a require that is not "path version"');
      requires.push({ path: args[0] ?? '', version: args[1], indirect });
    } else if (verb === 'replace') {
      const arrow = args.indexOf('=>');
      const left = args.slice(0, arrow);
      const right = args.slice(arrow + 1);
      if (arrow < 0 || left.length < 1 || left.length > 2 || right.length < 1 || right.length > 2) {
        return bad(text, path, i + 1, 'has a replace that is not "path [version] => path [version]"');
      }
      replaces.push({ path: left[0] ?? '', version: left[1], newPath: right[0] ?? '', newVersion: right[1] });
    }
  }
  if (block !== undefined) return bad(text, path, lines.length, `has a "${block} (" block that is never closed`);
  if (!sawModule) return failure('go-mod', path, 'has no module directive', 1, HINT);
  const packages = requires.map(r => applyReplace(r, replaces));
  return { ok: true, value: { format: 'go-mod', ecosystem: 'go', path, packages: sortPackages(packages) }, warnings: [] };
}

/** A replace for this exact version wins over one for every version; the replacement is what gets built. */
function applyReplace(r: Require, replaces: Replace[]): LockedPackage {
  const rep = replaces.find(x => x.path === r.path && x.version === r.version) ?? replaces.find(x => x.path === r.path && !x.version);
  const base = { name: r.path, direct: !r.indirect, dev: false };
  if (!rep) return { ...base, version: r.version, facts: {} };
  // A local directory has no version: it is compared by its path.
  const version = rep.newVersion ?? rep.newPath;
  return { ...base, version, facts: compactFacts({ resolved: rep.newPath === r.path ? undefined : rep.newPath }) };
}

export function parseGoSum(text: string, path: string): Parsed<DependencySet> {
  const byKey = new Map<string, LockedPackage>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    const m = /^(\S+) (v\S+?)(\/go\.mod)? (h\d+:\S+)$/.exec(line);
    if (!m) return failure('go-sum', path, `has a line that is not "module version hash": "${excerpt(text, i + 1)}"`, i + 1, 'Regenerate it with `go mod tidy`');
    // A "/go.mod" line only hashes the module's go.mod for the graph; the module's code was not downloaded.
    if (m[3]) continue;
    const name = m[1] ?? '';
    const version = m[2] ?? '';
    byKey.set(`${name} ${version}`, { name, version, direct: false, dev: false, facts: { integrity: m[4] ?? '' } });
  }
  return { ok: true, value: { format: 'go-sum', ecosystem: 'go', path, packages: sortPackages([...byKey.values()]) }, warnings: [] };
}

function bad(text: string, path: string, line: number, what: string): Parsed<DependencySet> {
  return failure('go-mod', path, `${what}: "${excerpt(text, line)}"`, line, HINT);
}
