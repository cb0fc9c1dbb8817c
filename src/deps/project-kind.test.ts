import { describe, expect, it } from 'vitest';
import { projectContextOf } from './project-kind.js';

const json = (value: object): string => JSON.stringify(value);

describe('projectContextOf', () => {
  it('a published npm package is a library: its lockfile pins only its CI', () => {
    expect(projectContextOf({ ecosystem: 'npm', packageJson: json({ name: 'left-pad', version: '1.0.0', main: 'index.js' }) }).kind).toBe('library');
    expect(projectContextOf({ ecosystem: 'npm', packageJson: json({ name: 'x', private: true, main: 'index.js' }) }).kind).toBe('service');
  });

  it('a private monorepo root whose workspaces are published libraries is a library', () => {
    const members = [json({ name: '@l/core', main: 'dist/index.js' }), json({ name: '@l/react', exports: './dist/index.js' }), json({ name: 'playground', private: true })];
    const context = projectContextOf({ ecosystem: 'npm', packageJson: json({ private: true, workspaces: ['packages/*'], devDependencies: { rollup: '4' } }), workspacePackageJsons: members });
    expect(context).toEqual({ kind: 'library', why: '2 of 3 workspace packages are published libraries' });
  });

  it('a private app built by a bundler is a front-end app; with a server or a Dockerfile it is a service', () => {
    const app = json({ name: 'web', private: true, devDependencies: { vite: '5', vue: '3' } });
    expect(projectContextOf({ ecosystem: 'npm', packageJson: app })).toEqual({ kind: 'frontend-app', why: 'a private app built with vite' });
    expect(projectContextOf({ ecosystem: 'npm', packageJson: app, deployFile: 'Dockerfile' }).kind).toBe('service');
    expect(projectContextOf({ ecosystem: 'npm', packageJson: json({ private: true, dependencies: { express: '4' }, devDependencies: { webpack: '5' } }) }).kind).toBe('service');
  });

  it('a Python project that builds a distribution is a library, unless it says it is not a package or is deployed', () => {
    const lib = '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "httpish"\n';
    expect(projectContextOf({ ecosystem: 'pypi', pyproject: lib }).kind).toBe('library');
    expect(projectContextOf({ ecosystem: 'pypi', pyproject: lib, deployFile: 'Dockerfile' }).kind).toBe('service');
    expect(projectContextOf({ ecosystem: 'pypi', pyproject: '[tool.poetry]\nname = "svc"\npackage-mode = false\n[build-system]\nrequires = []\n' }).kind).toBe('service');
    expect(projectContextOf({ ecosystem: 'pypi', setupPy: true }).kind).toBe('library');
    expect(projectContextOf({ ecosystem: 'pypi' }).kind).toBe('service');
    expect(projectContextOf({ ecosystem: 'pypi', pyproject: 'not [valid' }).kind).toBe('service');
  });
});
