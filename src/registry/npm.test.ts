import { describe, expect, it } from 'vitest';
import { slimPackument } from './npm.js';

describe('slimPackument', () => {
  it('keeps the GitHub repository of each version and the quotable lines of the latest readme', () => {
    const slim = slimPackument({
      name: 'agent', 'dist-tags': { latest: '2.1.0' },
      readme: '# agent\nFast HTTP agent.\n## 2.1.0\n- fix memory leak when a socket times out\n- new logo\n## 2.0.0\n- first\n',
      versions: {
        '2.0.0': { repository: 'github:acme/agent' },
        '2.1.0': { repository: { type: 'git', url: 'git+ssh://git@github.com/acme/agent.git' } },
      },
    }, 'agent');
    expect(slim?.versions['2.0.0']?.repository).toBe('https://github.com/acme/agent');
    expect(slim?.versions['2.1.0']?.repository).toBe('https://github.com/acme/agent');
    expect(slim?.versions['2.1.0']?.notes).toEqual(['## 2.1.0', 'fix memory leak when a socket times out', '## 2.0.0']);
    expect(slim?.versions['2.0.0']?.notes).toBeUndefined();
  });
});
