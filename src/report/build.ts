import { commitRisks, type RankedItem } from '../risk/rank.js';
import type { Weights } from '../risk/weights.js';
import type { Commit, DependencyChange, Finding, Sha } from '../types.js';
import type { Report, ReportBisect, ReportCommit } from './model.js';
import { describeReason } from './reasons.js';

export interface ReportInput {
  version: string;
  from: { ref: string; commit: Sha };
  to: { ref: string; commit: Sha };
  commits: readonly Commit[];
  dependencies: readonly DependencyChange[];
  findings: readonly Finding[];
  ranked: readonly RankedItem[];
  warnings: readonly string[];
  weights: Weights;
  /** The bisect plan for the commits with their risk: computed by bisect/plan.ts and handed in, so report/ stays a leaf. */
  plan: (commits: readonly ReportCommit[]) => ReportBisect;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Assembles the schema-v1 report: sorted lists, reasons turned into sentences once. */
export function buildReport(input: ReportInput): Report {
  const risks = commitRisks(input.commits, input.ranked, input.weights);
  const commits = input.commits.map(c => ({ sha: c.sha, subject: c.subject, author: c.author, date: c.date, risk: risks.get(c.sha) ?? 0 }));
  const order = new Map(input.commits.map((c, i) => [c.sha, i]));
  const byHistory = (shas: readonly Sha[]): Sha[] => [...new Set(shas)].sort((a, b) => (order.get(a) ?? -1) - (order.get(b) ?? -1) || cmp(a, b));
  return {
    schemaVersion: 1,
    tool: { name: 'reldiff', version: input.version },
    from: input.from,
    to: input.to,
    commits,
    dependencies: [...input.dependencies]
      .sort((a, b) => cmp(a.lockfile, b.lockfile) || cmp(a.ecosystem, b.ecosystem) || cmp(a.name, b.name))
      .map(d => ({ ecosystem: d.ecosystem, lockfile: d.lockfile, name: d.name, from: d.from, to: d.to,
        fromVersions: [...d.fromVersions], toVersions: [...d.toVersions], change: d.change,
        direct: d.direct, dev: d.dev, signals: d.signals.map(s => ({ id: s.id, detail: s.detail })), commits: byHistory(d.commits) })),
    findings: [...input.findings]
      .sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.rule, b.rule))
      .map(f => ({ rule: f.rule, severity: f.severity, file: f.file, line: f.line, message: f.message, commits: byHistory(f.commits),
        ...(f.ignored !== undefined ? { ignored: f.ignored } : {}), ...(f.excerpt ? { excerpt: f.excerpt } : {}) })),
    ranking: input.ranked.map(item => ({
      rank: item.rank, id: item.id, kind: item.kind, score: item.score, level: item.level, title: item.title,
      reasons: item.reasons.map(describeReason),
      ...(item.file !== undefined ? { file: item.file } : {}),
      ...(item.language !== undefined ? { language: item.language } : {}),
      ...(item.dependency ? { dependency: item.dependency } : {}),
      commits: byHistory(item.commits),
    })),
    bisect: input.plan(commits),
    warnings: [...new Set(input.warnings)].sort(),
  };
}
