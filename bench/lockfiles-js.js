// Times each JavaScript lockfile parser on the largest fixture of its format against the reference parser on
// the same file (@npmcli/arborist loadVirtual, @yarnpkg/parsers parseSyml, @pnpm/lockfile-file, yaml), plus a
// synthetic 15 MB two-document pnpm lockfile. Run: npm run build && node --expose-gc bench/lockfiles-js.js
// (BENCH_ONLY=<part of a format name> runs one row, BENCH_RUNS=<n> changes the number of runs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { parseNpmLock } from '../dist/lockfiles/npm-lock.js';
import { parseNpmLs } from '../dist/lockfiles/npm-ls.js';
import { parsePnpmLock } from '../dist/lockfiles/pnpm-lock.js';
import { parseYarnBerry } from '../dist/lockfiles/yarn-berry.js';
import { parseYarnClassic } from '../dist/lockfiles/yarn-classic.js';
import { fixtureFolder, readFixture } from './fixtures.js';

const require = createRequire(import.meta.url);
const Arborist = require('@npmcli/arborist');
const { parseSyml } = require('@yarnpkg/parsers');
const { readWantedLockfile } = require('@pnpm/lockfile-file');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS) || 5;

/** The reference reads all documents itself (yaml.parse throws on pnpm 11's two-document files). */
const yamlAll = t => parseAllDocuments(t, { uniqueKeys: false }).map(d => d.toJS({ maxAliasCount: -1 }));

/** A deterministic pnpm 11 style lockfile of about `bytes`: env document, catalogs, importers, peers. */
export function syntheticPnpmLock(bytes) {
  let seed = 42;
  const rand = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const names = [];
  for (let i = 0; names.length < bytes / 283; i++) names.push(i % 5 === 0 ? `@scope${i % 97}/pkg-${i}` : `pkg-${i}`);
  const pkgs = names.map((name, i) => ({ name, version: `${1 + rand(20)}.${rand(30)}.${rand(10)}`, i }));
  const key = p => `${p.name}@${p.version}${p.i % 7 === 0 ? `(react@18.${p.i % 3}.0)` : ''}`;
  const q = s => (/^[@/]/.test(s) || s.includes(':') ? `'${s}'` : s);
  const out = ["---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies: {}\n", "    packageManagerDependencies:\n      pnpm:\n        specifier: 11.0.0\n        version: 11.0.0\n\npackages:\n\n  pnpm@11.0.0:\n    resolution: {integrity: sha512-env}\n\nsnapshots:\n\n  pnpm@11.0.0: {}\n\n---\nlockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\ncatalogs:\n  default:\n    react:\n      specifier: ^18.0.0\n      version: 18.2.0\n\nimporters:\n"];
  for (let w = 0; w < 200; w++) {
    out.push(`\n  packages/app-${w}:\n    dependencies:\n`);
    for (let d = 0; d < 8; d++) { const p = pkgs[rand(pkgs.length)]; out.push(`      ${q(p.name)}:\n        specifier: ^${p.version}\n        version: ${key(p).slice(p.name.length + 1)}\n`); }
    out.push('    devDependencies:\n');
    for (let d = 0; d < 4; d++) { const p = pkgs[rand(pkgs.length)]; out.push(`      ${q(p.name)}:\n        specifier: ^${p.version}\n        version: ${key(p).slice(p.name.length + 1)}\n`); }
  }
  out.push('\npackages:\n\n');
  for (const p of pkgs) {
    out.push(`  ${q(`${p.name}@${p.version}`)}:\n    resolution: {integrity: sha512-${Buffer.from(p.name + p.version).toString('base64').padEnd(86, 'A')}==}\n    engines: {node: '>=18'}\n`);
    if (p.i % 7 === 0) out.push("    peerDependencies:\n      react: '*'\n");
    if (p.i % 50 === 0) out.push('    os: [linux]\n    cpu: [x64]\n');
    out.push('\n');
  }
  out.push('snapshots:\n\n');
  for (const p of pkgs) {
    const deps = Array.from({ length: rand(5) }, () => pkgs[rand(pkgs.length)]);
    out.push(deps.length ? `  ${q(key(p))}:\n    dependencies:\n${deps.map(d => `      ${q(d.name)}: ${key(d).slice(d.name.length + 1)}\n`).join('')}\n` : `  ${q(key(p))}: {}\n\n`);
  }
  return out.join('');
}

