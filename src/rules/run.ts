import type { Finding, LineRange, RuleSettings, Severity, Sha, SourceInput } from '../types.js';
import { isInRanges, removedLines, toRanges } from './diff-lines.js';
import { rules as allRules } from './index.js';
import { languageForPath, parseSource } from './parse.js';
import { RELATED_LINES_ARG, type Hit, type Rule, type SourceFile } from './types.js';

const MAX_BYTES = 1024 * 1024;
/** Rules that report at deletion sites: their hits sit next to removed lines, never on added ones. */
const REMOVAL_RULES = new Set(['removed-cleanup']);
const IGNORE = /(?:#|\/\/)\s*reldiff-ignore:\s*([\w-]+)(?:[ \t]+(.*?))?\s*(?:\*\/)?$/;

/** Runs every enabled rule over the changed files and keeps the hits on added or changed lines. */
export async function analyzeSources(
  inputs: readonly SourceInput[], settings: RuleSettings, rules: readonly Rule[] = allRules,
): Promise<{ findings: Finding[]; warnings: string[] }> {
  const findings: Finding[] = [];
  const warnings: string[] = [];
  const ordered = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const input of ordered) {
    const kind = languageForPath(input.path);
    const text = input.text;
    // A deleted file allocates nothing: its cleanup left with its allocations, so no rule (removed-cleanup least) runs.
    if (!kind || text === undefined || input.change.status === 'deleted') continue;
    const active = rules.filter(rule => rule.languages.includes(kind.language) && settings.rules?.[rule.id] !== 'off');
    if (active.length === 0) continue;
    if (text.length > MAX_BYTES || Buffer.byteLength(text) > MAX_BYTES) {
      warnings.push(`${input.path}: skipped by the rule engine, larger than 1 MB`);
      continue;
    }
    if (text.includes('\0')) {
      warnings.push(`${input.path}: skipped by the rule engine, contains NUL bytes (binary?)`);
      continue;
    }
    const lineCount = text.split('\n').length;
    if (text.length > 20_000 && text.length / lineCount > 300) {
      warnings.push(`${input.path}: skipped by the rule engine, looks minified`);
      continue;
    }
    const removed = removedLines(input.change, lineCount);
    if (input.change.added.length === 0 && removed.length === 0) continue;
    let file: SourceFile;
    try {
      file = await parseSource(input.path, text, kind.language, kind.grammar, removed, input.change.added);
    } catch (error) {
      warnings.push(`${input.path}: could not be parsed (${errorText(error)}); no rule ran on it`);
      continue;
    }
    try {
      for (const rule of active) {
        let hits: readonly Hit[];
        try {
          hits = rule.detect(file);
        } catch (error) {
          warnings.push(`${input.path}: rule ${rule.id} failed (${errorText(error)}); please report`);
          continue;
        }
        const keep = REMOVAL_RULES.has(rule.id) ? () => true : (hit: Hit) => touches(hit, input.change.added);
        for (const hit of dedupe(hits)) {
          if (keep(hit)) findings.push(toFinding(rule, hit, file, input.change.commits, settings));
        }
      }
    } finally {
      file.dispose();
    }
  }
  return { findings: findings.sort(compareFindings), warnings };
}

function touches(hit: Hit, added: readonly LineRange[]): boolean {
  if (isInRanges(hit.line, added)) return true;
  const related = hit.args?.[RELATED_LINES_ARG];
  return related ? related.split(',').some(line => isInRanges(Number(line), added)) : false;
}

function dedupe(hits: readonly Hit[]): Hit[] {
  const seen = new Set<number>();
  return hits.filter(hit => !seen.has(hit.line) && seen.add(hit.line));
}

function toFinding(rule: Rule, hit: Hit, file: SourceFile, commits: readonly Sha[], settings: RuleSettings): Finding {
  const override = settings.rules?.[rule.id];
  const finding: Finding = {
    rule: rule.id,
    severity: override && override !== 'off' ? override : hitSeverity(rule, hit),
    file: file.path,
    line: hit.line,
    message: fillMessage(rule.meta.message, hit.args),
    commits: [...commits],
  };
  if (hit.excerpt) finding.excerpt = { start: hit.excerpt.start, lines: [...hit.excerpt.lines] };
  const ignored = ignoreReason(file.lines, hit.line, rule.id);
  if (ignored !== undefined) finding.ignored = ignored;
  return finding;
}

const RANK: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** The hit's own severity (from the facts at its site), kept between the rule's floor and its `upTo`. */
export function hitSeverity(rule: Rule, hit: Hit): Severity {
  const floor = RANK.indexOf(rule.meta.severity);
  const ceiling = RANK.indexOf(rule.meta.upTo ?? rule.meta.severity);
  const own = hit.severity ? RANK.indexOf(hit.severity) : floor;
  return RANK[Math.min(Math.max(own, floor), Math.max(ceiling, floor))] ?? rule.meta.severity;
}

export function fillMessage(template: string, args: Record<string, string> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => args[key] ?? '?');
}

/** The reason of a `reldiff-ignore: <rule-id> <reason>` comment on the hit line or the line above. */
export function ignoreReason(lines: readonly string[], line: number, ruleId: string): string | undefined {
  for (const candidate of [lines[line - 1], lines[line - 2]]) {
    const match = candidate === undefined ? null : IGNORE.exec(candidate);
    if (match && match[1] === ruleId) return match[2]?.trim() || 'no reason given';
  }
  return undefined;
}

function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Looks up the commit that last wrote each finding's line; one `blame` call per file. */
export async function attachBlame(
  findings: readonly Finding[], blame: (path: string, lines: LineRange[]) => Promise<Map<number, Sha>>,
): Promise<Finding[]> {
  const linesByFile = new Map<string, number[]>();
  for (const finding of findings) {
    const lines = linesByFile.get(finding.file) ?? [];
    lines.push(finding.line);
    linesByFile.set(finding.file, lines);
  }
  const shas = new Map<string, Map<number, Sha>>();
  for (const path of [...linesByFile.keys()].sort()) {
    shas.set(path, await blame(path, toRanges(linesByFile.get(path) ?? [])));
  }
  return findings.map(finding => {
    const sha = shas.get(finding.file)?.get(finding.line);
    return sha ? { ...finding, commits: [sha] } : finding;
  });
}
