import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { incidentHistory } from '../../src/demo/incident.js';
import type { Report } from '../../src/report/model.js';
import { buildRepo, shallowClone, type BuiltRepo } from '../helpers/build-repo.js';
import { compileSources } from '../helpers/compiled.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { isolatedEnv } from '../helpers/cli.js';

// Runs the shell steps of action.yml, as the runner would, against a repository built here and the fake GitHub API.
// The flows below use the project's own build; one test runs the install step itself on a copy of the checkout.

interface Step { id?: string; name?: string; if?: string; shell?: string; run?: string; uses?: string;
  env?: Record<string, string>; with?: Record<string, string>; 'working-directory'?: string }
interface Action { inputs: Record<string, { default?: string }>; runs: { using: string; steps: Step[] } }

const projectRoot = resolve(import.meta.dirname, '../..');
const action = parse(readFileSync(join(projectRoot, 'action.yml'), 'utf8')) as Action;
const TOKEN = 'ghs_FAKE0action0token0for0tests0only';
const REPOSITORY = 'acme/inference';

let actionPath = '';
let repo: BuiltRepo;
let github: FakeGitHub;
let scratch = '';

beforeAll(() => {
  const dist = compileSources();
  actionPath = dirname(dist);
  mkdirSync(join(actionPath, 'bin'), { recursive: true });
  copyFileSync(join(projectRoot, 'bin/reldiff.js'), join(actionPath, 'bin/reldiff.js'));
  repo = buildRepo(incidentHistory);
  scratch = mkdtempSync(join(tmpdir(), 'reldiff-action-'));
});
afterAll(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(async () => { await github?.close(); });

interface StepResult { code: number; stdout: string; stderr: string }
interface ActionRun { steps: Record<string, StepResult>; outputs: Record<string, string>; uploaded?: string }

/** `${{ a.b }}` from the context; anything fancier in action.yml fails the test, which keeps the file simple. */
function evaluate(text: string, context: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const match = /^(github|inputs|steps)\.([\w-]+(?:\.[\w-]+)*)$/.exec(expression);
    if (!match?.[1] || !match[2]) throw new Error(`unsupported expression in action.yml: ${expression}`);
    return context[match[1]]?.[match[2]] ?? '';
  });
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<StepResult> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => { stdout += String(c); });
    child.stderr.on('data', c => { stderr += String(c); });
    child.on('error', fail);
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

async function runAction(workspace: string, inputs: Record<string, string>, runner: Record<string, string>): Promise<ActionRun> {
  const outputFile = join(scratch, `output-${Date.now()}-${Math.random()}`);
  const temp = mkdtempSync(join(scratch, 'runner-temp-'));
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const context = {
    github: { action_path: actionPath, token: TOKEN },
    inputs: { ...defaults, 'github-token': TOKEN, ...inputs },
    steps: {} as Record<string, string>,
  };
  const result: ActionRun = { steps: {}, outputs: {} };
  for (const step of action.runs.steps) {
    if (step.id === 'install') continue;
    if (step.uses) {
      expect(step.uses).toMatch(/^actions\/upload-artifact@v\d+$/);
      expect(step.if).toBe("always() && steps.run.outputs.report != ''");
      if (context.steps['run.outputs.report']) result.uploaded = evaluate(step.with?.['path'] ?? '', context);
      continue;
    }
    expect(step.shell).toBe('bash');
    expect(step.run).not.toMatch(/\$\{\{/);
    writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      ...isolatedEnv(scratch), RUNNER_TEMP: temp, GITHUB_OUTPUT: outputFile,
      GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: REPOSITORY, GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '4242',
      ...runner,
    };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = evaluate(value, context);
    const cwd = resolve(workspace, evaluate(step['working-directory'] ?? '.', context));
    const ran = await bash(step.run ?? '', cwd, env);
    result.steps[step.id ?? step.name ?? '?'] = ran;
    for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) context.steps[`${step.id ?? ''}.outputs.${line.slice(0, at)}`] = line.slice(at + 1);
    }
    if (ran.code !== 0 && step.if !== 'always()') break;
  }
  result.outputs = Object.fromEntries(Object.entries(context.steps).filter(([k]) => k.startsWith('run.outputs.')).map(([k, v]) => [k.slice(12), v]));
  for (const s of Object.values(result.steps)) expect(s.stdout + s.stderr).not.toContain(TOKEN);
  return result;
}

function pullRequestEvent(number: number): Record<string, string> {
  const path = join(scratch, `event-${number}.json`);
  writeFileSync(path, JSON.stringify({ pull_request: { number, base: { sha: repo.tags['v1.4.0'] }, head: { sha: repo.tags['v1.5.0'] } } }));
  return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path, GITHUB_SHA: repo.tags['v1.5.0'] ?? '' };
}

