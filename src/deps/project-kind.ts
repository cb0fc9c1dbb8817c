import { parse } from 'smol-toml';
import type { Ecosystem } from '../types.js';

// Which pins ship depends on what the repository builds. A library's lockfile (and its requirements/constraints
// files) pin what its own CI and developers install; its users get versions from the ranges in its package
// metadata, so a bump there never reaches them. A front-end application bundles everything it imports, so its
// devDependencies ship. Anything else (a service, a CLI) ships its lockfile's runtime set, as the lockfile says.

export type ProjectKind = 'library' | 'frontend-app' | 'service';

export interface ProjectContext {
  kind: ProjectKind;
  /** What in the repository decided it, for the reason text ("package.json has exports and is not private"). */
  why: string;
}

/** The files near a lockfile that decide its kind, read at `to` by the caller (I/O stays at the edge). */
export interface ProjectFacts {
  ecosystem: Ecosystem;
  packageJson?: string;
  /** package.json texts of the workspace members, when the root declares workspaces. */
  workspacePackageJsons?: readonly string[];
  pyproject?: string;
  setupPy?: boolean;
  /** Files that say the repository is deployed as a service: Dockerfile, Procfile, manage.py, app.yaml... */
  deployFile?: string;
}

const BUNDLERS = ['vite', 'webpack', 'next', 'react-scripts', '@vue/cli-service', 'nuxt', 'parcel', '@angular/cli',
  '@angular-devkit/build-angular', 'rollup', 'esbuild', '@sveltejs/kit', 'astro', 'gatsby', '@remix-run/dev', 'rspack',
  '@rspack/core', 'turbopack', 'ember-cli', 'umi', 'quasar', '@quasar/app-vite'];
const SERVER_ONLY = ['express', 'koa', 'fastify', '@nestjs/core', '@hapi/hapi', 'restify'];

type Json = Record<string, unknown>;

function parseJson(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : undefined;
  } catch {
    return undefined;
  }
}

const names = (record: unknown): string[] => (typeof record === 'object' && record !== null ? Object.keys(record) : []);

/** Published as a package: not private, and it says what importers get (main, exports, module, types or bin). */
function isPublishedPackage(pkg: Json): boolean {
  return pkg['private'] !== true && ['main', 'exports', 'module', 'types', 'typings', 'bin'].some(k => pkg[k] !== undefined);
}

function npmContext(facts: ProjectFacts): ProjectContext {
  const pkg = parseJson(facts.packageJson);
  if (!pkg) return { kind: 'service', why: 'no package.json beside the lockfile' };
  if (isPublishedPackage(pkg)) return { kind: 'library', why: 'package.json is a published package (not private, has an entry point)' };
  const members = (facts.workspacePackageJsons ?? []).map(parseJson).filter((p): p is Json => p !== undefined);
  const published = members.filter(isPublishedPackage).length;
  const deps = [...names(pkg['dependencies']), ...names(pkg['devDependencies']), ...members.flatMap(m => [...names(m['dependencies']), ...names(m['devDependencies'])])];
  // A monorepo of libraries: most of its workspaces are published packages.
  if (members.length > 0 && published * 2 > members.length) {
    return { kind: 'library', why: `${published} of ${members.length} workspace packages are published libraries` };
  }
  const bundler = BUNDLERS.find(b => deps.includes(b));
  const hasEntry = ['main', 'exports', 'bin'].some(k => pkg[k] !== undefined);
  if (bundler && !hasEntry && !facts.deployFile && !SERVER_ONLY.some(s => deps.includes(s))) {
    return { kind: 'frontend-app', why: `a private app built with ${bundler}` };
  }
  return { kind: 'service', why: facts.deployFile ? `deployed (${facts.deployFile})` : 'an application (private, no published entry point)' };
}

function pythonContext(facts: ProjectFacts): ProjectContext {
  if (facts.deployFile) return { kind: 'service', why: `deployed (${facts.deployFile})` };
  let table: Json | undefined;
  try {
    table = facts.pyproject === undefined ? undefined : parse(facts.pyproject) as Json;
  } catch {
    table = undefined;
  }
  const tool = (table?.['tool'] ?? {}) as Json;
  const poetry = (tool['poetry'] ?? {}) as Json;
  const uv = (tool['uv'] ?? {}) as Json;
  // Tools' own switches for "this is an application, not a package".
  if (poetry['package-mode'] === false || uv['package'] === false) return { kind: 'service', why: 'pyproject.toml says it is not a package' };
  const project = (table?.['project'] ?? {}) as Json;
  const hasBuild = table?.['build-system'] !== undefined;
  if (hasBuild && (typeof project['name'] === 'string' || typeof poetry['name'] === 'string')) {
    return { kind: 'library', why: 'pyproject.toml builds a distributable package' };
  }
  if (facts.setupPy) return { kind: 'library', why: 'setup.py builds a distributable package' };
  return { kind: 'service', why: 'no package metadata' };
}

export function projectContextOf(facts: ProjectFacts): ProjectContext {
  if (facts.ecosystem === 'npm') return npmContext(facts);
  if (facts.ecosystem === 'pypi') return pythonContext(facts);
  return { kind: 'service', why: '' };
}

/** Files whose presence says the repository runs as a deployed service. */
// Compose files are left out: libraries keep them to start databases for their own tests.
export const DEPLOY_FILES = ['Dockerfile', 'Procfile', 'manage.py', 'app.yaml', 'fly.toml', 'render.yaml', 'serverless.yml', 'Chart.yaml'];
