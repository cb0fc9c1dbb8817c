import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandArgs, compileSources } from '../helpers/compiled.js';

// reldiff probe against real workloads (no mocks of /proc): a leak, a flat server, a crash, a leak in a grandchild.

let dist = '';
let work = '';

const SCRIPTS = {
  'leak.js': 'const keep = []; setInterval(() => keep.push(Buffer.alloc(2 * 1024 * 1024, 1)), 100);\n',
  'flat.js': 'const data = Buffer.alloc(8 * 1024 * 1024, 1); setInterval(() => data[0]++, 100);\n',
  'crash.js': 'setTimeout(() => process.exit(3), 1500); setInterval(() => {}, 100);\n',
};

beforeAll(() => {
  dist = compileSources();
  work = mkdtempSync(join(tmpdir(), 'reldiff-probe-'));
  for (const [name, text] of Object.entries(SCRIPTS)) writeFileSync(join(work, name), text);
}, 180_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (!process.env.RELDIFF_TEST_DIST) rmSync(join(dist, '..'), { recursive: true, force: true });
});

const SHORT = ['--duration', '2500ms', '--warmup', '700ms', '--interval', '100ms'];

function probe(args: string[]) {
  return spawnSync(process.execPath, commandArgs(dist, 'probe', args), { cwd: work, encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), NO_COLOR: '1' } });
}

function alive(pattern: string): string {
  return spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).stdout.trim();
}

describe('reldiff probe (slow)', () => {
  it('exits 1 for a workload that leaks 2 MB every 100 ms, with the numbers as JSON', () => {
    const result = probe([...SHORT, '--format', 'json', '--', process.execPath, join(work, 'leak.js')]);
    expect(result.status, result.stderr).toBe(1);
    const json = JSON.parse(result.stdout) as { verdict: string; slopeMbPerMin: number; samples: [number, number][] };
    expect(json.verdict).toBe('leak');
    expect(json.slopeMbPerMin).toBeGreaterThan(300);
    expect(json.samples.length).toBeGreaterThanOrEqual(10);
    expect(result.stderr).toContain('MiB │');
    expect(alive(join(work, 'leak.js'))).toBe('');
  });

  it('exits 0 for a flat workload', () => {
    const result = probe([...SHORT, '--threshold', '60MB/min', '--', process.execPath, join(work, 'flat.js')]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^flat: memory trend/);
  });

  it('exits 125 when the workload crashes', () => {
    const result = probe([...SHORT, '--', process.execPath, join(work, 'crash.js')]);
    expect(result.status).toBe(125);
    expect(result.stdout).toMatch(/inconclusive: the workload exited with 3/);
  });

  it('samples the whole tree and kills it: the leak sits in a grandchild of a shell', () => {
    const result = probe([...SHORT, '--format', 'json', '--', `${process.execPath} ${join(work, 'leak.js')} tree; true`]);
    expect(result.status, result.stderr).toBe(1);
    expect(alive(`${join(work, 'leak.js')} tree`)).toBe('');
  });

  it('refuses a missing workload with exit 2', () => {
    const result = probe(['--duration', '1s']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/workload command is missing/);
  });
});
