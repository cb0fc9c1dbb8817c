import { ReldiffError } from '../errors.js';
import type { Report, ReportRankingItem } from '../report/model.js';
import { defaultWeights, type Weights } from '../risk/weights.js';
import type { Level } from '../types.js';
import { matchEntry, type AddedLines, type EvidenceMatch } from './match.js';
import { looksLikeMemlab, parseMemlab } from './memlab.js';
import { looksLikeObjgraph, parseObjgraph } from './objgraph.js';
import { looksLikePympler, parsePympler } from './pympler.js';
import { looksLikeTracemalloc, parseTracemalloc } from './tracemalloc.js';
import type { EvidenceEntry, EvidenceKind } from './types.js';
import { addTo } from '../util/arrays.js';

// `--evidence <file>`: runtime findings from memory tools raise the ranking items they point at.

/** Only the largest growths count: the tail of a tool's output is noise. */
const MAX_ENTRIES = 50;

const DETECTORS: { kind: EvidenceKind; looksLike: (t: string) => boolean; parse: (t: string) => EvidenceEntry[] }[] = [
  { kind: 'pympler', looksLike: looksLikePympler, parse: parsePympler },
  { kind: 'memlab', looksLike: looksLikeMemlab, parse: parseMemlab },
  { kind: 'tracemalloc', looksLike: looksLikeTracemalloc, parse: parseTracemalloc },
  { kind: 'objgraph', looksLike: looksLikeObjgraph, parse: parseObjgraph },
];

/** Detects the tool by content and parses its output. */
export function parseEvidence(text: string): { kind: EvidenceKind; entries: EvidenceEntry[] } {
  for (const d of DETECTORS) {
    if (d.looksLike(text)) {
      const entries = d.parse(text).sort((a, b) => b.growth - a.growth || a.quote.localeCompare(b.quote)).slice(0, MAX_ENTRIES);
      return { kind: d.kind, entries };
    }
  }
  throw new ReldiffError('unknown-format', 'the --evidence file is not output of a memory tool reldiff knows',
    'Give tracemalloc compare_to/statistics lines, objgraph show_growth, pympler print_diff or memlab leak traces');
}

function levelOf(score: number, levels: Weights['levels']): Level {
  return score >= levels.critical ? 'critical' : score >= levels.high ? 'high' : score >= levels.medium ? 'medium' : 'low';
}

function round(n: number): number { return Math.round(n * 1000) / 1000; }

function strongestPerItem(matches: EvidenceMatch[], BOOST: Weights['evidence']): Map<string, EvidenceMatch[]> {
  const byItem = new Map<string, EvidenceMatch[]>();
  for (const m of matches) addTo(byItem, m.itemId, m);
  for (const list of byItem.values()) list.sort((a, b) => BOOST[b.strength] - BOOST[a.strength] || b.entry.growth - a.entry.growth);
  return byItem;
}

export function applyEvidence(report: Report, evidenceText: string, weights: Weights = defaultWeights, added?: AddedLines): { report: Report; warnings: string[] } {
  const BOOST = weights.evidence;
  const { kind, entries } = parseEvidence(evidenceText);
  if (entries.length === 0) {
    return { report, warnings: [`evidence (${kind}): no growing allocation or object type found in the file; the ranking is unchanged`] };
  }
  const byItem = strongestPerItem(entries.flatMap(e => matchEntry(report, e, added)), BOOST);
  if (byItem.size === 0) {
    const top = entries.slice(0, 3).map(e => e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : e.typeName ?? e.quote).join(', ');
    return { report, warnings: [`evidence (${kind}): nothing in it matched the diff (${entries.length} entries, largest: ${top}); the ranking is unchanged`] };
  }
  const commitBoost = new Map<string, number>();
  const ranking: ReportRankingItem[] = report.ranking.map(item => {
    const matches = byItem.get(item.id);
    if (!matches) return item;
    const best = matches[0] as EvidenceMatch;
    const boost = BOOST[best.strength];
    const score = round(1 - (1 - item.score) * (1 - boost));
    for (const sha of item.commits) commitBoost.set(sha, Math.max(commitBoost.get(sha) ?? 0, boost));
    const quoted = matches.slice(0, 2).map(m => `runtime evidence (${kind}): ${m.note}: "${m.entry.quote.slice(0, 160)}"`);
    return { ...item, score, level: levelOf(score, weights.levels), reasons: [...quoted, ...item.reasons] };
  });
  // Memory seen growing at a changed line, file or package is stronger than any static signal: those items go first.
  const isDirect = (item: ReportRankingItem): boolean => ['line', 'file', 'package'].includes(byItem.get(item.id)?.[0]?.strength ?? '');
  ranking.sort((a, b) => Number(isDirect(b)) - Number(isDirect(a)) || b.score - a.score || a.rank - b.rank);
  const reranked = ranking.map((item, i) => ({ ...item, rank: i + 1 }));
  const commits = report.commits.map(c => {
    const boost = commitBoost.get(c.sha);
    return boost === undefined ? c : { ...c, risk: round(1 - (1 - c.risk) * (1 - boost)) };
  });
  const unmatched = entries.filter(e => ![...byItem.values()].some(list => list.some(m => m.entry === e))).length;
  const warnings = unmatched > 0 ? [`evidence (${kind}): ${unmatched} of ${entries.length} entries matched nothing in the diff`] : [];
  return { report: { ...report, ranking: reranked, commits }, warnings };
}
