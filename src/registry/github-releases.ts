import { asRecord, asString } from './facts.js';
import { keptNoteLines, versionSections } from './release-notes.js';
import type { NotesSection } from './release-notes.js';

// GitHub releases of a dependency's repository (https://docs.github.com/en/rest/releases/releases#list-releases): one
// page of the newest 100, trimmed to the lines release-notes.ts can quote before it is cached.

export interface GithubApi {
  /** GITHUB_API_URL or https://api.github.com, without a trailing slash. */
  base: string;
  /** `Bearer <GITHUB_TOKEN>`, sent to the API origin only. */
  authorization?: string;
  secrets: string[];
}

export function resolveGithubApi(env: Record<string, string | undefined>): GithubApi {
  const raw = env['GITHUB_API_URL'] || 'https://api.github.com';
  let base = 'https://api.github.com';
  try {
    const url = new URL(raw);
    if (/^https?:$/.test(url.protocol) && !url.username && !url.password) base = url.toString().replace(/\/+$/, '');
  } catch { /* a broken GITHUB_API_URL is the comment command's error to report; here the public API is used */ }
  const token = env['GITHUB_TOKEN']?.trim();
  return token ? { base, authorization: `Bearer ${token}`, secrets: [token] } : { base, secrets: [] };
}

/** `owner/repo` of `https://github.com/owner/repo`. */
export function releasesUrl(api: GithubApi, repository: string): string | undefined {
  const match = /^https:\/\/github\.com\/([^/]+)\/([^/]+)$/.exec(repository);
  if (!match?.[1] || !match[2]) return undefined;
  return `${api.base}/repos/${encodeURIComponent(match[1])}/${encodeURIComponent(match[2])}/releases?per_page=100`;
}

export interface ReleaseNotes { sections: NotesSection[] }

export function isReleaseNotes(value: unknown): value is ReleaseNotes {
  return Array.isArray(asRecord(value)?.['sections']);
}

/** The version a tag names: `v1.2.3`, `pkg@1.2.3`, `pkg-v1.2.3`, `release-1.2.3`. */
export function tagVersion(tag: string): string | undefined {
  return /(?:^|[@/_-]|^v|[@/_-]v)(\d+\.\d+(?:\.\d+)?(?:[-.+]?[0-9A-Za-z.]+)?)$/.exec(tag.trim())?.[1];
}

/** One section per release with a version in its tag (drafts have none), lines trimmed to what can be quoted. */
export function slimReleases(json: unknown): ReleaseNotes | undefined {
  if (!Array.isArray(json)) return undefined;
  const sections: NotesSection[] = [];
  for (const item of json) {
    const record = asRecord(item);
    const version = tagVersion(asString(record?.['tag_name']) ?? '');
    if (!record || !version || record['draft'] === true) continue;
    // The body's own headings ("### Bug fixes") are not versions: only its lines are kept, under the tag's version.
    const lines = keptNoteLines(asString(record['body']) ?? '').filter(l => versionSections([l]).length === 0);
    sections.push({ version, lines });
  }
  return { sections };
}
