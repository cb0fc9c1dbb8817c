export { enrichDependencies } from './enrich.js';
export type { EnrichOptions } from './enrich.js';
export { formatProgress } from './progress.js';
export type { ProgressCallback, RegistryProgress } from './progress.js';
export { resolveCacheDir } from './cache.js';
export { enrichFromFlags, parseDeep, parsePypiUrl } from './cli-options.js';
export type { RegistryFlags } from './cli-options.js';
