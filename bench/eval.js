// The culprit benchmark (issue 13, "The method"): runs reldiff on every case of bench/leak-regressions.json in a local
// clone and prints where the known culprit ranks, per case, per half and in total, and, for culprit commits, the runs
// `reldiff bisect` needs against plain `git bisect run` with the same perfect oracle. A benchmark, not a test.
// Run: npm run eval   (builds first)   or   node bench/eval.js [--half tune|check] [--no-bisect] [--json]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const USAGE = `Usage: RELDIFF_EVAL_REPOS=<dir> node bench/eval.js [--half tune|check] [--no-bisect] [--json]

  RELDIFF_EVAL_REPOS   folder holding one clone per repository, named <owner>__<name>/ (e.g. getsentry__sentry-python/),
                       each with its tags fetched (git clone https://github.com/<owner>/<name> <owner>__<name>)
  RELDIFF_EVAL_CORPUS  corpus file (default: bench/leak-regressions.json)
  --half tune|check    run one half of the corpus only (the split is recorded in each case's "half")
  --no-bisect          rank only; skip the reldiff bisect / git bisect run comparison
  --json               print the results as JSON instead of tables

Cases whose clone is missing are listed as "skipped (no clone)"; cases marked "unverified" are listed, never counted.
`;

const root = resolve(new URL('..', import.meta.url).pathname);
const cli = join(root, 'bin', 'reldiff.js');

function parseArgs(argv) {
  const options = { half: null, bisect: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') { process.stdout.write(USAGE); process.exit(0); }
    else if (arg === '--half') options.half = argv[++i];
    else if (arg.startsWith('--half=')) options.half = arg.slice('--half='.length);
    else if (arg === '--no-bisect') options.bisect = false;
    else if (arg === '--json') options.json = true;
    else { process.stderr.write(`eval: unknown argument '${arg}'\n\n${USAGE}`); process.exit(2); }
  }
  if (options.half !== null && options.half !== 'tune' && options.half !== 'check') {
    process.stderr.write(`eval: --half takes tune or check, not '${options.half}'\n\n${USAGE}`);
    process.exit(2);
  }
  return options;
}

function git(cwd, args) {
  const out = spawnSync('git', ['-C', cwd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ok: out.status === 0, status: out.status, stdout: (out.stdout ?? '').trim(), stderr: (out.stderr ?? '').trim() };
}

function reldiff(cwd, args) {
  const out = spawnSync(process.execPath, [cli, ...args], {
    cwd, encoding: 'utf8', maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' },
  });
  return { status: out.status, stdout: out.stdout ?? '', stderr: (out.stderr ?? '').trim() };
}

/** PEP 503 normalisation for Python names; npm names compare as written (lower-cased). */
const normalName = name => String(name).toLowerCase().replace(/[-_.]+/g, '-');

/** The item for a package: its `dependency.name` (or, failing that, the `dep:name@version` id) names it. */
function dependencyRank(report, dep) {
  const wanted = normalName(dep.name);
  const item = report.ranking.find(r => {
    if (r.dependency && normalName(r.dependency.name) === wanted) return true;
    if (!r.id.startsWith('dep:')) return false;
    const body = r.id.slice(4);
    const at = body.lastIndexOf('@');
    return normalName(at > 0 ? body.slice(0, at) : body) === wanted;
  });
  return item ? { rank: item.rank, item: item.id } : { rank: null, item: null };
}

// A culprit commit ranks by its position in the report's commit-risk order (`commits[].risk`, highest first), not by
// the first ranking item that lists it: an item's `commits` names every commit that touched the change, so a busy file
// credits a dozen commits at once and "first item attributed to it" would flatter commits that merely passed by. The
// risk order is one ranking over commits (each appears once), it is what "test these commits first" and the bisect
// priors read, and ties are counted against the culprit (rank = commits with risk >= the culprit's). The item rank is
// printed beside it for reference. When the culprit is not itself on the listed chain (it came in through a merge),
// the commit that stands for it is the oldest listed commit that contains it: the one a first-parent bisect finds.
function commitRank(clone, report, culpritSha) {
  const commits = report.commits;
  let target = commits.find(c => c.sha === culpritSha);
  if (!target) {
    const containing = commits.filter(c => git(clone, ['merge-base', '--is-ancestor', culpritSha, c.sha]).ok);
    target = containing.length ? containing.reduce((oldest, c) =>
      (git(clone, ['merge-base', '--is-ancestor', c.sha, oldest.sha]).ok ? c : oldest)) : undefined;
  }
  if (!target) return { rank: null, itemRank: null, stand: null };
  const rank = commits.filter(c => c.risk >= target.risk).length;
  const item = report.ranking.find(r => r.commits.includes(target.sha));
  return { rank, itemRank: item ? item.rank : null, stand: target.sha };
}

const oracleFor = sha => `if git merge-base --is-ancestor ${sha} HEAD; then exit 1; else exit 0; fi`;

/** reldiff bisect with the perfect oracle: its own count of test runs, and whether it named the right commit. */
function reldiffBisect(clone, kase, culpritSha) {
  const out = reldiff(clone, ['bisect', kase.good, kase.bad, '--run', oracleFor(culpritSha), '--offline', '--quiet', '--format', 'json']);
  if (out.status !== 0) return { error: `reldiff bisect exit ${out.status}: ${out.stderr.split('\n').pop()}` };
  const result = JSON.parse(out.stdout);
  return { runs: result.steps, firstBad: result.firstBad };
}

/** Plain `git bisect run` (first-parent, as reldiff bisect's default chain) in a throw-away worktree, counting runs. */
function plainBisect(clone, kase, culpritSha) {
  const dir = mkdtempSync(join(tmpdir(), 'reldiff-eval-'));
  const work = join(dir, 'wt');
  const counter = join(dir, 'runs');
  const script = join(dir, 'oracle.sh');
  writeFileSync(counter, '');
  writeFileSync(script, `#!/bin/sh\necho run >> '${counter}'\n${oracleFor(culpritSha)}\n`, { mode: 0o755 });
  try {
    if (!git(clone, ['worktree', 'add', '--detach', '--quiet', work, kase.bad]).ok) return { error: 'git worktree add failed' };
    const start = git(work, ['bisect', 'start', '--first-parent', kase.bad, kase.good]);
    if (!start.ok) return { error: `git bisect start: ${start.stderr.split('\n').pop()}` };
    const run = git(work, ['bisect', 'run', script]);
    const found = /^([0-9a-f]{40}) is the first bad commit/m.exec(run.stdout);
    git(work, ['bisect', 'reset', '--quiet']);
    const runs = readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
    return { runs, firstBad: found ? found[1] : null };
  } finally {
    git(clone, ['worktree', 'remove', '--force', work]);
    git(clone, ['worktree', 'prune']);
    rmSync(dir, { recursive: true, force: true });
  }
}

function evaluate(kase, repos, options) {
  const base = { id: kase.id, repo: kase.repo, half: kase.half, language: kase.language, kind: 'dependency' in kase.culprit ? 'dependency' : 'commit' };
  if (kase.unverified) return { ...base, status: `unverified (${kase.unverified})` };
  const clone = join(repos, kase.repo.replace('/', '__'));
  if (!existsSync(clone)) return { ...base, status: 'skipped (no clone)' };
  for (const ref of [kase.good, kase.bad]) {
    if (!git(clone, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).ok) return { ...base, status: `skipped (no ref ${ref})` };
  }
  const out = reldiff(clone, [kase.good, kase.bad, '--offline', '--quiet', '--warn-only', '--format', 'json']);
  if (out.status !== 0 && !out.stdout.trim().startsWith('{')) return { ...base, status: `error (reldiff exit ${out.status}: ${out.stderr.split('\n').pop()})` };
  const report = JSON.parse(out.stdout);
  const items = report.ranking.length;
  if (kase.culprit.dependency) {
    const { rank, item } = dependencyRank(report, kase.culprit.dependency);
    return { ...base, status: 'ok', rank, item, items };
  }
  const sha = git(clone, ['rev-parse', '--verify', '--quiet', `${kase.culprit.commit}^{commit}`]);
  if (!sha.ok) return { ...base, status: `skipped (no commit ${kase.culprit.commit})` };
  const { rank, itemRank, stand } = commitRank(clone, report, sha.stdout);
  const result = { ...base, status: 'ok', rank, itemRank, items, commits: report.commits.length };
  if (options.bisect && stand) {
    const ours = reldiffBisect(clone, kase, sha.stdout);
    const plain = plainBisect(clone, kase, sha.stdout);
    result.bisect = {
      reldiff: ours.runs ?? null, plain: plain.runs ?? null,
      reldiffRight: ours.firstBad === stand, plainRight: plain.firstBad === stand,
      ...(ours.error || plain.error ? { error: ours.error ?? plain.error } : {}),
    };
  }
  return result;
}

function median(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A culprit reldiff did not rank at all counts as ranked last-plus-one (a miss), so the median cannot flatter. */
const effectiveRank = r => (r.rank ?? r.items + 1);

function summarise(label, results) {
  const done = results.filter(r => r.status === 'ok');
  const ranks = done.map(effectiveRank);
  const bis = done.filter(r => r.bisect && r.bisect.reldiff !== null && r.bisect.plain !== null);
  const ours = bis.reduce((s, r) => s + r.bisect.reldiff, 0);
  const plain = bis.reduce((s, r) => s + r.bisect.plain, 0);
  return {
    label, cases: results.length, evaluated: done.length,
    skipped: results.filter(r => r.status.startsWith('skipped')).length,
    unverified: results.filter(r => r.status.startsWith('unverified')).length,
    errors: results.filter(r => r.status.startsWith('error')).length,
    top1: done.filter(r => r.rank === 1).length, top3: done.filter(r => r.rank !== null && r.rank <= 3).length,
    medianRank: median(ranks),
    bisectCases: bis.length, reldiffRuns: ours, plainRuns: plain, ratio: plain ? Math.round((ours / plain) * 100) / 100 : null,
  };
}

function pad(text, width) { text = String(text); return text.length >= width ? text : text + ' '.repeat(width - text.length); }

function table(rows, headers) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)));
  const line = cells => cells.map((c, i) => pad(c, widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const pct = (n, d) => (d ? `${n}/${d} (${Math.round((100 * n) / d)}%)` : '0/0');

function render(results, summaries) {
  const caseRows = results.map(r => {
    const rank = r.status !== 'ok' ? r.status : r.rank === null ? `not ranked (of ${r.items})` : `${r.rank}`;
    const b = r.bisect;
    const bisect = !b ? '' : b.error ? `error: ${b.error}` : `${b.reldiff} vs ${b.plain}${b.reldiffRight ? '' : ' (reldiff wrong)'}${b.plainRight ? '' : ' (plain wrong)'}`;
    return [r.id, r.half, r.language, r.kind, rank, r.status === 'ok' ? (r.rank === 1 ? 'yes' : 'no') : '',
      r.status === 'ok' ? (r.rank !== null && r.rank <= 3 ? 'yes' : 'no') : '', r.itemRank === undefined ? '' : (r.itemRank ?? '-'), bisect];
  });
  const sumRows = summaries.map(s => [s.label, s.cases, s.evaluated, s.skipped, s.unverified, s.errors, pct(s.top1, s.evaluated), pct(s.top3, s.evaluated),
    s.medianRank ?? '-', s.bisectCases ? `${s.reldiffRuns} vs ${s.plainRuns} (${s.ratio}x)` : '-']);
  return `${table(caseRows, ['case', 'half', 'lang', 'culprit', 'rank', 'top-1', 'top-3', 'item rank', 'bisect runs reldiff vs plain'])}\n\n` +
    `${table(sumRows, ['set', 'cases', 'evaluated', 'skipped', 'unverified', 'errors', 'top-1', 'top-3', 'median rank', 'bisect runs'])}\n`;
}

const options = parseArgs(process.argv.slice(2));
const corpusPath = resolve(process.env.RELDIFF_EVAL_CORPUS ?? join(root, 'bench', 'leak-regressions.json'));
const repos = process.env.RELDIFF_EVAL_REPOS ? resolve(process.env.RELDIFF_EVAL_REPOS) : null;
if (!repos) process.stderr.write(`eval: RELDIFF_EVAL_REPOS is not set, so every case is skipped\n\n${USAGE}\n`);
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'))
  .filter(k => options.half === null || k.half === options.half)
  .sort((a, b) => (a.half === b.half ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.half === 'tune' ? -1 : 1));
const results = corpus.map(k => (repos ? evaluate(k, repos, options) : {
  id: k.id, repo: k.repo, half: k.half, language: k.language, kind: 'dependency' in k.culprit ? 'dependency' : 'commit', status: k.unverified ? `unverified (${k.unverified})` : 'skipped (no clone)',
}));
const halves = options.half ? [options.half] : ['tune', 'check'];
const summaries = [...halves.map(h => summarise(h, results.filter(r => r.half === h))), ...(options.half ? [] : [summarise('total', results)])];
process.stdout.write(options.json ? `${JSON.stringify({ corpus: corpusPath.startsWith(root) ? corpusPath.slice(root.length + 1) : 'RELDIFF_EVAL_CORPUS', results, summaries }, null, 2)}\n` : render(results, summaries));
