import type { Reason } from '../types.js';
import { plural } from './text.js';

// The one place where reason records become sentences. Every format shares it.

type Args = Record<string, string | number>;
const text = (a: Args, k: string): string => String(a[k] ?? '');

const templates: Record<string, (a: Args) => string> = {
  'dep-added': a => `newly added dependency (${text(a, 'to')}): new code in the process`,
  'dep-removed': a => `removed dependency (was ${text(a, 'from')})`,
  'dep-major': a => `major upgrade ${text(a, 'from')} -> ${text(a, 'to')}: breaking changes allowed`,
  // Below 1.0, semver lets a minor release break anything: saying "new features" would understate it.
  'dep-minor': a => (/^v?0\./.test(text(a, 'from')) ? `0.x minor upgrade ${text(a, 'from')} -> ${text(a, 'to')}: below 1.0 a minor release may break`
    : `minor upgrade ${text(a, 'from')} -> ${text(a, 'to')}: new features`),
  'dep-patch': a => `patch upgrade ${text(a, 'from')} -> ${text(a, 'to')}`,
  'dep-prerelease': a => `prerelease version ${text(a, 'to')}: not yet considered stable`,
  'dep-downgrade': a => `downgrade ${text(a, 'from')} -> ${text(a, 'to')}`,
  'dep-reresolved': a => `same version ${text(a, 'to')} resolved from a different source or integrity`,
  'dep-other': a => `installed versions changed (${text(a, 'from')} -> ${text(a, 'to')})`,
  'dep-direct': () => 'direct dependency: the project loads it itself',
  'dep-direct-removed': () => 'was a direct dependency',
  'dep-copies': a => (a['added'] ? `another copy installed: ${text(a, 'added')}` : `copy removed: ${text(a, 'removed')}`)
    + (a['added'] && a['removed'] ? `, copy removed: ${text(a, 'removed')}` : '') + (a['kept'] ? ` (kept: ${text(a, 'kept')})` : ''),
  'dep-transitive': () => 'transitive dependency',
  'dep-runtime': () => 'a runtime of the service (interpreter, C library, allocator, base image or its settings): every allocation goes through it',
  'dep-os-package': () => 'an OS package of the image: loaded when a library links it',
  'dep-tool': () => 'development tool (type checker, linter, test runner, bundler or stubs): never loaded by the running service',
  'dep-dev': () => 'development-only dependency: does not run in production',
  'dep-dev-bundled': a => `devDependency of a front-end app (${text(a, 'why')}): the bundler ships it`,
  'dep-library-pins': a => `pins used by this library's CI and developers, not shipped (${text(a, 'why')}): users install from its declared ranges`,
  signal: a => text(a, 'detail') || text(a, 'signal'),
  'src-lines': a => `${plural(a['added'], 'line')} added, ${text(a, 'removed')} removed`,
  'src-added-file': () => 'new file',
  'src-deleted-file': () => 'whole file deleted: code that is gone allocates nothing',
  'src-hot-path': a => `on a hot runtime path ("${text(a, 'word')}" in its name: runs per request, connection or event)`,
  'src-kind-generated': () => 'generated file (by its name or its header): rewritten by a tool, weighs almost nothing',
  'src-kind-vendored': () => 'vendored copy of another project: weighs almost nothing',
  'src-kind-test': () => 'test, fixture or benchmark: does not run in the service',
  'src-kind-docs': () => 'documentation or example: does not run in the service',
  'src-kind-tooling': () => 'CI, build or tooling file: does not run in the service',
  'src-kind-data': () => 'data, config or asset file: holds no code that allocates',
  'src-binary': () => 'binary file changed',
  'src-submodule': a => a['from'] && a['to'] ? `submodule moved ${text(a, 'from')}..${text(a, 'to')}: the code inside it was not analysed`
    : a['to'] ? `submodule added at ${text(a, 'to')}: the code inside it was not analysed` : 'submodule removed',
  'src-rename': a => `renamed from ${text(a, 'from')} (${text(a, 'similarity')}% similar)`,
  'src-removed-cleanup': a => `deleted ${text(a, 'what')} (old line ${text(a, 'line')}): cleanup code removed`,
  'src-error-handling': a => `error handling added or changed (${text(a, 'count')} line${a['count'] === 1 ? '' : 's'})`,
  'src-module-state': a => `module-level state introduced at line ${text(a, 'line')}: ${text(a, 'text')}`,
  finding: a => `${text(a, 'rule')} (${text(a, 'severity')}) at line ${text(a, 'line')}: ${text(a, 'message')}`,
  'finding-ignored': a => `${text(a, 'rule')} at line ${text(a, 'line')} acknowledged in code: ${text(a, 'reason')}`,
  evidence: a => `runtime evidence: ${text(a, 'detail')}`,
};

export function describeReason(reason: Reason): string {
  const template = templates[reason.id];
  if (template) return template(reason.args);
  const detail = reason.args['detail'];
  return detail !== undefined ? String(detail) : reason.id;
}
