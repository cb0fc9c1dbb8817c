import { describe, expect, it } from 'vitest';
import type { SourceInput } from '../types.js';
import rule from './module-level-exception-instance.js';
import { analyzeSources } from './run.js';

const input = (text: string, added: number[]): SourceInput => ({
  path: 'serial/port.py', text,
  change: {
    path: 'serial/port.py', status: 'modified', binary: false, additions: added.length, deletions: 0,
    added: added.map(line => ({ start: line, end: line })), removed: [], hunks: [], commits: ['abc'],
  },
});

describe('module-level-exception-instance', () => {
  const text = 'class PortError(IOError):\n    pass\n\nclass SubError(PortError):\n    pass\n\nNOT_OPEN = SubError("x")\n\n'
    + 'def write(data):\n    raise NOT_OPEN\n\ndef read(n):\n    raise NOT_OPEN\n';

  it('follows derived exception classes defined in the same file', async () => {
    const { findings } = await analyzeSources([input(text, [10, 13])], {}, [rule]);
    expect(findings.map(f => f.line)).toEqual([10, 13]);
  });

  it('reports every raise when only the instance definition was added', async () => {
    const { findings } = await analyzeSources([input(text, [7])], {}, [rule]);
    expect(findings.map(f => f.line)).toEqual([10, 13]);
  });

  it('ignores a function parameter that shadows the module-level name', async () => {
    const shadow = 'BAD = ValueError("x")\n\ndef handle(BAD):\n    raise BAD\n';
    expect((await analyzeSources([input(shadow, [4])], {}, [rule])).findings).toEqual([]);
  });
});
