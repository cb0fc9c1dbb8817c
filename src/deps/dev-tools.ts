// Packages that run beside a project, never inside it: type checkers, linters, formatters, test runners, build
// and release tooling, type stubs. A lockfile (or a requirements file, which has no dev section at all) may list
// them as direct dependencies, yet the running service never loads them, so "the project loads it itself" would
// be wrong. Bundlers are here too: they produce what ships but are not part of it.

const TOOLS = new Set([
  // Python
  'mypy', 'pyright', 'pytype', 'pyre-check', 'ruff', 'black', 'isort', 'flake8', 'pylint', 'pycodestyle', 'pydocstyle',
  'pyflakes', 'autopep8', 'yapf', 'bandit', 'pre-commit', 'pytest', 'pytest-cov', 'pytest-xdist', 'pytest-asyncio',
  'pytest-mock', 'pytest-django', 'pytest-timeout', 'coverage', 'tox', 'nox', 'hypothesis', 'sphinx', 'mkdocs',
  'mkdocs-material', 'twine', 'build', 'wheel', 'setuptools-scm', 'hatch', 'flit', 'pip-tools', 'bump2version',
  'codespell', 'django-stubs', 'ipython', 'ipdb', 'pdbpp', 'faker', 'factory-boy', 'freezegun', 'responses', 'respx',
  'vcrpy', 'moto', 'locust', 'towncrier', 'commitizen', 'safety', 'pip-audit', 'vulture', 'interrogate',
  // JavaScript
  'typescript', 'eslint', 'prettier', 'tslint', 'stylelint', 'jest', 'vitest', 'mocha', 'chai', 'sinon', 'ava', 'tap',
  'nyc', 'c8', 'karma', 'jasmine', 'cypress', 'playwright', '@playwright/test', 'puppeteer', 'webpack', 'webpack-cli',
  'vite', 'rollup', 'esbuild', 'parcel', 'turbo', 'nx', 'lerna', 'husky', 'lint-staged', '@commitlint/cli',
  'semantic-release', '@changesets/cli', 'ts-node', 'tsx', 'nodemon', 'ts-jest', 'babel-jest', '@babel/core',
  '@babel/cli', '@swc/cli', 'storybook', '@storybook/react', 'rimraf', 'cross-env', 'npm-run-all', 'concurrently',
  'typedoc', 'tsup', 'unbuild', 'knip', 'depcheck', '@biomejs/biome', 'oxlint', 'size-limit', 'np', 'release-it',
]);

/** Type stubs and tool plugins by naming convention. */
const TOOL_PATTERN = /^(@types\/|types-|eslint-(plugin|config)-|@typescript-eslint\/|@eslint\/|prettier-plugin-|stylelint-(config|plugin)-|pytest-|flake8-|mypy-|@vitest\/|@jest\/|jest-|@testing-library\/|@storybook\/|mkdocs-|sphinx-|sphinxcontrib-)/i;

export function isDevTool(name: string): boolean {
  return TOOLS.has(name.toLowerCase()) || TOOL_PATTERN.test(name);
}
