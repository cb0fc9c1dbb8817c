import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyAcknowledgements } from '../ack/apply.js';
import { readAckFile } from '../ack/store.js';
import { analyzeRefs, type AnalyzeOptions } from '../analyze.js';
import { loadConfig } from '../config/load.js';
import { ReldiffError } from '../errors.js';
import { applyEvidence } from '../evidence/index.js';
import { noCache, openBlobCache, repositoryCacheDir } from '../cache/blob-cache.js';
import { analyzeOptionsFromConfig } from '../config/options.js';
import type { ReldiffConfig } from '../config/schema.js';
import { findRepositoryRoot, GitRepoReader } from '../git/reader.js';
import { enrichFromFlags, type RegistryFlags } from '../registry/cli-options.js';
import type { Report } from '../report/model.js';
import { rules } from '../rules/index.js';
import type { FileChange } from '../types.js';
import type { Io } from './io.js';

// The one way every command reads a repository: config file, registry facts, the pipeline, acknowledgements.

export interface RepositoryFlags extends RegistryFlags {
  repo?: string;
  config?: string;
  /** A memory tool's output (tracemalloc, objgraph, pympler, memlab) that re-ranks the changes it points at. */
  evidence?: string;
  /** Neither read nor keep the blob cache (see cache/blob-cache.ts). */
  'no-cache'?: boolean;
}

export interface RepositoryAnalysis {
  report: Report;
  root: string;
  config: ReldiffConfig | undefined;
}

export async function analyzeRepository(flags: RepositoryFlags, refs: { from?: string; to?: string }, io: Io,
  options: { enrich?: boolean } = {}): Promise<RepositoryAnalysis> {
  const root = await findRepositoryRoot(resolve(io.cwd, flags.repo ?? '.'));
  const loaded = await loadConfig({ repoRoot: root, cwd: io.cwd, ruleIds: rules.map(r => r.id),
    ...(flags.config !== undefined ? { configPath: flags.config } : {}) });
  const cacheDir = flags['no-cache'] ? undefined : await repositoryCacheDir(root);
  const cache = cacheDir === undefined ? noCache : openBlobCache(cacheDir);
  const reader = new GitRepoReader(root, cache);
  try {
    const analyzeOptions: AnalyzeOptions = {
      ...analyzeOptionsFromConfig(loaded.config),
      ...(refs.from !== undefined ? { from: refs.from } : {}),
      ...(refs.to !== undefined ? { to: refs.to } : {}),
      ...(options.enrich === false ? {} : { enrich: enrichFromFlags(flags, io, root) }),
      cache,
      // The evidence matcher reads every changed file's added lines: no patch is skipped for it.
      ...(flags.evidence !== undefined ? { keepHunks: true } : {}),
    };
    const { report: analyzed, changes } = await analyzeRefs(reader, analyzeOptions);
    const evidence = flags.evidence === undefined ? undefined
      : applyEvidence(analyzed, await readEvidence(resolve(io.cwd, flags.evidence)), analyzeOptions.weights, addedLines(changes));
    const report = evidence?.report ?? analyzed;
    const warnings = [...report.warnings, ...loaded.warnings, ...(evidence?.warnings ?? [])];
    const withWarnings = { ...report, warnings: [...new Set(warnings)].sort() };
    const acknowledged = applyAcknowledgements(withWarnings, (await readAckFile(root)).acknowledged, today(io.env));
    // Secrets out of every value before any reporter escapes them (see Redactor.applyDeep).
    return { report: io.redactor ? io.redactor.applyDeep(acknowledged) : acknowledged, root, config: loaded.config };
  } finally {
    reader.close();
    cache.close();
  }
}

function addedLines(changes: readonly FileChange[]): Map<string, string[]> {
  return new Map(changes.map(c => [c.path, c.hunks.flatMap(h => h.lines.filter(l => l.startsWith('+')).map(l => l.slice(1)))]));
}

async function readEvidence(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ReldiffError('file-not-found', `cannot read the --evidence file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'Give the path of a saved tracemalloc, objgraph, pympler or memlab output');
  }
}

/** The date acknowledgements expire against; SOURCE_DATE_EPOCH pins it for reproducible runs. */
export function today(env: Record<string, string | undefined>): string {
  const epoch = Number(env['SOURCE_DATE_EPOCH']);
  return (Number.isFinite(epoch) && env['SOURCE_DATE_EPOCH'] ? new Date(epoch * 1000) : new Date()).toISOString().slice(0, 10);
}
