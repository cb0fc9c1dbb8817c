import { readFile } from 'node:fs/promises';
import { ReldiffError } from '../errors.js';

// Inside GitHub Actions, the pull request and its base and head come from the event payload (GITHUB_EVENT_PATH).

export interface EventContext {
  pr?: number;
  base?: string;
  head?: string;
}

/** Pure: picks the pull request number and base/head commits out of a parsed event payload. */
export function contextFromEvent(payload: unknown): EventContext {
  const event = record(payload);
  const pull = record(event?.['pull_request']);
  const issue = record(event?.['issue']);
  const out: EventContext = {};
  const number = pull ? pull['number'] : issue && record(issue['pull_request']) ? issue['number'] : undefined;
  if (typeof number === 'number' && Number.isSafeInteger(number) && number > 0) out.pr = number;
  const base = sha(record(pull?.['base'])?.['sha']);
  const head = sha(record(pull?.['head'])?.['sha']);
  if (base) out.base = base;
  if (head) out.head = head;
  return out;
}

export async function readEventContext(path: string | undefined): Promise<EventContext> {
  if (!path) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ReldiffError('github', `cannot read the event payload GITHUB_EVENT_PATH=${path}`, 'Unset GITHUB_EVENT_PATH outside GitHub Actions, or pass --pr and the refs');
  }
  try {
    return contextFromEvent(JSON.parse(text));
  } catch {
    throw new ReldiffError('github', `the event payload ${path} is not JSON`, 'Unset GITHUB_EVENT_PATH outside GitHub Actions, or pass --pr and the refs');
  }
}

/** `--pr` as given, or undefined. */
export function parsePullNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/^#/, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new ReldiffError('bad-option', `--pr needs a pull request number, not '${value.slice(0, 40)}'`, 'For example --pr 42');
  return n;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

function sha(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value) ? value : undefined;
}
