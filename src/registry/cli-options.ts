import { ReldiffError } from '../errors.js';
import type { ProjectContext } from '../deps/project-kind.js';
import type { DependencyChange } from '../types.js';
import { enrichDependencies } from './enrich.js';
import type { EnrichOptions } from './enrich.js';
import { formatProgress } from './progress.js';

// From command-line flags to the enrich hook of analyzeRefs; the flags themselves are in cli/args.ts.

export interface RegistryFlags {
  offline?: boolean;
  'require-registry'?: boolean;
  'pypi-url'?: string;
  deep?: string;
  'cache-dir'?: string;
  quiet?: boolean;
  debug?: boolean;
}

/** undefined when not given: every upgrade that ships is looked inside, within the download budget. */
export function parseDeep(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ReldiffError('bad-option', `--deep needs a whole number of 0 or more, not '${value}'`, 'For example --deep 5, or --deep 0 to skip tarball scans');
  return n;
}

export function parsePypiUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^\s]+$/i.test(value)) throw new ReldiffError('bad-option', `--pypi-url must be an http(s) URL, not '${value.replace(/\/\/[^@/]*@/, '//***@')}'`, 'For example --pypi-url https://pypi.org');
  return value;
}

/** What the hook needs of the process: the CLI's Io fits it, and this layer never imports the CLI's types. */
export interface RegistryIo {
  env: Record<string, string | undefined>;
  isStderrTTY: boolean;
  stderr: (text: string) => void;
  redactor?: { add(secrets: Iterable<string>): void };
}

/** The `enrich` hook for analyzeRefs: registry facts plus the deep scan, progress on a terminal's stderr only. */
export function enrichFromFlags(flags: RegistryFlags, io: RegistryIo, projectDir: string, extra: Partial<EnrichOptions> = {}):
  (changes: DependencyChange[], context: { toDate: string; projects?: ReadonlyMap<string, ProjectContext> }) => Promise<{ warnings: string[] }> {
  const deep = parseDeep(flags.deep);
  const pypiUrl = parsePypiUrl(flags['pypi-url']);
  const isDrawing = io.isStderrTTY && !flags.quiet;
  return async (changes, { toDate, projects }) => {
    let drawn = false;
    const result = await enrichDependencies(changes, {
      projectDir, env: io.env, ...(deep !== undefined ? { deep } : {}),
      // The npm and pip credentials found now join the redactor that every output already passes through.
      onSecrets: secrets => io.redactor?.add(secrets),
      offline: flags.offline ?? false,
      requireRegistry: flags['require-registry'] ?? false,
      ...(pypiUrl ? { pypiUrl } : {}),
      ...(flags['cache-dir'] ? { cacheDir: flags['cache-dir'] } : {}),
      ...(toDate ? { toDate } : {}),
      ...(projects ? { projects } : {}),
      ...(isDrawing ? { onProgress: p => { drawn = true; io.stderr(formatProgress(p)); } } : {}),
      ...(flags.debug ? { debug: (line: string) => io.stderr(`${line}\n`) } : {}),
      ...extra,
    });
    if (drawn) io.stderr('\r\x1b[K');
    return result;
  };
}
