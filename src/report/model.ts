import type { ChangeKind, Ecosystem, ItemKind, Level, Severity } from '../types.js';

// The JSON report, schema version 1 (CONTRACT.md). Fields beyond the contract are optional additions.

export interface ReportCommit { sha: string; subject: string; author: string; date: string; risk: number }

export interface ReportSignal { id: string; detail: string }

export interface ReportDependency {
  ecosystem: Ecosystem;
  lockfile: string;
  name: string;
  from: string | null;
  to: string | null;
  /** Every installed copy's version on each side (nested copies are common). */
  fromVersions: string[];
  toVersions: string[];
  change: ChangeKind;
  direct: boolean;
  dev: boolean;
  signals: ReportSignal[];
  commits: string[];
}

export interface ReportFinding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  message: string;
  commits: string[];
  ignored?: string;
  excerpt?: { start: number; lines: string[] };
}

export interface ReportRankingItem {
  rank: number;
  id: string;
  kind: ItemKind;
  score: number;
  level: Level;
  title: string;
  reasons: string[];
  file?: string;
  language?: string;
  dependency?: { ecosystem: Ecosystem; name: string; lockfile: string };
  commits: string[];
  acknowledged?: { reason: string; until?: string };
}

export interface ReportBisect { testFirst: string[]; commands: string[] }

export interface Report {
  schemaVersion: 1;
  tool: { name: 'reldiff'; version: string };
  from: { ref: string; commit: string };
  to: { ref: string; commit: string };
  commits: ReportCommit[];
  dependencies: ReportDependency[];
  findings: ReportFinding[];
  ranking: ReportRankingItem[];
  bisect: ReportBisect;
  warnings: string[];
  bisectRun?: ReportBisectRun;
  probe?: ReportProbe;
}

// Added by `reldiff bisect` and `reldiff probe` (optional; the HTML report draws them when present).

export interface ReportBisectRun {
  firstBad: string | null;
  steps: number;
  tested: { sha: string; result: 'good' | 'bad' | 'skip'; step: number }[];
  /** Posterior over candidate commits after each step: snapshots[k][i] is P(commit i is first bad) after k steps. */
  posterior: { sha: string; probability: number }[];
  history?: number[][];
}

export interface ReportProbe {
  verdict: 'leak' | 'flat' | 'inconclusive';
  intervalMs: number;
  warmupMs: number;
  /** [milliseconds since start, resident MB] */
  samples: [number, number][];
  slopeMbPerMin: number;
  interceptMb: number;
}
