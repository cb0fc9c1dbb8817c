// reldiff as a library: the same pipeline as the CLI, with no process access of its own beyond the git reader.
export { analyzeRefs, type AnalyzeOptions, type Analysis, type GitSource } from './analyze.js';
export { diffDependencySets } from './deps/diff.js';
export { GitRepoReader, findRepositoryRoot } from './git/reader.js';
export { detectFormat, formats } from './lockfiles/index.js';
export { readDependencySet } from './lockfiles/read.js';
export type { Report } from './report/model.js';
export { reporters, type Format, type RenderOptions, type Reporter } from './report/index.js';
export { defaultWeights, type Weights } from './risk/weights.js';
export { rules } from './rules/index.js';
export { ReldiffError, GitError } from './errors.js';
export type * from './types.js';
