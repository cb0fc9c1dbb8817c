#!/usr/bin/env node
// Rule-engine benchmark: 5,000 changed files (half Python, half TypeScript, ~2 MB, every line added).
// Times analyzeSources against a floor of reading the same texts from disk, and prints the ratio.
// The lead combines this with the git floor (git diff + reading blobs). Usage: npm run build && node bench/rules.js
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { analyzeSources } from '../dist/rules/run.js';

const FILES = Number(process.env.BENCH_FILES ?? 5000);
const TARGET_BYTES = Number(process.env.BENCH_BYTES ?? 2_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = list => list[Math.floor(random() * list.length)];

const PY_BLOCKS = [
  i => `def handle_${i}(request):\n    data = request.json()\n    if not data:\n        raise ValueError("empty")\n    return {"id": data.get("id"), "ok": True}\n`,
  i => `class Service${i}:\n    def __init__(self, client):\n        self.client = client\n        self.items = []\n\n    def add(self, item):\n        self.items.append(item)\n        return len(self.items)\n`,
  i => `def load_${i}(path):\n    with open(path) as f:\n        return [line.strip() for line in f if line]\n`,
  i => `_CACHE_${i} = {}\n\ndef lookup_${i}(key):\n    if key not in _CACHE_${i}:\n        _CACHE_${i}[key] = compute(key)\n    return _CACHE_${i}[key]\n`,
  i => `NOT_FOUND_${i} = KeyError("missing")\n\ndef get_${i}(store, key):\n    if key not in store:\n        raise NOT_FOUND_${i}\n    return store[key]\n`,
  i => `async def worker_${i}(queue):\n    while True:\n        job = await queue.get()\n        try:\n            await job.run()\n        except Exception as exc:\n            log.warning("job failed: %s", exc)\n        finally:\n            queue.task_done()\n`,
];
const TS_BLOCKS = [
  i => `export interface Item${i} { id: string; value: number; tags?: string[] }\n`,
  i => `export function total${i}(items: Item[]): number {\n  let sum = 0;\n  for (const item of items) sum += item.value;\n  return sum;\n}\n`,
  i => `export class Store${i} {\n  private readonly items = new Map<string, number>();\n  set(key: string, value: number): void {\n    this.items.set(key, value);\n  }\n  delete(key: string): boolean {\n    return this.items.delete(key);\n  }\n}\n`,
  i => `const cache${i} = new Map<string, Promise<string>>();\nexport async function fetchText${i}(url: string): Promise<string> {\n  const hit = cache${i}.get(url);\n  if (hit) return hit;\n  const p = fetch(url).then(r => r.text());\n  cache${i}.set(url, p);\n  return p;\n}\n`,
  i => `export function watch${i}(conn: Conn): () => void {\n  const onData = (d: Buffer) => conn.handle(d);\n  process.on('message', onData);\n  const timer = setInterval(() => conn.ping(), 1000);\n  return () => { clearInterval(timer); process.off('message', onData); };\n}\n`,
  i => `export const format${i} = (value: number, unit: 'kb' | 'mb' = 'kb'): string =>\n  \`\${(value / (unit === 'kb' ? 1024 : 1048576)).toFixed(1)} \${unit}\`;\n`,
];

function makeFile(index, isPython) {
  const header = isPython ? 'import logging\nimport json\n\nlog = logging.getLogger(__name__)\n\n' : "import { readFile } from 'node:fs/promises';\n\n";
  const perFile = TARGET_BYTES / FILES;
  let text = header;
  for (let block = 0; text.length < perFile; block++) text += pick(isPython ? PY_BLOCKS : TS_BLOCKS)(`${index}_${block}`) + '\n';
  return text;
}

const dir = mkdtempSync(join(tmpdir(), 'reldiff-rules-bench-'));
try {
  const paths = [];
  for (let i = 0; i < FILES; i++) {
    const isPython = i % 2 === 0;
    const path = `pkg${i % 50}/module_${i}.${isPython ? 'py' : 'ts'}`;
    mkdirSync(join(dir, `pkg${i % 50}`), { recursive: true });
    writeFileSync(join(dir, path), makeFile(i, isPython));
    paths.push(path);
  }

  // The git floor: the patch and the blobs the pipeline needs, timed with git's own commands.
  const git = (args, input) => spawnSync('git', args, { cwd: dir, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  const env = { GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2020-01-01T00:00:00Z' };
  Object.assign(process.env, env);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-q', '--allow-empty', '-m', 'base'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-q', '-m', 'head'], { cwd: dir });
  const gitFloor = () => {
    const start = performance.now();
    git(['diff', '--no-color', '--no-ext-diff', '-M', 'HEAD~1', 'HEAD']);
    git(['cat-file', '--batch'], paths.map(path => `HEAD:${path}`).join('\n') + '\n');
    return performance.now() - start;
  };

  const readAll = () => paths.map(path => readFileSync(join(dir, path), 'utf8'));
  const toInputs = texts => texts.map((text, i) => {
    const path = paths[i];
    const lines = text.split('\n').length;
    return {
      path, text,
      change: { path, status: 'added', binary: false, additions: lines, deletions: 0, added: [{ start: 1, end: lines }], removed: [], hunks: [], commits: ['0'.repeat(40)] },
    };
  });

  const timeIt = async fn => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await fn();
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000, result };
  };

  const warm = await timeIt(() => analyzeSources(toInputs(readAll().slice(0, 2)), {}));
  const floors = [];
  const gitFloors = [];
  const engines = [];
  let findings = 0;
  for (let run = 0; run < RUNS; run++) {
    floors.push(await timeIt(() => readAll()));
    gitFloors.push({ wall: gitFloor() });
    engines.push(await timeIt(async () => analyzeSources(toInputs(readAll()), {})));
    findings = engines[engines.length - 1].result.findings.length;
  }
  const median = (list, key) => [...list].sort((a, b) => a[key] - b[key])[Math.floor(list.length / 2)][key];
  const bytes = readAll().reduce((n, t) => n + Buffer.byteLength(t), 0);
  const floorWall = median(floors, 'wall');
  const engineWall = median(engines, 'wall');
  const engineCpu = median(engines, 'cpu');
  const gitWall = median(gitFloors, 'wall');
  console.log(`files: ${FILES} (${FILES / 2} .py, ${FILES / 2} .ts), ${(bytes / 1e6).toFixed(2)} MB added, ${findings} findings`);
  console.log(`grammar load + first call: ${warm.wall.toFixed(0)} ms`);
  console.log(`floor (read texts): ${floorWall.toFixed(0)} ms wall`);
  console.log(`analyzeSources (read + parse + ${RUNS > 1 ? 'rules' : 'rules'}): ${engineWall.toFixed(0)} ms wall, ${engineCpu.toFixed(0)} ms CPU (median of ${RUNS})`);
  console.log(`git floor (git diff + cat-file --batch of every blob): ${gitWall.toFixed(0)} ms wall`);
  console.log(`ratio engine / read floor: ${(engineWall / floorWall).toFixed(1)}x; per file ${(engineWall / FILES).toFixed(2)} ms`);
  console.log(`ratio (git floor + engine) / git floor: ${((gitWall + engineWall) / gitWall).toFixed(2)}x (target <= 3x)`);
  console.log(JSON.stringify({ files: FILES, bytes, findings, floorMs: Math.round(floorWall), gitFloorMs: Math.round(gitWall), engineMs: Math.round(engineWall), engineCpuMs: Math.round(engineCpu), grammarLoadMs: Math.round(warm.wall) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
