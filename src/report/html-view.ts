import type { Level } from '../types.js';
import { defaultWeights } from '../risk/weights.js';
import type { Report, ReportRankingItem } from './model.js';
import { shortSha } from './html-escape.js';

// What the HTML report derives from a Report before drawing: levels, commit flags, reasons per commit.

/** The ranking's level thresholds (score >= 0.85 critical, >= 0.6 high, >= 0.3 medium). */
export function levelOf(score: number): Level {
  const { critical, high, medium } = defaultWeights.levels;
  if (score >= critical) return 'critical';
  if (score >= high) return 'high';
  if (score >= medium) return 'medium';
  return 'low';
}

/** At most this many ranking items are listed per commit in the timeline's detail panel. */
const ITEMS_PER_COMMIT = 6;

export interface CommitItemView { title: string; level: Level; score: number; reasons: string[] }

export interface CommitView {
  sha: string;
  short: string;
  subject: string;
  author: string;
  date: string;
  risk: number;
  level: Level;
  /** Some dependency change lists this commit. */
  lockfile: boolean;
  /** 1-based position in `bisect.testFirst`, or 0. */
  testFirst: number;
  items: CommitItemView[];
  moreItems: number;
}

const clampRisk = (risk: number): number => (Number.isFinite(risk) ? Math.min(1, Math.max(0, risk)) : 0);

export function viewCommits(report: Report): CommitView[] {
  const lockfileCommits = new Set(report.dependencies.flatMap(d => d.commits));
  const testFirst = new Map(report.bisect.testFirst.map((sha, i) => [sha, i + 1] as const));
  const itemsByCommit = new Map<string, ReportRankingItem[]>();
  for (const item of report.ranking) {
    for (const sha of new Set(item.commits)) {
      const list = itemsByCommit.get(sha) ?? [];
      list.push(item);
      itemsByCommit.set(sha, list);
    }
  }
  return report.commits.map(c => {
    const items = itemsByCommit.get(c.sha) ?? [];
    return {
      sha: c.sha,
      short: shortSha(c.sha),
      subject: c.subject,
      author: c.author,
      date: c.date,
      risk: clampRisk(c.risk),
      level: levelOf(clampRisk(c.risk)),
      lockfile: lockfileCommits.has(c.sha),
      testFirst: testFirst.get(c.sha) ?? 0,
      items: items.slice(0, ITEMS_PER_COMMIT).map(i => ({ title: i.title, level: i.level, score: i.score, reasons: i.reasons })),
      moreItems: Math.max(0, items.length - ITEMS_PER_COMMIT),
    };
  });
}

/** The values the table script sorts and filters by, one per ranking row, in ranking order. */
export interface RowView { rank: number; score: number; level: Level; kind: string; title: string; eco: string; path: string; commits: number }

export function viewRows(report: Report): RowView[] {
  return report.ranking.map(item => ({
    rank: item.rank,
    score: item.score,
    level: item.level,
    kind: item.kind,
    title: item.title,
    eco: item.dependency?.ecosystem ?? '',
    path: [item.file ?? '', item.dependency?.name ?? '', item.dependency?.lockfile ?? '', item.title].join('\n'),
    commits: item.commits.length,
  }));
}

