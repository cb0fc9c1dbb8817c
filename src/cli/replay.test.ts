import { describe, expect, it } from 'vitest';
import { commands } from './commands/index.js';
import { COMMAND_NAMES, replayPlan } from './replay.js';

describe('replayPlan (which command lines a kept output may answer)', () => {
  it('takes `reldiff [diff] A B --offline` with the options that only shape the report', () => {
    expect(replayPlan(['v1', 'v2', '--offline'])).toEqual({ refs: ['v1', 'v2'], repo: undefined });
    expect(replayPlan(['diff', '--offline', 'v1', 'v2'])).toEqual({ refs: ['v1', 'v2'], repo: undefined });
    expect(replayPlan(['v1', 'v2', '--offline', '--format', 'json', '--top=3', '--all', '--fail-on', 'high', '--repo', '../app', '--quiet'])).toEqual({ refs: ['v1', 'v2'], repo: '../app' });
    // A value that looks like a ref is the option's, not a third ref.
    expect(replayPlan(['v1', 'v2', '--offline', '--config', 'ci.json'])?.refs).toEqual(['v1', 'v2']);
  });

  it('leaves everything else to the full run', () => {
    const refused = [
      ['v1', 'v2'], // a registry's answers can change under the same key
      ['v1', '--offline'], // the default `from` is found among the tags by the full run
      ['v1', 'v2', 'v3', '--offline'],
      ['v1', 'v2', '--offline', '--no-cache'],
      ['v1', 'v2', '--offline', '--output', 'r.md'],
      ['v1', 'v2', '--offline', '--evidence', 'snap.txt'],
      ['v1', 'v2', '--offline', '--debug'],
      ['v1', 'v2', '--offline', '--help'],
      ['v1', 'v2', '--offline', '-h'],
      ['v1', 'v2', '--offline', '--some-new-option'],
      ['v1', 'v2', '--offline', '--format'],
      ['v1', ':/fix the leak', '--offline'],
      ['v1', 'v2', '--offline', '--', 'x'],
      ['deps', 'a.txt', 'b.txt', '--offline'],
      ['bisect', 'v1', 'v2', '--offline'],
    ];
    for (const argv of refused) expect(replayPlan(argv), argv.join(' ')).toBeUndefined();
  });

  it('knows every command reldiff has', () => {
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(commands).sort());
  });
});
