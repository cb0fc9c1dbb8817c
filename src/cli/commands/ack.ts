import { parseArgs } from 'node:util';
import { readAckFile, writeAckFile } from '../../ack/store.js';
import { ACK_FILE, isIsoDate, isItemId, removeAck, upsertAck } from '../../ack/model.js';
import { ReldiffError } from '../../errors.js';
import { findRepositoryRoot } from '../../git/reader.js';
import type { Command } from '../io.js';
import { resolve } from 'node:path';

export const ackHelp = `Usage: reldiff ack <item-id> --reason "<why>" [--until YYYY-MM-DD] [--repo <dir>]
       reldiff ack <item-id> --remove

Records a reviewed risk in ${ACK_FILE} (commit it with the release). Acknowledged items stay in
the report, marked with the reason, and no longer trip --fail-on until the date has passed.
Item ids are the "id" fields of the JSON report's ranking (dep:<ecosystem>:<lockfile>:<name>@<version>, src:<path>@<blob>).
`;

/** `reldiff ack`: adds, replaces or removes one acknowledgement. */
export const run: Command = async (argv, io) => {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout(ackHelp);
    return 0;
  }
  const id = positionals[0];
  if (id === undefined || positionals.length > 1) {
    throw new ReldiffError('missing-argument', 'reldiff ack needs exactly one item id', 'Copy an "id" from the JSON report\'s ranking, e.g. reldiff ack src:app/cache.py --reason "bounded by LRU"');
  }
  if (!isItemId(id)) throw new ReldiffError('bad-option', `"${id.slice(0, 80)}" is not an item id`, 'Ids start with dep: or src:, as in the JSON report\'s ranking');
  const root = await findRepositoryRoot(resolve(io.cwd, values.repo ?? '.'));
  const store = await readAckFile(root);
  if (values.remove) {
    if (!store.acknowledged.some(a => a.id === id)) throw new ReldiffError('bad-option', `${id} is not acknowledged in ${ACK_FILE}`, 'Nothing to remove');
    await writeAckFile(root, removeAck(store, id));
    if (!values.quiet) io.stderr(`reldiff: removed the acknowledgement of ${id} from ${ACK_FILE}\n`);
    return 0;
  }
  const reason = values.reason?.trim() ?? '';
  if (reason === '') throw new ReldiffError('missing-argument', 'an acknowledgement needs --reason', 'Say why the risk is accepted, e.g. --reason "reviewed: cache is bounded"');
  if (/[\r\n]/.test(reason)) throw new ReldiffError('bad-option', '--reason must be one line', 'Remove the line breaks');
  const today = new Date().toISOString().slice(0, 10);
  const until = values.until;
  if (until !== undefined && !isIsoDate(until)) throw new ReldiffError('bad-option', `--until "${until.slice(0, 40)}" is not a date`, 'Use YYYY-MM-DD, e.g. --until 2026-12-31');
  if (until !== undefined && until < today) throw new ReldiffError('bad-option', `--until ${until} is in the past`, 'Give a date from today on');
  await writeAckFile(root, upsertAck(store, { id, reason, ...(until !== undefined ? { until } : {}), date: today }));
  if (!values.quiet) io.stderr(`reldiff: acknowledged ${id}${until ? ` until ${until}` : ''} in ${ACK_FILE}; commit it with the release\n`);
  return 0;
};

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        reason: { type: 'string' }, until: { type: 'string' }, remove: { type: 'boolean' }, repo: { type: 'string' },
        quiet: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new ReldiffError('bad-option', error instanceof Error ? error.message : String(error), 'See reldiff ack --help');
  }
}
