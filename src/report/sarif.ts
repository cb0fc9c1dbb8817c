import { createHash } from 'node:crypto';
import type { Level, Severity } from '../types.js';
import { LEVELS } from '../types.js';
import { rules as knownRules } from '../rules/index.js';
import type { Report, ReportFinding, ReportRankingItem } from './model.js';
import { cleanLine, escapeUnsafeInJson } from '../util/control-chars.js';
import type { Reporter } from './types.js';

// SARIF 2.1.0 for GitHub code scanning: one result per rule finding at its file and line, plus one per risky
// dependency change at its lockfile, so that the release gate and the Security tab show the same things.

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const DEPENDENCY_RULE_ID = 'risky-dependency-change';
/** Dependency changes below this level stay out of SARIF: code scanning is for things to look at. */
const DEPENDENCY_MIN_LEVEL: Level = 'medium';

type SarifLevel = 'note' | 'warning' | 'error';
const SARIF_LEVEL: Record<Severity, SarifLevel> = { low: 'note', medium: 'warning', high: 'error', critical: 'error' };
const PROBLEM_SEVERITY: Record<SarifLevel, string> = { note: 'recommendation', warning: 'warning', error: 'error' };

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; 'problem.severity': string };
}

export const sarifReporter: Reporter = {
  format: 'sarif',
  render(report) {
    // Text fields are cleaned where they are built; the escape pass covers any other string (properties).
    return `${escapeUnsafeInJson(JSON.stringify(buildSarif(report), null, 2))}\n`;
  },
};

/** The SARIF log as plain data. Pure. */
export function buildSarif(report: Report) {
  const dependencyItems = report.ranking.filter(isReportableDependency);
  const ruleIds = [...new Set([...report.findings.map(f => f.rule), ...(dependencyItems.length > 0 ? [DEPENDENCY_RULE_ID] : [])])].sort();
  const sarifRules = ruleIds.map(describeRule);
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const results = [
    ...report.findings.map(f => findingResult(f, index.get(f.rule) ?? -1)),
    ...dependencyItems.map(item => dependencyResult(item, index.get(DEPENDENCY_RULE_ID) ?? -1)),
  ].sort((a, b) => compare(a.sortKey, b.sortKey)).map(({ sortKey: _, ...result }) => result);
  return {
    $schema: SCHEMA_URI,
    version: '2.1.0' as const,
    runs: [{
      tool: { driver: { name: 'reldiff', version: report.tool.version, semanticVersion: report.tool.version, rules: sarifRules } },
      originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the repository that reldiff compared.' } } },
      columnKind: 'utf16CodeUnits' as const,
      results,
      properties: { from: report.from, to: report.to },
    }],
  };
}

function describeRule(id: string): SarifRule {
  if (id === DEPENDENCY_RULE_ID) {
    return rule(id, 'medium', 'A dependency change that reldiff ranks as a likely memory-leak cause',
      'New native code, install scripts, major upgrades and re-resolved versions change what runs in the process; '
      + 'reldiff ranks them with its risk model. Review the change, then record it with `reldiff ack <id> --reason "..."`.');
  }
  const known = knownRules.find(r => r.id === id);
  if (!known) return rule(id, 'medium', `reldiff rule ${cleanLine(id)}`, `Flagged by the reldiff rule ${cleanLine(id)}.`);
  return rule(id, known.meta.severity, known.meta.description, known.meta.why);
}

function rule(id: string, severity: Severity, description: string, why: string): SarifRule {
  const level = SARIF_LEVEL[severity];
  return {
    id,
    name: id.replace(/(^|-)([a-z0-9])/g, (_, __: string, c: string) => c.toUpperCase()),
    shortDescription: { text: description },
    fullDescription: { text: description },
    help: { text: why, markdown: why },
    defaultConfiguration: { level },
    properties: { tags: ['memory-leak', 'reliability'], 'problem.severity': PROBLEM_SEVERITY[level] },
  };
}

function findingResult(finding: ReportFinding, ruleIndex: number) {
  return {
    sortKey: [finding.file, pad(finding.line), finding.rule, finding.message],
    ruleId: finding.rule,
    ruleIndex,
    level: SARIF_LEVEL[finding.severity],
    message: { text: cleanLine(finding.message) },
    locations: [location(finding.file, finding.line)],
    partialFingerprints: { 'reldiffFinding/v1': fingerprint(finding.rule, finding.file, finding.message) },
    ...(finding.ignored !== undefined ? { suppressions: [{ kind: 'inSource' as const, justification: cleanLine(finding.ignored) }] } : {}),
    properties: { commits: finding.commits },
  };
}

function dependencyResult(item: ReportRankingItem, ruleIndex: number) {
  const lockfile = item.dependency?.lockfile ?? '';
  const reasons = item.reasons.length > 0 ? `: ${item.reasons.join('; ')}` : '';
  // Code scanning shows this text as is: the location keeps the exact path (URI-encoded), the text is cleaned.
  return {
    sortKey: [lockfile, pad(1), DEPENDENCY_RULE_ID, item.id],
    ruleId: DEPENDENCY_RULE_ID,
    ruleIndex,
    level: SARIF_LEVEL[item.level],
    message: { text: cleanLine(`${item.title} (${item.level} risk, rank ${item.rank})${reasons}`) },
    locations: [location(lockfile, 1)],
    partialFingerprints: { 'reldiffItem/v1': fingerprint(item.id) },
    ...(item.acknowledged ? { suppressions: [{ kind: 'external' as const, justification: cleanLine(item.acknowledged.reason) }] } : {}),
    properties: { id: item.id, score: item.score, commits: item.commits },
  };
}

function isReportableDependency(item: ReportRankingItem): boolean {
  return item.kind === 'dependency' && item.dependency !== undefined
    && LEVELS.indexOf(item.level) >= LEVELS.indexOf(DEPENDENCY_MIN_LEVEL);
}

function location(path: string, line: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
      region: { startLine: Math.max(1, Math.trunc(line)) },
    },
  };
}

/** Stable across line moves, so code scanning keeps one alert per problem. */
function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

function pad(n: number): string {
  return String(n).padStart(10, '0');
}

function compare(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
