import { ReldiffError } from '../errors.js';

// `.reldiff/acknowledged.json`: reviewed risks, committed with the release. Kept sorted so diffs of it stay small.

export const ACK_FILE = '.reldiff/acknowledged.json';

export interface Acknowledgement {
  /** A ranking item id (`dep:…` or `src:…`). */
  id: string;
  reason: string;
  /** Last day (YYYY-MM-DD, inclusive) the acknowledgement holds. */
  until?: string;
  /** Day it was recorded. */
  date?: string;
}

export interface AckFile { version: 1; acknowledged: Acknowledgement[] }

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a real calendar date in YYYY-MM-DD form. */
export function isIsoDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Parses the store; malformed content is a user error naming the entry. Pure. */
export function parseAckFile(text: string, path: string = ACK_FILE): AckFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ReldiffError('bad-config', `${path} is not valid JSON`, 'Fix it by hand or delete it and run reldiff ack again');
  }
  const root = isRecord(json) ? json : undefined;
  const list = root?.['acknowledged'];
  if (!root || root['version'] !== 1 || !Array.isArray(list)) {
    throw new ReldiffError('bad-config', `${path} must be { "version": 1, "acknowledged": [...] }`,
      'Fix it by hand or delete it and run reldiff ack again');
  }
  return { version: 1, acknowledged: sortAcks(list.map((entry, index) => parseEntry(entry, `${path}: acknowledged[${index}]`))) };
}

function parseEntry(entry: unknown, where: string): Acknowledgement {
  const bad = (what: string): never => {
    throw new ReldiffError('bad-config', `${where}: ${what}`, 'Each entry needs "id" and "reason", and optionally "until": "YYYY-MM-DD"');
  };
  if (!isRecord(entry)) return bad('expected an object');
  const { id, reason, until, date } = entry;
  if (typeof id !== 'string' || !isItemId(id)) return bad('"id" must be an item id such as "dep:npm:package-lock.json:sharp@0.33.1"');
  if (typeof reason !== 'string' || reason.trim() === '') return bad('"reason" must be a non-empty string');
  if (until !== undefined && (typeof until !== 'string' || !isIsoDate(until))) return bad('"until" must be a date YYYY-MM-DD');
  if (date !== undefined && (typeof date !== 'string' || !isIsoDate(date))) return bad('"date" must be a date YYYY-MM-DD');
  const unknown = Object.keys(entry).filter(key => !['id', 'reason', 'until', 'date'].includes(key)).sort();
  if (unknown.length > 0) return bad(`unknown key "${unknown[0] ?? ''}"`);
  return { id, reason, ...(until !== undefined ? { until } : {}), ...(date !== undefined ? { date } : {}) };
}

/** Item ids as the ranking writes them: a kind prefix, then printable text on one line. */
export function isItemId(id: string): boolean {
  return /^(dep|src):\S/.test(id) && !/[\u0000-\u001f]/.test(id) && id.length <= 1000;
}

/** Stable text: sorted entries, fixed key order, 2-space JSON and a final newline. */
export function serializeAckFile(file: AckFile): string {
  const acknowledged = sortAcks(file.acknowledged).map(a => ({
    id: a.id, reason: a.reason, ...(a.until !== undefined ? { until: a.until } : {}), ...(a.date !== undefined ? { date: a.date } : {}),
  }));
  return `${JSON.stringify({ version: 1, acknowledged }, null, 2)}\n`;
}

/** Adds or replaces the entry with the same id. Pure. */
export function upsertAck(file: AckFile, ack: Acknowledgement): AckFile {
  return { version: 1, acknowledged: sortAcks([...file.acknowledged.filter(a => a.id !== ack.id), ack]) };
}

export function removeAck(file: AckFile, id: string): AckFile {
  return { version: 1, acknowledged: file.acknowledged.filter(a => a.id !== id) };
}

function sortAcks(list: readonly Acknowledgement[]): Acknowledgement[] {
  return [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
