import { gitText } from '../git/exec.js';

// The commits a bisect chooses among, oldest first. The last one is the known bad end.

export interface Candidate { sha: string; parents: string[] }

function parse(out: string): Candidate[] {
  return out.split('\n').filter(Boolean).map(line => {
    const [sha = '', ...parents] = line.trim().split(' ');
    return { sha, parents };
  });
}

/** Commits in from..to: the first-parent chain by default, every commit in topological order with `all`. */
export async function listCandidates(root: string, from: string, to: string, all: boolean): Promise<Candidate[]> {
  const mode = all ? ['--topo-order'] : ['--first-parent'];
  return parse(await gitText(root, ['rev-list', '--reverse', '--parents', ...mode, `${from}..${to}`, '--']));
}

/** The commits a merge brought in (its second parent's first-parent chain back to the fork), then the merge. */
export async function listMergedCandidates(root: string, merge: Candidate): Promise<Candidate[]> {
  const [first, second] = merge.parents;
  if (!first || !second) return [];
  const side = parse(await gitText(root, ['rev-list', '--reverse', '--parents', '--first-parent', `${first}..${second}`, '--']));
  return [...side, merge];
}
