import { describe, expect, it } from 'vitest';
import { describeReason as reasonText } from './reasons.js';

describe('reason wording', () => {
  it('a 0.x minor bump may break; a minor bump from 1.0 on adds features', () => {
    expect(reasonText({ id: 'dep-minor', args: { from: '0.3.1', to: '0.4.0' } })).toBe('0.x minor upgrade 0.3.1 -> 0.4.0: below 1.0 a minor release may break');
    expect(reasonText({ id: 'dep-minor', args: { from: '1.3.1', to: '1.4.0' } })).toBe('minor upgrade 1.3.1 -> 1.4.0: new features');
  });
  it('every reason the scoring emits has its own wording', () => {
    for (const id of ['src-hot-path', 'src-kind-generated', 'src-kind-vendored', 'src-kind-test', 'src-kind-docs', 'src-kind-tooling',
      'src-kind-data', 'src-deleted-file', 'dep-tool', 'dep-library-pins', 'dep-dev-bundled']) {
      expect(reasonText({ id, args: { why: 'w', word: 'pool' } })).not.toBe(id);
    }
  });
});
