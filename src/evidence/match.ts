import type { Report, ReportRankingItem } from '../report/model.js';
import type { EvidenceEntry } from './types.js';

// From runtime evidence to ranking items. Only what the report itself says is used: file paths of source
// items and findings, package names of dependency items, and words in titles and reasons.

export type MatchStrength = 'line' | 'file' | 'package' | 'type' | 'inferred';

export interface EvidenceMatch { itemId: string; entry: EvidenceEntry; strength: MatchStrength; note: string }

/** Types every program allocates: their growth says "something leaks", not what. */
const GENERIC_TYPES = new Set(['dict', 'list', 'tuple', 'set', 'frozenset', 'str', 'bytes', 'bytearray', 'int', 'float',
  'function', 'method', 'builtin_function_or_method', 'cell', 'weakref', 'type', 'module', 'getset_descriptor',
  'wrapper_descriptor', 'method_descriptor', 'member_descriptor', 'property', 'staticmethod', 'classmethod', 'code',
  'traceback', 'frame', 'coroutine', 'generator', 'memoryview', 'object', 'Object', 'Array', 'Map', 'Set', 'Function',
  'Closure', 'closure', 'string', 'number', 'Promise', 'ArrayBuffer', 'Uint8Array', 'Buffer']);

/** Growth of these is what a raised exception kept alive (traceback -> frames -> locals). */
const EXCEPTION_TYPES = new Set(['traceback', 'frame']);

/** Import names whose distribution is named differently on PyPI. */
const PYPI_ALIASES: Record<string, string> = { pil: 'pillow', yaml: 'pyyaml', cv2: 'opencv-python', sklearn: 'scikit-learn',
  bs4: 'beautifulsoup4', dateutil: 'python-dateutil', google: 'protobuf', jwt: 'pyjwt', attr: 'attrs', magic: 'python-magic' };

function normalisePypi(name: string): string {
  const lower = name.toLowerCase().replace(/[_.]+/g, '-');
  return PYPI_ALIASES[lower] ?? lower;
}

export function packageOfPath(path: string): { ecosystem: 'npm' | 'pypi'; name: string } | undefined {
  const p = path.replace(/\\/g, '/');
  const npm = [...p.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].at(-1);
  if (npm?.[1]) return { ecosystem: 'npm', name: npm[1] };
  const py = /(?:site|dist)-packages\/([^/]+?)(?:\.py)?(?:\/|$)/.exec(p);
  if (py?.[1] && !py[1].endsWith('.dist-info')) return { ecosystem: 'pypi', name: normalisePypi(py[1]) };
  return undefined;
}

function isSameFile(evidencePath: string, repoPath: string): boolean {
  const e = evidencePath.replace(/\\/g, '/').replace(/^\.\//, '');
  return e === repoPath || e.endsWith(`/${repoPath}`);
}

function escapeRegExp(text: string): string { return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

function mentions(item: ReportRankingItem, word: string): boolean {
  const pattern = new RegExp(`(^|[^\\w])${escapeRegExp(word)}($|[^\\w])`);
  return [item.title, item.file ?? '', ...item.reasons].some(text => pattern.test(text));
}

/** Added lines per changed file, when the caller has the diff: a type can then be found where it is defined or made. */
export type AddedLines = ReadonlyMap<string, readonly string[]>;

function definesOrAllocates(lines: readonly string[], type: string): 'defines' | 'allocates' | undefined {
  const name = escapeRegExp(type);
  if (lines.some(l => new RegExp(`\\b(class|interface|struct|function|def)\\s+${name}\\b`).test(l))) return 'defines';
  if (lines.some(l => new RegExp(`\\bnew\\s+${name}\\b|(^|[^\\w.])${name}\\s*\\(`).test(l))) return 'allocates';
  return undefined;
}

export function matchEntry(report: Report, entry: EvidenceEntry, added?: AddedLines): EvidenceMatch[] {
  const out: EvidenceMatch[] = [];
  const add = (item: ReportRankingItem, strength: MatchStrength, note: string): void => { out.push({ itemId: item.id, entry, strength, note }); };
  if (entry.file) {
    const pkg = packageOfPath(entry.file);
    if (pkg) {
      for (const item of report.ranking) {
        const dep = item.dependency;
        const name = dep && (dep.ecosystem === 'pypi' ? normalisePypi(dep.name) : dep.name);
        if (dep && dep.ecosystem === pkg.ecosystem && name === pkg.name) add(item, 'package', `allocations in ${pkg.name}`);
      }
    } else {
      for (const item of report.ranking) {
        if (!item.file || !isSameFile(entry.file, item.file)) continue;
        const near = entry.line === undefined ? undefined
          : report.findings.find(f => f.file === item.file && Math.abs(f.line - (entry.line ?? 0)) <= 3);
        add(item, near ? 'line' : 'file', near ? `line ${entry.line}, next to the ${near.rule} finding at line ${near.line}` : `allocations in ${item.file}`);
      }
    }
  }
  if (entry.typeName) {
    const short = entry.typeName.split('.').at(-1) ?? entry.typeName;
    if (EXCEPTION_TYPES.has(short)) {
      const files = new Set(report.findings.filter(f => /exception|raise|error/i.test(f.rule) && !f.ignored).map(f => f.file));
      for (const item of report.ranking) {
        if (item.file && files.has(item.file)) add(item, 'inferred', `growing ${short} objects are what a long-lived exception keeps alive`);
      }
    } else if (!GENERIC_TYPES.has(short) && short.length >= 3) {
      for (const item of report.ranking) {
        const how = item.file ? definesOrAllocates(added?.get(item.file) ?? [], short) : undefined;
        if (how) add(item, 'type', `the change ${how} ${short}`);
        else if (mentions(item, short)) add(item, 'type', `the change names ${short}`);
      }
    }
  }
  return out;
}
