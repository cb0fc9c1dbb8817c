import { basename, sortPackages } from '../lockfiles/util.js';
import type { DependencySet, LockedPackage } from '../types.js';
import { dockerfilePins } from './dockerfile.js';
import { packageJsonPins, pnpmRuntimePins, pyprojectPins } from './manifests.js';
import { nodeVersionFilePins, pythonVersionFilePins, toolVersionsPins } from './version-files.js';
import { workflowPins } from './workflows.js';

// Which repository files name a runtime, and the runtimes each one names: a set of ecosystem `runtime` per file.

type Reader = (text: string) => LockedPackage[];

function readerFor(path: string): Reader | undefined {
  const name = basename(path);
  if (/^(Dockerfile|Containerfile)(\..+)?$/i.test(name) || /\.(dockerfile|containerfile)$/i.test(name)) return dockerfilePins;
  if (name === '.nvmrc' || name === '.node-version') return nodeVersionFilePins;
  if (name === '.python-version') return pythonVersionFilePins;
  if (name === '.tool-versions') return toolVersionsPins;
  if (name === 'package.json' && !/(^|\/)node_modules\//.test(path)) return packageJsonPins;
  if (name === 'pyproject.toml') return pyprojectPins;
  if (name === 'pnpm-lock.yaml') return pnpmRuntimePins;
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return workflowPins;
  return undefined;
}

export function isRuntimeFile(path: string): boolean {
  return readerFor(path) !== undefined;
}

/** The runtimes a file pins, as a dependency set (empty when the file names none or cannot be read). */
export function readRuntimePins(path: string, text: string): DependencySet {
  const read = readerFor(path);
  return { format: 'runtime-pins', ecosystem: 'runtime', path, packages: read ? sortPackages(read(text)) : [] };
}
