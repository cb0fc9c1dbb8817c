import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { stampOf, traceReads, type Stamp } from '../util/read-trace.js';
import { VERSION } from '../version.js';
import type { Io } from './io.js';

// `reldiff A B --offline` run again on the same commits, with the same command line, environment, code and files on
// disk, prints the same bytes (reldiff is deterministic). So the second run prints what the first printed, kept in
// <git dir>/reldiff-cache/replay, and spends what git spends to say the refs have not moved: without loading
// reldiff's modules at all (their loading alone costs twice git's floor on a far pair, issue 15).
//
// Kept only when every input can be checked: both refs named on the command line, --offline (a registry's answer
// can change under the same key), no --output/--evidence (files written or read outside the trace), and
// the run's every read of the disk traced (util/read-trace.ts) and stamped. Served only when all of these are
// unchanged: the argv, the folder, the whole environment (hashed, never stored), stdout/stderr being terminals,
// the day (acknowledgements expire), what both refs resolve to, whether the clone is shallow, and
// the stamp of reldiff's own code, of every file the run read and of every file git reads beside its objects. An entry that does not read
// back whole is ignored, as the blob cache's are; entries live among the blob cache's, under its size bound.

/** Bumped when an entry's layout or the key's parts change. */
const LAYOUT = 1;
/** The folder inside the blob cache (cache/blob-cache.ts prunes it with the rest). */
const FOLDER = 'replay';

/** The commands reldiff has besides diff (cli/commands/index.ts; a test keeps the two lists the same). */
export const COMMAND_NAMES = ['ack', 'bisect', 'comment', 'deps', 'diff', 'probe'] as const;

/** Options that take a value, and flags, that a replayed run may have; any other option means no replay. */
const VALUE_OPTIONS = new Set(['repo', 'format', 'top', 'fail-on', 'config', 'pypi-url', 'deep', 'cache-dir']);
const FLAGS = new Set(['all', 'warn-only', 'offline', 'require-registry', 'no-color', 'color', 'quiet']);

export interface ReplayPlan {
  /** The two refs as given. */
  refs: [string, string];
  /** The --repo folder, or undefined for the current one. */
  repo: string | undefined;
}

/** Whether this command line can be replayed: `reldiff [diff] A B --offline` with options from the lists above. */
export function replayPlan(argv: readonly string[]): ReplayPlan | undefined {
  const args = argv[0] === 'diff' ? argv.slice(1) : [...argv];
  if (args[0] !== undefined && (COMMAND_NAMES as readonly string[]).includes(args[0])) return undefined;
  const refs: string[] = [];
  let repo: string | undefined;
  let isOffline = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('-')) {
      refs.push(arg);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') return undefined;
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (FLAGS.has(name) && eq < 0) {
      if (name === 'offline') isOffline = true;
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) return undefined;
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) return undefined;
    if (name === 'repo') repo = value;
  }
  // A ref such as `:/message` means something else once peeled with ^{commit}: left to the full run.
  if (!isOffline || refs.length !== 2 || refs.some(r => r === '' || r.startsWith(':') || /[\n\0]/.test(r))) return undefined;
  return { refs: refs as [string, string], repo };
}

interface Entry { layout: number; key: string; stamps: [string, Stamp][]; stdout: string[]; stderr: string[]; code: number }

/** What git itself says about the repository and both refs, and the key of this run; undefined outside git or when a ref does not resolve. */
export function replayKey(plan: ReplayPlan, argv: readonly string[], io: Io): { key: string; dir: string; gitFiles: string[] } | undefined {
  const repoDir = resolve(io.cwd, plan.repo ?? '.');
  const git = (args: string[]): string | undefined => {
    const r = spawnSync('git', args, { cwd: repoDir, encoding: 'utf8', env: io.env as NodeJS.ProcessEnv });
    return r.status === 0 ? r.stdout : undefined;
  };
  // One process: where the repository is, whether it is shallow, and both refs peeled to commits (a ref never
  // starts with '-' here, and `--` keeps a file of the same name from being read as a path).
  const out = git(['rev-parse', '--git-common-dir', '--git-dir', '--show-toplevel', '--is-shallow-repository', ...plan.refs.map(r => `${r}^{commit}`), '--'])?.split('\n');
  if (!out || out.length < 6) return undefined;
  const [common, gitDir, top] = out.slice(0, 3).map(l => (l && !isAbsolute(l) ? resolve(repoDir, l) : l)) as [string, string, string];
  const shallow = out[3];
  const peeled = out.slice(4, 6);
  if (peeled.some(l => !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(l))) return undefined;
  const home = io.env['HOME'] ?? '';
  const xdg = io.env['XDG_CONFIG_HOME'] ?? join(home, '.config');
  // What git reads beside its objects when reldiff runs it: configuration, attributes, mailmap, history grafts,
  // alternates, the pack list (a fetch that brings a missing blob changes it).
  const gitFiles = [join(common, 'config'), join(gitDir, 'config.worktree'), '/etc/gitconfig', join(home, '.gitconfig'), join(xdg, 'git', 'config'),
    join(xdg, 'git', 'attributes'), join(top, '.gitattributes'), join(top, '.mailmap'), join(common, 'info', 'attributes'), join(common, 'info', 'grafts'),
    join(common, 'shallow'), join(common, 'objects', 'info', 'alternates'), join(common, 'objects', 'pack'), join(common, 'refs', 'replace'),
    ...['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM'].flatMap(v => (io.env[v] ? [io.env[v] as string] : []))];
  const key = createHash('sha256').update(JSON.stringify({
    layout: LAYOUT, version: VERSION, argv, cwd: io.cwd, env: Object.entries(io.env).sort(([a], [b]) => (a < b ? -1 : 1)),
    tty: [io.isStdoutTTY, io.isStderrTTY], day: day(io.env), shallow, peeled, gitDir,
  })).digest('hex');
  return { key, dir: join(common, 'reldiff-cache', FOLDER), gitFiles };
}

