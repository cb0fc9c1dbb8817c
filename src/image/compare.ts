import { diffDependencySets } from '../deps/diff.js';
import { ReldiffError } from '../errors.js';
import { addRuntimeSignals } from '../runtimes/signals.js';
import type { DependencyChange, DependencySet, Ecosystem } from '../types.js';

// Two sides of `reldiff deps` where at least one is an image: image against image compares every ecosystem both
// hold; an image against a lockfile compares only the lockfile's ecosystem ("does the image run what it says?").

export type Side = { kind: 'image'; sets: DependencySet[] } | { kind: 'file'; set: DependencySet };

const setsOf = (side: Side): DependencySet[] => (side.kind === 'image' ? side.sets : [side.set]);

export function diffImageSides(before: Side, after: Side, label: string, names: { before: string; after: string }, warnings: string[]): DependencyChange[] {
  let ecosystems: Ecosystem[];
  if (before.kind === 'image' && after.kind === 'image') {
    ecosystems = [...new Set([...before.sets, ...after.sets].map(s => s.ecosystem))];
  } else {
    const file = before.kind === 'file' ? before.set : (after as { set: DependencySet }).set;
    const image = before.kind === 'image' ? before : after;
    const imageName = before.kind === 'image' ? names.before : names.after;
    if (!setsOf(image).some(s => s.ecosystem === file.ecosystem)) {
      throw new ReldiffError('mixed-ecosystems', `${imageName} holds no ${file.ecosystem} packages to compare with ${file.path}`,
        `It holds ${setsOf(image).map(s => s.ecosystem).join(', ') || 'no packages reldiff reads'}; compare it with a file of one of those, or with another image`);
    }
    ecosystems = [file.ecosystem];
    warnings.push(`${imageName} is compared with ${file.path} for ${file.ecosystem} packages only; packages the image installs beside the lockfile (pip, setuptools...) show as added or removed`);
  }
  const changes: DependencyChange[] = [];
  for (const ecosystem of ecosystems.sort()) {
    const a = setsOf(before).find(s => s.ecosystem === ecosystem);
    const b = setsOf(after).find(s => s.ecosystem === ecosystem);
    const found = diffDependencySets(a ? { ...a, path: label } : undefined, b ? { ...b, path: label } : undefined);
    addRuntimeSignals(found);
    for (const change of found) changes.push(change);
  }
  return changes;
}
