import type { ReportBisect, ReportCommit } from '../report/model.js';
import type { Sha } from '../types.js';
import type { Weights } from '../risk/weights.js';

// The bisect plan of the main report: which commits to test first, and commands ready to paste.

export function planBisect(fromSha: Sha, toSha: Sha, commits: readonly ReportCommit[], w: Weights): ReportBisect {
  if (commits.length === 0) return { testFirst: [], commands: [] };
  const order = new Map(commits.map((c, i) => [c.sha, i]));
  const testFirst = [...commits]
    .filter(c => c.risk >= w.testFirstMinScore)
    .sort((a, b) => b.risk - a.risk || (order.get(a.sha) ?? 0) - (order.get(b.sha) ?? 0))
    .slice(0, w.testFirstCount)
    .map(c => c.sha);
  const commands = [`git bisect start ${toSha} ${fromSha}`];
  const first = testFirst[0];
  if (first) {
    commands.push(`git checkout ${first}`);
    commands.push('# run your leak check here, then: git bisect good  (no leak)  or  git bisect bad  (leak)');
  }
  commands.push("git bisect run sh -c '<your leak check>'");
  commands.push('git bisect reset');
  commands.push(`# or, with reldiff's ranking as priors: reldiff bisect ${fromSha.slice(0, 12)} ${toSha.slice(0, 12)} --run '<your leak check>'`);
  return { testFirst, commands };
}
