// Test-side entry to the repository builder the demo also uses.
export { buildRepo, git, gitEnv, shallowClone, type BuiltRepo, type History, type HistoryCommit } from '../../src/demo/build-repo.js';
