import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runTestCommand, verdictOf } from './oracle.js';

const env = { PATH: process.env.PATH };

describe('verdictOf (git bisect run protocol)', () => {
  it('maps exit codes', () => {
    expect([0, 1, 124, 125, 126, 127].map(code => verdictOf(code, null))).toEqual(['good', 'bad', 'bad', 'skip', 'bad', 'bad']);
    expect([verdictOf(128, null), verdictOf(255, null), verdictOf(null, 'SIGKILL')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('runTestCommand', () => {
  it('runs through sh -c in the given folder', async () => {
    const outcome = await runTestCommand('test "$(pwd)" = "$EXPECTED" && exit 3', tmpdir(), 'a'.repeat(40), { env: { ...env, EXPECTED: tmpdir() } });
    expect(outcome.verdict).toBe('bad');
    expect(outcome.code).toBe(3);
  });
  it('counts a run past --timeout as untestable and kills what it started', async () => {
    const outcome = await runTestCommand('sleep 20 & wait', tmpdir(), 'a'.repeat(40), { env, timeoutMs: 300 });
    expect(outcome).toMatchObject({ verdict: 'skip', timedOut: true });
  });
  it('aborts with the commit and the rule when the command exits 128 or more', async () => {
    await expect(runTestCommand('kill -9 $$', tmpdir(), 'b'.repeat(40), { env }))
      .rejects.toThrow(/killed by SIGKILL at bbbbbbbbbbbb, which aborts the bisect/);
  });
});