describe('action.yml', () => {
  it('installs and builds reldiff from the action\'s own checkout with its install step', async () => {
    // A copy of what a `uses:` checkout holds (the tracked files), and npm's own cache only: no network in tests.
    const checkout = mkdtempSync(join(tmpdir(), 'reldiff-action-checkout-'));
    try {
      const tracked = (await bash('git ls-files -z', projectRoot, { PATH: process.env['PATH'] ?? '/usr/bin:/bin' })).stdout.split('\0').filter(Boolean);
      for (const file of tracked) {
        mkdirSync(dirname(join(checkout, file)), { recursive: true });
        copyFileSync(join(projectRoot, file), join(checkout, file));
      }
      const install = action.runs.steps.find(s => s.id === 'install');
      const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? tmpdir(), ACTION_PATH: checkout,
        npm_config_offline: 'true', npm_config_update_notifier: 'false' };
      const ran = await bash(install?.run ?? '', checkout, env);
      expect(ran.stderr).not.toMatch(/ERR!/);
      expect(ran.code).toBe(0);
      const version = await bash(`node "${join(checkout, 'bin/reldiff.js')}" --version`, checkout, env);
      expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  }, 240_000);

  it('declares a composite action whose scripts take every value through env', () => {
    expect(action.runs.using).toBe('composite');
    const install = action.runs.steps.find(s => s.id === 'install');
    expect(install?.run).toContain('npm ci');
    expect(install?.run).toContain('npm run build');
    for (const step of action.runs.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('on a pull request: posts one sticky comment, writes the report for upload, and passes without fail-on', async () => {
    github = await startFakeGitHub({ token: TOKEN, repositories: [REPOSITORY] });
    const first = await runAction(repo.dir, {}, pullRequestEvent(21));
    expect(first.steps['run']?.stderr).toMatch(/comment created on acme\/inference#21/);
    expect(first.outputs['exit-code']).toBe('0');
    expect(first.steps['gate']?.code).toBe(0);
    expect(first.uploaded).toBeDefined();
    const report = JSON.parse(readFileSync(first.uploaded ?? '', 'utf8')) as Report;
    expect(report.to.commit).toBe(repo.tags['v1.5.0']);
    expect(report.from.commit).toBe(repo.tags['v1.4.0']);
    await runAction(repo.dir, {}, pullRequestEvent(21));
    const comments = github.comments(REPOSITORY, 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('[this workflow run](https://github.com/acme/inference/actions/runs/4242)');
  });

  it('fails the job per fail-on after commenting and uploading, and not with warn-only', async () => {
    github = await startFakeGitHub({ token: TOKEN, repositories: [REPOSITORY] });
    const gated = await runAction(repo.dir, { 'fail-on': 'high' }, pullRequestEvent(22));
    expect(gated.outputs['exit-code']).toBe('1');
    expect(gated.steps['run']?.code).toBe(0);
    expect(gated.uploaded).toBeDefined();
    expect(gated.steps['gate']?.code).toBe(1);
    expect(gated.steps['gate']?.stdout).toMatch(/::error title=reldiff::A change ranks at or above fail-on/);
    expect(github.comments(REPOSITORY, 22)).toHaveLength(1);
    const warned = await runAction(repo.dir, { 'fail-on': 'high', 'warn-only': 'true' }, pullRequestEvent(22));
    expect(warned.steps['gate']?.code).toBe(0);
  });

  it('on a tag push: compares with the previous tag and posts nothing', async () => {
    github = await startFakeGitHub({ token: TOKEN, repositories: [REPOSITORY] });
    const run = await runAction(repo.dir, {}, { GITHUB_EVENT_NAME: 'push', GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v1.5.0', GITHUB_SHA: repo.tags['v1.5.0'] ?? '' });
    expect(run.outputs['exit-code']).toBe('0');
    const report = JSON.parse(readFileSync(run.uploaded ?? '', 'utf8')) as Report;
    expect(report.from.ref).toBe('v1.4.0');
    expect(report.to.commit).toBe(repo.tags['v1.5.0']);
    expect(github.requests).toHaveLength(0);
  });

  it('fails with the fix when the checkout is shallow', async () => {
    github = await startFakeGitHub({ token: TOKEN, repositories: [REPOSITORY] });
    const shallow = shallowClone(repo.dir, 1);
    try {
      const run = await runAction(shallow.dir, {}, pullRequestEvent(23));
      expect(run.outputs['exit-code']).toBe('2');
      expect(run.steps['run']?.stdout).toMatch(/::error title=reldiff needs the full git history::.*fetch-depth: 0/);
      expect(run.steps['gate']?.code).toBe(2);
      expect(run.uploaded).toBeUndefined();
      expect(github.requests).toHaveLength(0);
    } finally {
      shallow.cleanup();
    }
  });

  it('reports a bad input as an error of the run step, and the gate fails', async () => {
    github = await startFakeGitHub({ token: TOKEN, repositories: [REPOSITORY] });
    const run = await runAction(repo.dir, { 'fail-on': 'severe' }, pullRequestEvent(24));
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.steps['run']?.stderr).toMatch(/^reldiff: unknown --fail-on level 'severe'/m);
    expect(run.steps['gate']?.code).toBe(2);
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });
});
