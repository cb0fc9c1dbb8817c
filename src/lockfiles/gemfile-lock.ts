// https://bundler.io/guides/gemfile_lock.html (bundler/lib/bundler/lockfile_parser.rb)
import type { DependencySet, LockedPackage, LockfileFormat, Parsed } from '../types.js';
import { basename, compactFacts, excerpt, failure, sortPackages } from './util.js';

const HINT = 'Regenerate it with `bundle lock`';
const SOURCES = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);
// Bundler's own pattern: the version has no "-"; anything after the first "-" is the platform.
const SPEC = /^ {4}(?! )(\S+?)(?: \(([^-)]*)(?:-([^)]*))?\))?$/;
const DEPENDENCY = /^ {2}(?! )(\S+?)(?: \(([^)]*)\))?(!)?$/;

const format: LockfileFormat = {
  id: 'gemfile-lock',
  ecosystem: 'rubygems',
  detect(path, text) {
    const name = basename(path);
    if (name === 'Gemfile.lock' || name === 'gems.locked') return true;
    return text.length > 0 && /^(?:GEM|GIT|PATH)\n {2}remote: /.test(text) && /\n {2}specs:\n/.test(text.slice(0, 2000));
  },
  parse: parseGemfileLock,
};
export default format;

interface Spec { name: string; version: string; platform?: string; resolved?: string; line: number }
// Bundler 2.5+ CHECKSUMS lines: "  name (version[-platform]) sha256=...".
const CHECKSUM = /^ {2}(\S+) \(([^)]*)\)(?: (\S+))?$/;

export function parseGemfileLock(text: string, path: string): Parsed<DependencySet> {
  const lines = text.split(/\r?\n/);
  const specs: Spec[] = [];
  const direct = new Set<string>();
  const checksums = new Map<string, string>();
  let section = '';
  let remote: string | undefined;
  let revision: string | undefined;
  let sectionStart = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.trim()) continue;
    if (!line.startsWith(' ')) {
      section = line.trim();
      remote = undefined;
      revision = undefined;
      sectionStart = specs.length;
      continue;
    }
    if (SOURCES.has(section)) {
      const kv = /^ {2}(remote|revision): (.*)$/.exec(line);
      if (kv) {
        if (kv[1] === 'remote') remote = kv[2]; else revision = kv[2];
        // The revision may follow the specs' header lines; give it to the specs read so far too.
        if (section === 'GIT') for (const s of specs.slice(sectionStart)) s.resolved = gitResolved(remote, revision);
        continue;
      }
      if (/^ {2}\S/.test(line) || /^ {6}/.test(line)) continue; // other keys (branch, glob) and a spec's own dependencies
      const m = SPEC.exec(line);
      if (!m || !m[2]) return bad(text, path, i + 1, 'has a spec that is not "name (version)"');
      specs.push({ name: m[1] ?? '', version: m[2], ...(m[3] ? { platform: m[3] } : {}), line: i + 1,
        ...(section === 'GEM' ? {} : { resolved: section === 'GIT' ? gitResolved(remote, revision) : remote }) });
    } else if (section === 'DEPENDENCIES') {
      const m = DEPENDENCY.exec(line);
      if (!m) return bad(text, path, i + 1, 'has a dependency that is not "name (requirement)"');
      direct.add(m[1] ?? '');
    } else if (section === 'CHECKSUMS') {
      const m = CHECKSUM.exec(line);
      if (!m) return bad(text, path, i + 1, 'has a checksum that is not "name (version) algorithm=digest"');
      if (m[3]) checksums.set(`${m[1] ?? ''} ${m[2] ?? ''}`, m[3]);
    }
  }
  if (specs.length === 0 && !lines.some(l => SOURCES.has(l.trim()))) {
    return failure('gemfile-lock', path, 'has no GEM, GIT or PATH section', 1, HINT);
  }
  const packages: LockedPackage[] = specs.map(s => ({
    name: s.name, version: s.version, direct: direct.has(s.name), dev: false,
    // Platform gems ship precompiled extensions; "java" gems are JVM bytecode, not native code.
    ...(s.platform ? { installPath: s.platform } : {}),
    facts: compactFacts({ native: s.platform && s.platform !== 'java' && s.platform !== 'ruby' ? true : undefined, resolved: s.resolved,
      integrity: checksums.get(`${s.name} ${s.version}${s.platform ? `-${s.platform}` : ''}`) }),
  }));
  return { ok: true, value: { format: 'gemfile-lock', ecosystem: 'rubygems', path, packages: sortPackages(packages) }, warnings: [] };
}

function gitResolved(remote: string | undefined, revision: string | undefined): string | undefined {
  return remote ? (revision ? `${remote}#${revision}` : remote) : undefined;
}

function bad(text: string, path: string, line: number, what: string): Parsed<DependencySet> {
  return failure('gemfile-lock', path, `${what}: "${excerpt(text, line)}"`, line, HINT);
}
