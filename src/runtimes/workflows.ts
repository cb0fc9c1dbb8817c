// GitHub Actions: the Node and Python versions that actions/setup-node and actions/setup-python install
// (https://github.com/actions/setup-node#usage, https://github.com/actions/setup-python#usage), with
// `${{ matrix.x }}` read from the job's own strategy.matrix.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { LockedPackage } from '../types.js';

const SETUPS: { action: string; input: string; runtime: string }[] = [
  { action: 'actions/setup-node', input: 'node-version', runtime: 'node' },
  { action: 'actions/setup-python', input: 'python-version', runtime: 'python' },
];

/** A scalar as written: YAML reads `python-version: 3.10` as the number 3.1. */
function written(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const source = (node as { source?: unknown }).source;
  if (typeof source === 'string' && typeof node.value === 'number') return source;
  return node.value === null || node.value === undefined ? undefined : String(node.value);
}

function valuesOf(node: unknown): string[] {
  if (isSeq(node)) return node.items.map(written).filter((v): v is string => v !== undefined);
  const one = written(node);
  // A block scalar may list several versions, one per line (setup-python installs each).
  return one === undefined ? [] : one.split('\n').map(s => s.trim()).filter(s => s !== '');
}

function get(node: unknown, key: string): unknown {
  return isMap(node) ? node.get(key, true) : undefined;
}

/** Setup-step versions of every job; unreadable YAML gives none (the workflow is also a source change). */
export function workflowPins(text: string): LockedPackage[] {
  let root: Node | null;
  try {
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0) return [];
    root = doc.contents;
  } catch {
    return [];
  }
  const jobs = get(root, 'jobs');
  if (!isMap(jobs)) return [];
  const pins: LockedPackage[] = [];
  for (const pair of jobs.items) {
    const job = written(pair.key) ?? '';
    const matrix = get(get(pair.value, 'strategy'), 'matrix');
    const steps = get(pair.value, 'steps');
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      const uses = written(get(step, 'uses')) ?? '';
      const setup = SETUPS.find(s => uses.startsWith(`${s.action}@`) || uses === s.action);
      if (!setup) continue;
      for (const raw of valuesOf(get(get(step, 'with'), setup.input))) {
        const expression = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(raw);
        const versions = expression ? valuesOf(get(matrix, expression[1] ?? '')) : [raw];
        // CI installs it to test with: it is what the tests ran on, not what production runs.
        for (const version of versions) pins.push({ name: setup.runtime, version, direct: true, dev: true, installPath: `job ${job}`, facts: {} });
      }
    }
  }
  return pins;
}