/** Median of RUNS timings of each function, run in turns so that load from other processes hits both alike. */
async function medians(a, b) {
  const times = [[], []];
  await a(); await b(); // warm-up: JIT and lazy module init are not what a user waits for twice
  for (let i = 0; i < RUNS; i++) {
    for (const [k, fn] of [[0, a], [1, b]]) {
      globalThis.gc?.();
      const start = performance.now();
      await fn();
      times[k].push(performance.now() - start);
    }
  }
  return times.map(t => t.sort((x, y) => x - y)[Math.floor(RUNS / 2)]);
}

const scratch = mkdtempSync(join(tmpdir(), 'reldiff-bench-'));
const lexicalFolder = fixtureFolder('npm-lock-v2/facebook__lexical@v0.39.0');
const npmLsText = execFileSync('npm', ['ls', '--all', '--json', '--long'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
const synthetic = syntheticPnpmLock(15e6);
writeFileSync(join(scratch, 'pnpm-lock.yaml'), readFixture('pnpm-lock-v6/pnpm__pnpm@v8.15.0/pnpm-lock.yaml'));

const cases = [
  { format: 'npm-lock v2', file: 'npm-lock-v2/facebook__lexical@v0.39.0/package-lock.json', ours: parseNpmLock,
    reference: ['arborist loadVirtual', () => new Arborist({ path: lexicalFolder }).loadVirtual()] },
  { format: 'yarn-classic', file: 'yarn-classic/vuejs__vue-cli@v4.4.6/yarn.lock', ours: parseYarnClassic, reference: ['parseSyml', parseSyml] },
  { format: 'yarn-berry', file: 'yarn-berry/medusajs__medusa@v1.20.4/yarn.lock', ours: parseYarnBerry, reference: ['parseSyml', parseSyml] },
  { format: 'pnpm-lock 9.0 (2 docs)', file: 'pnpm-lock-v9/pnpm__pnpm@v11.22.0/pnpm-lock.yaml', ours: parsePnpmLock, reference: ['yaml (all docs)', yamlAll] },
  { format: 'pnpm-lock 6.0', file: 'pnpm-lock-v6/pnpm__pnpm@v8.15.0/pnpm-lock.yaml', ours: parsePnpmLock,
    reference: ['@pnpm/lockfile-file', () => readWantedLockfile(scratch, { ignoreIncompatible: false })] },
  { format: 'pnpm-lock synthetic', text: synthetic, ours: parsePnpmLock, reference: ['yaml (all docs)', yamlAll] },
  { format: 'npm-ls --all --long', text: npmLsText, ours: parseNpmLs, reference: ['JSON.parse', t => JSON.parse(t)] },
];

const rows = [];
try {
  for (const c of cases.filter(c => !process.env.BENCH_ONLY || c.format.includes(process.env.BENCH_ONLY))) {
    const text = c.text ?? readFixture(c.file);
    const result = c.ours(text, c.file ?? 'pnpm-lock.yaml');
    if (!result.ok) throw new Error(`${c.format}: ${result.error.message}`);
    const [ours, ref] = await medians(() => c.ours(text, c.file ?? 'x'), () => c.reference[1](text));
    rows.push([c.format, `${(text.length / 1e6).toFixed(2)} MB`, String(result.value.packages.length), `${ours.toFixed(1)} ms`,
      `${c.reference[0]} ${ref.toFixed(1)} ms`, (ours / ref).toFixed(2)]);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const head = ['format', 'size', 'packages', `reldiff (median of ${RUNS})`, `reference (median of ${RUNS})`, 'ratio'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
const line = r => r.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(head));
console.log(widths.map(w => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
