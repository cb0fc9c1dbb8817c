import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggest } from '../config/describe.js';
import { ReldiffError } from '../errors.js';
import type { Format } from '../report/types.js';
import { LEVELS, type Level } from '../types.js';

// The option table shared by the commands, and the help text. `reldiff --help` prints exactly `helpText`.

export const helpText = `reldiff: which change between two releases most likely caused a memory leak

Usage:
  reldiff [from] [to] [options]             compare two refs of the repository in the current folder
  reldiff deps <before> <after> [options]   compare two dependency files directly
  reldiff bisect [from] [to] --run <cmd>    find the first bad commit, with the ranking as priors
  reldiff probe [options] -- <cmd>          run a workload and exit 1 if its memory keeps growing
  reldiff comment [from] [to] --pr <n>      post or update one sticky pull-request comment (GitHub)
  reldiff ack <item-id> --reason <text>     record a reviewed risk in .reldiff/acknowledged.json

  <to> defaults to HEAD; <from> defaults to the newest tag reachable from <to> that is not on <to>.
  A ref is a tag, branch, commit id or expression such as HEAD~3 or v1.2.0^.

Options:
  --repo <dir>          repository to read (default: the one containing the current folder)
  --format <name>       terminal | markdown | json | sarif | html (default: terminal)
  --output <file>       write the report to a file instead of stdout
  --top <n>             how many ranked changes to show in full (default: 10)
  --all                 list every change, dependency row and warning; by default the terminal and Markdown
                        show the top and sum up the rest (Markdown fits a GitHub comment); JSON and HTML hold all
  --fail-on <level>     exit 1 when a change ranks at this level or above: none | low | medium | high | critical
  --warn-only           report as usual but never exit 1
  --config <file>       config file (default: reldiff.config.json at the repository root)
  --evidence <file>     output of tracemalloc, objgraph, pympler or memlab: raises the changes it points at
  --offline             use only the lockfiles and the local cache, never a registry
  --require-registry    exit 2 when a registry cannot be reached (default: warn and carry on offline)
  --pypi-url <url>      Python index for package facts (default: PIP_INDEX_URL, else https://pypi.org)
  --deep <n>            look inside at most n upgraded npm/PyPI packages, riskiest first (default: all that ship, 256 MB; 0: off)
  --cache-dir <dir>     where registry answers and tarballs are cached (default: $XDG_CACHE_HOME/reldiff)
  --no-cache            neither read nor keep parsed lockfile revisions, nor the output of an --offline run to print
                        again for the same commits and inputs (kept in <git dir>/reldiff-cache, 128 MB at most)
  --no-color            no colours (also: NO_COLOR=1; FORCE_COLOR=1 forces them)
  --quiet               no progress or warnings on stderr
  --debug               stack traces and git's own error output
  -h, --help            show this help
  -v, --version         show reldiff's version

Examples:
  reldiff v2.3.0 v2.4.0                       terminal report, likeliest leak cause first
  reldiff v2.3.0 v2.4.0 --format json         the JSON report (schema/report.schema.json)
  reldiff --format markdown > comment.md      newest tag against HEAD, as a PR comment
  reldiff v2.3.0 v2.4.0 --fail-on high        exit 1 when anything ranks high or worse
  reldiff deps old/requirements.txt new.txt   compare two dependency files, e.g. pip freeze of two images

Exit codes: 0 done, 1 --fail-on reached, 2 bad input or command line (one line on stderr says how to fix it).
`;

export const commonOptions = {
  repo: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  top: { type: 'string' },
  all: { type: 'boolean' },
  'fail-on': { type: 'string' },
  'warn-only': { type: 'boolean' },
  config: { type: 'string' },
  offline: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  quiet: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'require-registry': { type: 'boolean' },
  'pypi-url': { type: 'string' },
  deep: { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  evidence: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with errors turned into one-line user errors. */
export type ParsedCommandLine<T extends OptionTable> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

export function parseCommandLine<T extends OptionTable>(argv: string[], options: T, usage = 'reldiff --help'): ParsedCommandLine<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs names one letter of a cluster (`-v1.0.0` -> '-1'); name the whole argument the user typed instead.
    const known = new Set(Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]));
    const end = argv.indexOf('--');
    const culprit = (end < 0 ? argv : argv.slice(0, end)).find(a => a.startsWith('-') && a !== '-' && !known.has(a.split('=')[0] ?? a));
    if (culprit && /^-[^-]/.test(culprit) && culprit.length > 2) {
      throw new ReldiffError('bad-option', `'${culprit}' is neither an option nor a ref (refs cannot start with "-")`, `See ${usage}`);
    }
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '');
    const typed = culprit?.split('=')[0] ?? '';
    const near = typed.startsWith('--') ? suggest(typed.slice(2), Object.keys(options)) : undefined;
    throw new ReldiffError('bad-option', culprit ? `unknown option '${typed}'${near ? `; did you mean --${near}?` : ''}` : message, `See ${usage}`);
  }
}

export const FORMATS: readonly Format[] = ['terminal', 'markdown', 'json', 'sarif', 'html'];

export function parseFormat(value: string | undefined): Format {
  if (value === undefined) return 'terminal';
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new ReldiffError('bad-option', `unknown --format '${value}'`, `Use one of: ${FORMATS.join(', ')}`);
}

export function parseFailOn(value: string | undefined): Level | 'none' | undefined {
  if (value === undefined) return undefined;
  if (value === 'none' || (LEVELS as readonly string[]).includes(value)) return value as Level | 'none';
  throw new ReldiffError('bad-option', `unknown --fail-on level '${value}'`, 'Use one of: none, low, medium, high, critical');
}

export function parseTop(value: string | undefined): number {
  if (value === undefined) return 10;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ReldiffError('bad-option', `--top needs a whole number of 1 or more, not '${value}'`, 'For example --top 20');
  return n;
}

/** Colour only for a terminal, unless NO_COLOR / FORCE_COLOR / --no-color say otherwise. */
export function isColorWanted(flags: { 'no-color'?: boolean; color?: boolean }, env: Record<string, string | undefined>,
  isTTY: boolean): boolean {
  if (flags['no-color']) return false;
  if (flags.color) return true;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY && env['TERM'] !== 'dumb';
}
