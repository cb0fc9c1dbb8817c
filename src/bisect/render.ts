import type { Report, ReportBisectRun } from '../report/model.js';
import type { DryRunPlan } from './dry-run.js';
import type { BisectOutcome } from './run.js';
import { cleanLine, escapeUnsafeInJson } from '../util/control-chars.js';
import { plainBisectRuns } from './search.js';

// Wording of `reldiff bisect` results. Pure: the command writes what these return. Commit subjects and ranking
// reasons come from the repository: they pass through the shared cleaner like every report format.

/** Ranking reasons that name the culprit commit, most risky item first. */
export function culpritReasons(report: Report | undefined, sha: string): string[] {
  if (!report) return [];
  return report.ranking.filter(item => item.commits.includes(sha))
    .map(item => `#${item.rank} ${item.title} (${item.level}, ${item.score.toFixed(2)})${item.reasons.length ? `: ${item.reasons.join('; ')}` : ''}`);
}

export function toBisectRun(outcome: BisectOutcome): ReportBisectRun {
  return { firstBad: outcome.firstBad, steps: outcome.steps, tested: outcome.tested, posterior: outcome.posterior, history: outcome.history };
}

export function renderJson(outcome: BisectOutcome, reasons: string[]): string {
  const out = {
    firstBad: outcome.firstBad,
    probability: Math.round(outcome.probability * 1e6) / 1e6,
    steps: outcome.steps,
    plainBisectRuns: plainBisectRuns(outcome.candidates),
    stop: outcome.stop,
    tested: outcome.tested,
    posterior: outcome.posterior,
    reasons,
  };
  return `${escapeUnsafeInJson(JSON.stringify(out, null, 2))}\n`;
}

export function renderText(outcome: BisectOutcome, reasons: string[], subject: string): string {
  const lines = [`first bad commit: ${outcome.firstBad}${subject ? ` ${cleanLine(subject)}` : ''}`];
  const how = outcome.stop === 'pinned' ? 'certain'
    : outcome.stop === 'confident' ? `probability ${outcome.probability.toFixed(3)}`
      : outcome.stop === 'only-skipped' ? `probability ${outcome.probability.toFixed(3)}: neighbouring commits could not be tested (exit 125)`
        : `probability ${outcome.probability.toFixed(3)}: stopped at the run limit before reaching --confidence`;
  lines.push(`  ${how}; ${outcome.steps} runs (plain git bisect: log2 ${outcome.candidates} = ${Math.log2(Math.max(1, outcome.candidates)).toFixed(1)} on average)`);
  if (outcome.stop === 'only-skipped') {
    const open = outcome.posterior.filter(p => p.probability > 0).map(p => p.sha.slice(0, 10));
    lines.push(`  could be any of: ${open.join(' ')}`);
  }
  for (const t of outcome.tested) lines.push(`  step ${t.step}: ${t.sha.slice(0, 10)} ${t.result}`);
  if (reasons.length) lines.push('why it ranked:', ...reasons.map(r => `  ${cleanLine(r)}`));
  return `${lines.join('\n')}\n`;
}

/** `subjects`: commit subjects by sha, so that a plan names what each test is, not only its hash. */
export function renderDryRun(plan: DryRunPlan, subjects: ReadonlyMap<string, string> = new Map()): string {
  const label = (sha: string): string => {
    const subject = subjects.get(sha);
    return subject ? `${sha.slice(0, 10)} ${cleanLine(subject.length > 72 ? `${subject.slice(0, 71)}…` : subject)}` : sha.slice(0, 10);
  };
  const plural = plan.candidates === 1 ? 'candidate commit' : 'candidate commits';
  const lines = [`${plan.candidates} ${plural}. Expected runs ${plan.expectedRuns.toFixed(2)} (worst ${plan.worstRuns}) versus plain bisect ${plan.plainRuns.toFixed(2)} (log2 N = ${Math.log2(Math.max(1, plan.candidates)).toFixed(2)}).`];
  lines.push('first tests:');
  for (const t of plan.firstTests) {
    lines.push(`${'  '.repeat(t.depth)}${t.after === 'start' ? '' : `if ${t.after}: `}test ${label(t.sha)} (P(first bad at or before it) = ${t.probabilityBadAtOrBefore.toFixed(2)}, prior ${t.prior.toFixed(3)})`);
  }
  lines.push('highest priors:', ...plan.topPriors.map(p => `  ${p.prior.toFixed(3)}  ${label(p.sha)}`));
  return `${lines.join('\n')}\n`;
}

export function renderPriors(shas: readonly string[], prior: readonly number[]): string {
  return shas.map((sha, i) => `git bayesect prior --commit ${sha} --weight ${(prior[i] ?? 0).toFixed(6)}\n`).join('');
}