/** The day acknowledgements expire against (cli/analysis.ts today()): SOURCE_DATE_EPOCH is in the key already. */
const day = (env: Io['env']): string => (env['SOURCE_DATE_EPOCH'] ? env['SOURCE_DATE_EPOCH'] : new Date().toISOString().slice(0, 10));

/** reldiff's install, whose code and data a kept entry stamps (a rebuild or an npm install changes them). */
const INSTALL = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Files of reldiff and its dependencies: stamped as code, not traced (a repository may sit inside the install). */
const OWN = ['dist', 'data', 'node_modules'].map(f => join(INSTALL, f) + sep);
const isOwnCode = (path: string): boolean => OWN.some(prefix => path.startsWith(prefix)) || path === join(INSTALL, 'package.json');

/**
 * reldiff's code and data as the kept run had them: every module of dist/, data/, package.json and the list npm keeps
 * of node_modules. A file added since cannot change what runs unless one of these changed to load it; a file removed
 * is stamped missing. Listed once when the entry is kept; a replay only stats them.
 */
function codeFiles(): string[] {
  const files = [join(INSTALL, 'package.json'), join(INSTALL, 'node_modules', '.package-lock.json')];
  for (const folder of ['dist', 'data']) {
    try {
      const names = readdirSync(join(INSTALL, folder), { recursive: true }) as string[];
      for (const name of names) if (!name.endsWith('.d.ts')) files.push(join(INSTALL, folder, name));
    } catch { /* not built: the stamps say missing */ }
  }
  return files;
}

const fileOf = (dir: string, key: string): string => join(dir, `${key}.json.gz`);

/** The kept output of a run with this key whose every stamp still holds; undefined otherwise. */
export function findReplay(dir: string, key: string): Entry | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(gunzipSync(readFileSync(fileOf(dir, key))).toString('utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (!isEntry(entry) || entry.layout !== LAYOUT || entry.key !== key) return undefined;
  for (const [path, stamp] of entry.stamps) if (stampOf(path) !== stamp) return undefined;
  return entry;
}

function isEntry(value: unknown): value is Entry {
  const e = value as Entry;
  const strings = (a: unknown): boolean => Array.isArray(a) && a.every(s => typeof s === 'string');
  return e !== null && typeof e === 'object' && typeof e.key === 'string' && Number.isInteger(e.code) && strings(e.stdout) && strings(e.stderr)
    && Array.isArray(e.stamps) && e.stamps.every(s => Array.isArray(s) && s.length === 2 && typeof s[0] === 'string' && typeof s[1] === 'string');
}

function keepReplay(dir: string, entry: Entry): void {
  const file = fileOf(dir, entry.key);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, gzipSync(JSON.stringify(entry), { level: 1 }));
    renameSync(temp, file);
  } catch {
    try { unlinkSync(temp); } catch { /* never written */ }
  }
}

/**
 * Runs `main` (loaded only when needed), or prints the kept output of the same run. A run is kept when it ends with
 * 0 or 1 (a report; exit 2 is bad input, said again each time) and its reads were all traced.
 */
export async function runWithReplay(argv: readonly string[], io: Io,
  loadMain: () => Promise<(argv: string[], io: Io) => Promise<number>>): Promise<number> {
  const plan = replayPlan(argv);
  const found = plan ? replayKey(plan, argv, io) : undefined;
  if (found) {
    const kept = findReplay(found.dir, found.key);
    if (kept) {
      for (const text of kept.stdout) io.stdout(text);
      for (const text of kept.stderr) io.stderr(text);
      return kept.code;
    }
  }
  const main = await loadMain();
  if (!found) return main([...argv], io);
  const gitStamps = [...found.gitFiles, ...codeFiles()].map(p => [p, stampOf(p)] as [string, Stamp]);
  const cacheRoot = dirname(found.dir) + sep;
  const trace = traceReads(p => resolve(io.cwd, p), p => isOwnCode(p) || p.startsWith(cacheRoot) || `${p}${sep}` === cacheRoot || p.startsWith('/proc/') || p.startsWith('/dev/'));
  const stdout: string[] = [];
  const stderr: string[] = [];
  let code: number;
  try {
    code = await main([...argv], { ...io, stdout: t => { stdout.push(t); io.stdout(t); }, stderr: t => { stderr.push(t); io.stderr(t); } });
  } finally {
    trace.stop();
  }
  if (code === 0 || code === 1) {
    const stamps = new Map([...gitStamps, ...trace.stamps()]);
    keepReplay(found.dir, { layout: LAYOUT, key: found.key, stamps: [...stamps].sort(([a], [b]) => (a < b ? -1 : 1)), stdout, stderr, code });
  }
  return code;
}
