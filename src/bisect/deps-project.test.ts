import { describe, expect, it } from 'vitest';
import { isInstallableProject, projectDirs, uvProjectDirs } from './deps-project.js';

const backend = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n';

describe('isInstallableProject', () => {
  it('takes a pyproject.toml that names a build backend, unless its tool turns packaging off', () => {
    expect(isInstallableProject(`[project]\nname = "a"\n${backend}`)).toBe(true);
    expect(isInstallableProject(`[tool.poetry]\nname = "a"\n${backend}`)).toBe(true);
    expect(isInstallableProject(`[tool.poetry]\npackage-mode = false\n${backend}`)).toBe(false);
    expect(isInstallableProject(`[tool.pdm]\ndistribution = false\n${backend}`)).toBe(false);
    expect(isInstallableProject(`[tool.uv]\npackage = false\n${backend}`)).toBe(false);
  });
  it('leaves out a project with no backend, no pyproject.toml, or one that is not TOML', () => {
    expect(isInstallableProject('[project]\nname = "a"\n')).toBe(false);
    expect(isInstallableProject(undefined)).toBe(false);
    expect(isInstallableProject('[build-system\n')).toBe(false);
  });
});

describe('uvProjectDirs', () => {
  it('gives the editable root and members, not a virtual root nor a path dependency outside the workspace', () => {
    const lock = `version = 1
[manifest]
members = ["App", "lib-a"]

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }

[[package]]
name = "lib_a"
version = "0.1.0"
source = { editable = "packages/lib-a" }

[[package]]
name = "vendored"
version = "1.0"
source = { editable = "../vendored" }
`;
    expect(uvProjectDirs(lock)).toEqual(['packages/lib-a']);
    expect(uvProjectDirs('version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n')).toEqual(['.']);
  });
  it('reads uv.lock for uv and pyproject.toml for the other locks', () => {
    expect(projectDirs('uv.lock', 'version = 1\n', backend)).toEqual([]);
    expect(projectDirs('services/api/poetry.lock', '', backend)).toEqual(['.']);
    expect(projectDirs('requirements.txt', 'a==1\n', undefined)).toEqual([]);
  });
});
