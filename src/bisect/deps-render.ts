import { mdText } from '../report/markdown-escape.js';
import { plural } from '../report/text.js';
import { cleanLine, escapeUnsafeInJson } from '../util/control-chars.js';
import type { DepsPlan, DepUnit, Upgrade } from './deps-plan.js';
import type { DepsOutcome } from './deps-run.js';

// Wording of `reldiff bisect --deps`. Pure. Names and versions come from lockfiles: every format passes them through
// the shared cleaners (terminal: cleanLine, JSON: escapeUnsafeInJson, Markdown: escapeMarkdownText).

const move = (u: Upgrade): string => `${u.name} ${u.from} -> ${u.to}`;
const unitLabel = (u: DepUnit): string => u.members.map(move).join(', ');

function json(value: unknown): string {
  return `${escapeUnsafeInJson(JSON.stringify(value, null, 2))}\n`;
}

export function renderDepsDryRunJson(plan: DepsPlan): string {
  return json({
    lockfile: plan.lockfile, ecosystem: plan.ecosystem,
    runs: plan.runs,
    units: plan.units.map((u, i) => ({ order: i + 1, prior: round(u.prior), score: u.score, members: u.members, ...(u.why.length ? { group: u.why } : {}) })),
    unmoved: plan.unmoved,
  });
}

/** The run target as a formula where it is one: a single unit needs one run, not ceil(log2 1) + 2. */
export function targetText(plan: DepsPlan): string {
  return plan.units.length > 1 ? `ceil(log2 n) + 2 = ${plan.runs.bound}` : String(plan.runs.bound);
}

function round(p: number): number { return Math.round(p * 1e6) / 1e6; }

export function renderDepsDryRun(plan: DepsPlan): string {
  const n = plan.units.length;
  const grouped = plan.units.filter(u => u.members.length > 1);
  const lines = [
    `${cleanLine(plan.lockfile)}: ${plural(plan.units.reduce((a, u) => a + u.members.length, 0), 'upgraded package')} in ${plural(n, 'unit')} (${plural(grouped.length, 'group')} that must move together).`,
    `Expected runs ${plan.runs.expected.toFixed(2)} (worst ${plan.runs.worst}, target ${targetText(plan)}); `
      + `${plan.runs.topFirst} when the top-ranked unit is the culprit; plain bisect in the same order ${plan.runs.plain.toFixed(2)}.`,
    'units, likeliest first (trial t installs units 1..t over the from set):',
  ];
  plan.units.forEach((u, i) => lines.push(`  ${String(i + 1).padStart(3)}. prior ${u.prior.toFixed(3)}  ${cleanLine(unitLabel(u))}`));
  if (grouped.length) {
    lines.push('groups:');
    for (const u of grouped) lines.push(`  ${cleanLine(u.members.map(m => m.name).join(' + '))}:`, ...u.why.map(w => `    ${cleanLine(w)}`));
  }
  if (plan.unmoved.length) lines.push('not bisected (added, removed or re-resolved; they move with what needs them):', ...plan.unmoved.map(x => `  ${cleanLine(x)}`));
  return `${lines.join('\n')}\n`;
}

export function renderDepsJson(outcome: DepsOutcome, plan: DepsPlan): string {
  return json({
    culprit: outcome.culprit, isGroup: outcome.isGroup, runs: outcome.runs, bound: plan.runs.bound, stop: outcome.stop,
    trials: outcome.trials,
  });
}

/** A run in progress: the trials so far, which --resume reads back. */
export function renderDepsCheckpoint(trials: readonly DepsOutcome['trials'][number][], plan: DepsPlan): string {
  return json({ culprit: null, partial: true, runs: trials.length, bound: plan.runs.bound, trials });
}

export function renderDepsText(outcome: DepsOutcome, plan: DepsPlan): string {
  const { culprit } = outcome;
  const lines = [outcome.isGroup
    ? `culprit group in ${cleanLine(culprit.lockfile)}: ${cleanLine(culprit.members.map(move).join(', '))}`
    : `culprit in ${cleanLine(culprit.lockfile)}: ${cleanLine(move(culprit))}`];
  lines.push(`  ${outcome.runs} runs (target ${plan.runs.bound} for ${plan.units.length} units)`);
  for (const w of culprit.why) lines.push(`  ${cleanLine(w)}`);
  for (const t of outcome.trials) {
    lines.push(`  trial ${t.step}: ${t.verdict}, ${t.set.length} upgrades (${t.units} units)${t.reason ? `: ${cleanLine(t.reason)}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderDepsMarkdown(outcome: DepsOutcome, plan: DepsPlan): string {
  const { culprit } = outcome;
  const md = (s: string): string => mdText(cleanLine(s));
  const lines = [`### Dependency bisect: ${outcome.isGroup ? 'culprit group' : 'culprit'}`, '',
    ...culprit.members.map(m => `- **${md(m.name)}** ${md(m.from)} → ${md(m.to)} (${md(culprit.lockfile)})`), '',
    `${outcome.runs} runs (target ${plan.runs.bound} for ${plan.units.length} units).`, ...culprit.why.map(w => `> ${md(w)}`), '',
    '| trial | verdict | upgrades |', '| --- | --- | --- |',
    ...outcome.trials.map(t => `| ${t.step} | ${t.verdict} | ${t.set.length ? t.set.map(md).join(', ') : '(from set)'} |`)];
  return `${lines.join('\n')}\n`;
}
