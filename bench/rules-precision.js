#!/usr/bin/env node
// Runs the rule engine over real code with every line treated as added, and prints each hit for review.
// Usage: npm run build && node bench/rules-precision.js [--wide] [--all] [--rule <id>] [--context N]
//   --wide: every package in node_modules, the whole stdlib and /usr/lib/python3/dist-packages.
//   JS/TS: well-known packages in node_modules; Python: stdlib packages from /usr/lib/python3*.
// Prints high/critical hits (all hits with --all) with source context; counts per rule at the end.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeSources } from '../dist/rules/run.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const args = process.argv.slice(2);
const showAll = args.includes('--all');
const wide = args.includes('--wide');
const onlyRule = args.includes('--rule') ? args[args.indexOf('--rule') + 1] : undefined;
const context = args.includes('--context') ? Number(args[args.indexOf('--context') + 1]) : 2;

const JS_PACKAGES = [
  'simple-git', 'yaml', '@octokit', 'vite', '@vitest', 'tinypool', 'chai', 'npm-registry-fetch', 'tar', 'ajv',
  'minipass', 'minipass-fetch', 'undici', 'debug', 'semver', 'picomatch', 'diff', 'playwright-core/lib/server',
];
const PY_DIRS = ['logging', 'asyncio', 'http', 'concurrent', 'multiprocessing', 'email', 'urllib', 'json', 'xml', 'unittest', 'importlib'];
const PY_FILES = ['threading.py', 'socketserver.py', 'functools.py', 'typing.py', 'subprocess.py', 'selectors.py', 'weakref.py', 'tempfile.py', 'shutil.py', 'ssl.py', 'socket.py', 'inspect.py', 'dataclasses.py', 'enum.py', 'traceback.py', 'warnings.py', 'contextlib.py', 'pathlib.py', 'argparse.py', 'sched.py', 'queue.py', 'smtplib.py', 'imaplib.py', 'ftplib.py', 'pdb.py', 'doctest.py'];

function walk(dir, keep, out = []) {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!/^(test|tests|__tests__|idlelib|lib2to3|node_modules)$/.test(entry.name)) walk(path, keep, out);
    } else if (keep(path)) out.push(path);
  }
  return out;
}

/** Like walk, but nested node_modules are packages too (walk skips them to avoid duplicates in --wide). */
function walkPackages(dir, keep) {
  return walk(dir, keep);
}

function collect() {
  const files = [];
  const isJs = path => /\.(m|c)?[jt]sx?$/.test(path) && !/\.d\.[mc]?ts$|\.min\.js$/.test(path);
  const packages = wide ? [''] : JS_PACKAGES;
  for (const pkg of packages) files.push(...walkPackages(join(root, 'node_modules', pkg), isJs));
  const python = readdirSync('/usr/lib').filter(name => /^python3\.\d+$/.test(name)).sort().pop();
  if (python && wide) {
    files.push(...walk(join('/usr/lib', python), path => path.endsWith('.py')));
    files.push(...walk('/usr/lib/python3/dist-packages', path => path.endsWith('.py')));
  } else if (python) {
    const base = join('/usr/lib', python);
    for (const dir of PY_DIRS) files.push(...walk(join(base, dir), path => path.endsWith('.py')));
    for (const file of PY_FILES) if (existsSync(join(base, file))) files.push(join(base, file));
  }
  return [...new Set(files)].filter(path => statSync(path).size < 1024 * 1024);
}

const files = collect();
const texts = new Map(files.map(path => [path, readFileSync(path, 'utf8')]));
const inputs = files.map(path => {
  const text = texts.get(path);
  const lines = text.split('\n').length;
  return {
    path, text,
    change: { path, status: 'added', binary: false, additions: lines, deletions: 0, added: [{ start: 1, end: lines }], removed: [], hunks: [], commits: [] },
  };
});
const started = performance.now();
const cpu = process.cpuUsage();
const { findings, warnings } = await analyzeSources(inputs, {});
const ms = performance.now() - started;
const cpuUsed = process.cpuUsage(cpu);
const cpuMs = (cpuUsed.user + cpuUsed.system) / 1000;

const shown = findings.filter(f => (onlyRule ? f.rule === onlyRule : showAll || f.severity === 'high' || f.severity === 'critical'));
for (const f of shown) {
  const lines = texts.get(f.file).split('\n');
  console.log(`\n[${f.severity}] ${f.rule}  ${relative('/', f.file)}:${f.line}\n  ${f.message}`);
  for (let i = Math.max(1, f.line - context); i <= Math.min(lines.length, f.line + context); i++) {
    console.log(`  ${i === f.line ? '>' : ' '} ${String(i).padStart(5)} | ${lines[i - 1]}`);
  }
}
const counts = new Map();
for (const f of findings) counts.set(`${f.severity.padEnd(8)} ${f.rule}`, (counts.get(`${f.severity.padEnd(8)} ${f.rule}`) ?? 0) + 1);
console.log(`\n${files.length} files (${[...texts.values()].reduce((n, t) => n + t.length, 0)} chars) in ${ms.toFixed(0)} ms wall, ~${cpuMs.toFixed(0)} ms CPU; ${findings.length} hits; ${warnings.length} warnings`);
for (const [key, n] of [...counts].sort()) console.log(`  ${String(n).padStart(4)}  ${key}`);
