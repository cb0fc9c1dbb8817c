// `npm run bench`: every benchmark of the project, one after another, each printing its table. Each figure is a
// ratio to a floor measured in the same run (git's own commands, or the reference parser), never a fixed time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suites = [
  ['core', 'core.js'],
  ['far-apart releases', 'far.js'],
  ['deep-scan line diff', 'deep-diff.js'],
  ['--offline with a full tarball cache', 'offline-cache.js'],
  ['lockfiles (JavaScript)', 'lockfiles-js.js'],
  ['lockfiles (Python)', 'lockfiles-py.js'],
  ['rules', 'rules.js'],
  ['registry', 'registry.js'],
  ['look inside (deep scan)', 'deep-scan.js'],
  ['bisect', 'bisect.js'],
  ['image archives', 'image.js'],
  ['RPM databases in images', 'rpmdb.js'],
  ['bisect --deps', 'bisect-deps.js'],
  ['bisect --deps installs', 'bisect-deps-install.js'],
];
const only = process.argv.slice(2);
let failed = 0;
for (const [name, file] of suites) {
  if (only.length > 0 && !only.some(o => file.startsWith(o))) continue;
  const path = join(here, file);
  if (!existsSync(path)) continue;
  console.log(`\n# ${name} (bench/${file})`);
  const r = spawnSync(process.execPath, ['--expose-gc', path], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${file} failed with exit code ${r.status}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
