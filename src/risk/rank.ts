import type { Commit, Level, ScoredItem, Sha } from '../types.js';
import type { Weights } from './weights.js';

export interface RankedItem extends ScoredItem { rank: number; score: number; level: Level }

/** 1 - exp(-points / squash), rounded so that output is stable across platforms. */
export function squash(points: number, w: Weights): number {
  return round(1 - Math.exp(-Math.max(0, points) / w.squash));
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function levelOf(score: number, w: Weights): Level {
  if (score >= w.levels.critical) return 'critical';
  if (score >= w.levels.high) return 'high';
  if (score >= w.levels.medium) return 'medium';
  return 'low';
}

/** Likeliest leak cause first; ties broken by kind and id so the order never depends on input order. */
export function rankItems(items: readonly ScoredItem[], w: Weights): RankedItem[] {
  return items
    .map(item => {
      const score = squash(item.points, w);
      return { ...item, score, level: levelOf(score, w), rank: 0 };
    })
    .sort((a, b) => b.score - a.score || b.points - a.points || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)
      || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((item, i) => ({ ...item, rank: i + 1 }));
}

/**
 * A commit's risk: its strongest change (each change's score shared among the commits that made it), raised a
 * little by the others. Scores are not independent probabilities: ten routine bumps in one commit must not outrank
 * the one commit that adds a known leak pattern.
 */
export function commitRisks(commits: readonly Commit[], items: readonly RankedItem[], w: Weights): Map<Sha, number> {
  const shares = new Map<Sha, number[]>(commits.map(c => [c.sha, []]));
  for (const item of items) {
    const makers = item.commits.filter(s => shares.has(s));
    for (const sha of makers) shares.get(sha)?.push(item.score / makers.length);
  }
  return new Map([...shares].map(([sha, list]) => {
    const [top = 0, ...rest] = list.sort((a, b) => b - a);
    const others = Math.min(1, rest.reduce((sum, s) => sum + s, 0));
    return [sha, round(top + (1 - top) * w.commitOthersFactor * others)];
  }));
}
