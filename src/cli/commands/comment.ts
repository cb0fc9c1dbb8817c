import { itemsAtOrAbove, isFailOnReached } from '../../config/gate.js';
import { ReldiffError } from '../../errors.js';
import { buildCommentBody } from '../../github/body.js';
import { createClient, parseApiUrl, parseRepository } from '../../github/client.js';
import { findStickyComments, tokenIdentity, upsertStickyComment, type PullRequestTarget } from '../../github/comment.js';
import { parsePullNumber, readEventContext } from '../../github/event.js';
import { jsonReporter } from '../../report/json.js';
import { markdownReporter } from '../../report/markdown.js';
import type { Level } from '../../types.js';
import { analyzeRepository } from '../analysis.js';
import { commonOptions, parseCommandLine, parseFailOn, parseTop } from '../args.js';
import { withRedaction, type Command, type Io } from '../io.js';
import { writeReport } from '../output.js';

export const commentHelp = `Usage: reldiff comment [from] [to] --pr <n> [--mode always|on-risk|never] [options]

Posts the Markdown report as one sticky comment on a GitHub pull request, and updates it in place on every run.
Environment: GITHUB_TOKEN (required), GITHUB_REPOSITORY (owner/repo), GITHUB_API_URL (default https://api.github.com).
In GitHub Actions, --pr, from and to default to the pull request, its base and its head (from GITHUB_EVENT_PATH).

  --pr <n>               pull request number
  --mode <mode>          always: post or update every time (default)
                         on-risk: post only when something ranks medium (or --fail-on) or above;
                                  an existing comment is updated to say the risk is gone
                         never: post nothing (the report, --report-file and --fail-on still work)
  --report-file <file>   also write the JSON report there (the Action uploads it as an artifact)
  --artifact-name <name> the artifact name the comment points to (default: reldiff-report)
  --dry-run              print the comment body instead of posting it
  --fail-on, --warn-only, --top, --config, --repo, --quiet, --debug: as for reldiff [from] [to]
`;

const options = {
  ...commonOptions,
  pr: { type: 'string' },
  mode: { type: 'string' },
  'report-file': { type: 'string' },
  'artifact-name': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

type Mode = 'always' | 'on-risk' | 'never';

/** `reldiff comment`: analyze, then create or update the sticky pull-request comment. */
export const run: Command = async (argv, rawIo) => {
  // Everything this command prints goes through the redactor, --debug lines included (main() does this too).
  const io: Io = withRedaction(rawIo);
  const { values, positionals } = parseCommandLine(argv, options, 'reldiff comment --help');
  if (values.help) {
    io.stdout(commentHelp);
    return 0;
  }
  if (positionals.length > 2) throw new ReldiffError('bad-option', `too many refs: ${positionals.join(' ')}`, 'Give at most two: reldiff comment [from] [to]');
  const mode = parseMode(values.mode);
  const top = parseTop(values.top);
  const isDryRun = values['dry-run'] === true;
  const token = io.env['GITHUB_TOKEN'] ?? '';
  const mustPost = mode !== 'never' && !isDryRun;
  if (mustPost && token === '') {
    throw new ReldiffError('github', 'GITHUB_TOKEN is not set', 'Export a token that may write pull-request comments; in a workflow: env: GITHUB_TOKEN: ${{ github.token }}');
  }
  const event = await readEventContext(io.env['GITHUB_EVENT_PATH']);
  const pr = parsePullNumber(values.pr) ?? event.pr;
  if (mustPost && pr === undefined) {
    throw new ReldiffError('missing-argument', 'no pull request to comment on', 'Pass --pr <n>, or run on a pull_request event in GitHub Actions');
  }
  const target = mustPost ? { ...parseRepository(io.env['GITHUB_REPOSITORY']), apiUrl: parseApiUrl(io.env['GITHUB_API_URL']) } : undefined;
  const from = positionals[0] ?? event.base;
  const to = positionals[1] ?? event.head;

  const { report, config } = await analyzeRepository(values, { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }, io);
  const failOn = parseFailOn(values['fail-on']) ?? config?.failOn ?? 'none';
  if (values['report-file'] !== undefined) await writeReport(jsonReporter.render(report, { color: false, top }), values['report-file'], io);

  const riskLevel: Level = failOn === 'none' ? 'medium' : failOn;
  const riskyCount = itemsAtOrAbove(report, riskLevel).length;
  const { body, omitted } = buildCommentBody(report, {
    // The comment body cuts the ranking itself and says where the rest is; the renderer shows what it is given.
    render: (r, n) => markdownReporter.render(r, { color: false, top: n, all: true }),
    top, riskLevel, riskyCount,
    artifactName: values['artifact-name'] ?? 'reldiff-report',
    ...runUrl(io.env),
  });
  if (values.debug && omitted > 0) io.stderr(`reldiff: comment body cut: ${omitted} items left out to fit\n`);

  if (isDryRun) io.stdout(body);
  else if (target && pr !== undefined) await post({ ...target, pr }, body, mode, riskyCount, token, io, values.debug === true, values.quiet === true);

  return isFailOnReached(report, failOn) && !values['warn-only'] ? 1 : 0;
};

async function post(target: PullRequestTarget, body: string, mode: Mode, riskyCount: number, token: string, io: Io,
  isDebug: boolean, isQuiet: boolean): Promise<void> {
  const octokit = createClient({ token, apiUrl: target.apiUrl, ...(isDebug ? { debug: (line: string) => io.stderr(`${line}\n`) } : {}) });
  const existing = await findStickyComments(octokit, target, await tokenIdentity(octokit, target, io.env));
  // Nothing risky: say so in an existing comment rather than leave a stale warning, but do not open a new one.
  if (mode === 'on-risk' && riskyCount === 0 && existing.length === 0) {
    if (!isQuiet) io.stderr(`reldiff: nothing risky; no comment posted on #${target.pr}\n`);
    return;
  }
  const result = await upsertStickyComment(octokit, target, io.redactor ? io.redactor.apply(body) : body, existing);
  if (!isQuiet) io.stderr(`reldiff: comment ${result.action} on ${target.owner}/${target.repo}#${target.pr}\n`);
}

function parseMode(value: string | undefined): Mode {
  if (value === undefined) return 'always';
  if (value === 'always' || value === 'on-risk' || value === 'never') return value;
  throw new ReldiffError('bad-option', `unknown --mode '${value.slice(0, 40)}'`, 'Use always, on-risk or never');
}

function runUrl(env: Record<string, string | undefined>): { runUrl?: string } {
  const server = env['GITHUB_SERVER_URL'];
  const repository = env['GITHUB_REPOSITORY'];
  const id = env['GITHUB_RUN_ID'];
  if (!server || !repository || !id || !/^https?:\/\/[\w.:-]+$/.test(server) || !/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^\d+$/.test(id)) return {};
  return { runUrl: `${server}/${repository}/actions/runs/${id}` };
}
