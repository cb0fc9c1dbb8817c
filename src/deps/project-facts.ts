import picomatch from 'picomatch';
import type { DependencyChange, RepoReader, Sha } from '../types.js';
import { DEPLOY_FILES, projectContextOf, type ProjectContext } from './project-kind.js';

// The I/O half of project-kind.ts: reads, at `to`, the few files beside each changed lockfile that say what the
// repository builds. One context per lockfile path.

const MAX_WORKSPACE_MANIFESTS = 60;

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

/** 'a/b/' -> ['a/b/', 'a/', '']. */
function ancestorsOf(dir: string): string[] {
  const out = [dir];
  for (let d = dir; d !== ''; out.push(d)) d = dirOf(d.slice(0, -1));
  return out;
}

function workspaceGlobs(packageJson: string | undefined, pnpmWorkspace: string | undefined): string[] {
  const globs: string[] = [];
  try {
    const pkg = packageJson === undefined ? undefined : JSON.parse(packageJson) as { workspaces?: unknown };
    const ws = pkg?.workspaces;
    const list = Array.isArray(ws) ? ws : typeof ws === 'object' && ws !== null ? (ws as { packages?: unknown }).packages : undefined;
    if (Array.isArray(list)) for (const g of list) if (typeof g === 'string') globs.push(g);
  } catch { /* an unreadable package.json decides nothing */ }
  // pnpm-workspace.yaml: `packages:` then `- 'glob'` lines; a line reader is enough for this one list.
  let inPackages = false;
  for (const line of (pnpmWorkspace ?? '').split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) { inPackages = true; continue; }
    if (inPackages && /^\S/.test(line)) inPackages = false;
    const item = inPackages ? /^\s+-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line)?.[1] : undefined;
    if (item && !item.startsWith('!')) globs.push(item);
  }
  return globs;
}

export async function readProjectContexts(reader: RepoReader, to: Sha, changes: readonly DependencyChange[]): Promise<Map<string, ProjectContext>> {
  const lockfiles = [...new Map(changes.map(c => [c.lockfile, c.ecosystem])).entries()];
  const out = new Map<string, ProjectContext>();
  if (lockfiles.length === 0) return out;
  const files = await reader.listFiles(to);
  const present = new Set(files);
  for (const [lockfile, ecosystem] of lockfiles) {
    const dir = dirOf(lockfile);
    // The nearest one from the lockfile's folder up to the root (requirements/ci.txt belongs to ../pyproject.toml).
    const near = (name: string): string | undefined => ancestorsOf(dir).map(d => d + name).find(p => present.has(p));
    const deployFile = DEPLOY_FILES.map(near).find(p => p !== undefined);
    if (ecosystem === 'npm') {
      const manifestPath = present.has(`${dir}package.json`) ? `${dir}package.json` : undefined;
      const packageJson = manifestPath ? await reader.readFile(to, manifestPath) : undefined;
      const globs = workspaceGlobs(packageJson, present.has(`${dir}pnpm-workspace.yaml`) ? await reader.readFile(to, `${dir}pnpm-workspace.yaml`) : undefined);
      const isMember = globs.length > 0 ? picomatch(globs.map(g => `${dir}${g.replace(/\/$/, '')}/package.json`)) : undefined;
      const memberPaths = isMember ? files.filter(f => f.endsWith('/package.json') && !f.includes('node_modules/') && isMember(f)).slice(0, MAX_WORKSPACE_MANIFESTS) : [];
      const members = memberPaths.length > 0 ? [...(await reader.readFiles(to, memberPaths)).values()].filter((t): t is string => t !== undefined) : [];
      out.set(lockfile, projectContextOf({ ecosystem, ...(packageJson !== undefined ? { packageJson } : {}), workspacePackageJsons: members, ...(deployFile ? { deployFile } : {}) }));
    } else if (ecosystem === 'pypi') {
      const pyprojectPath = near('pyproject.toml');
      const pyproject = pyprojectPath ? await reader.readFile(to, pyprojectPath) : undefined;
      out.set(lockfile, projectContextOf({ ecosystem, ...(pyproject !== undefined ? { pyproject } : {}), setupPy: near('setup.py') !== undefined,
        ...(deployFile ? { deployFile } : {}) }));
    }
  }
  return out;
}
