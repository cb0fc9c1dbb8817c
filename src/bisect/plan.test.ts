import { describe, expect, it } from 'vitest';
import { defaultWeights } from '../risk/weights.js';
import { planBisect } from './plan.js';

const commit = (sha: string, risk: number) => ({ sha: sha.repeat(40).slice(0, 40), subject: sha, author: 'a', date: '2024-01-01T00:00:00Z', risk });

describe('planBisect', () => {
  it('tests the riskiest commits first, skips the ones below the floor, and writes git bisect commands', () => {
    const commits = [commit('a', 0.1), commit('b', 0.7), commit('c', 0.3), commit('d', 0.7)];
    const plan = planBisect('f'.repeat(40), 'e'.repeat(40), commits, defaultWeights);
    expect(plan.testFirst).toEqual([commits[1]?.sha, commits[3]?.sha, commits[2]?.sha]);
    expect(plan.commands[0]).toBe(`git bisect start ${'e'.repeat(40)} ${'f'.repeat(40)}`);
    expect(plan.commands[1]).toBe(`git checkout ${commits[1]?.sha}`);
  });

  it('has nothing to plan without commits', () => {
    expect(planBisect('a', 'b', [], defaultWeights)).toEqual({ testFirst: [], commands: [] });
  });
});
