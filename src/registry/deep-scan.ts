import type { FileChange, Finding, LineRange, RuleSettings, Signal, SourceInput } from '../types.js';
import { diffLines } from '../util/line-diff.js';
import { changelogEntries, MAX_QUOTES, memoryQuotes } from './changelog.js';
import type { PackageTree } from './tarball.js';

// The package's own added lines, run through the same rules as the project's code.

export type AnalyzeSources = (inputs: SourceInput[], settings: RuleSettings) => Promise<{ findings: Finding[]; warnings: string[] }>;

const SOURCE = /\.(c|m)?(js|ts)x?$|\.py$/;
const GENERATED = /\.d\.(c|m)?ts$|\.min\.js$|(^|\/)(test|tests|__tests__|spec|fixtures?)\//;
/** Larger edits are rewrites or bundles; diffing them costs seconds and says little line by line. */
const MAX_EDIT = 20_000;

export interface DeepScanResult { signals: Signal[]; warnings: string[]; inputs: number }

export async function deepScan(name: string, from: string, to: string, before: PackageTree, after: PackageTree,
  analyze: AnalyzeSources | undefined, settings: RuleSettings = {}): Promise<DeepScanResult> {
  const bundles: string[] = [];
  const inputs = changedSources(name, to, before, after, bundles);
  const signals: Signal[] = [];
  const warnings: string[] = [];
  if (analyze && inputs.length > 0) {
    const result = await analyze(inputs, settings);
    // Bundled or minified files inside a package are normal; one line per package says what was not read.
    const skipped = result.warnings.filter(w => /skipped by the rule engine/.test(w));
    for (const w of result.warnings) if (!skipped.includes(w)) warnings.push(w);
    const notChecked = skipped.length + bundles.length;
    if (notChecked > 0) warnings.push(`inside ${name} ${to}: ${notChecked} file${notChecked === 1 ? '' : 's'} not checked (minified, binary or over 1 MB)`);
    const findings = [...result.findings].sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
    if (findings.length > 0) {
      const shown = findings.slice(0, 3).map(f => `${f.rule} at ${f.file.replace(`${name}@${to}/`, '')}:${f.line}: ${f.message}`);
      signals.push({
        id: 'deep-scan',
        detail: `inside ${name} ${from} -> ${to}: ${findings.length} finding${findings.length === 1 ? '' : 's'} (${shown.join('; ')}${findings.length > 3 ? '; …' : ''})`,
      });
    }
  }
  if (analyze && inputs.length === 0 && bundles.length > 0) {
    warnings.push(`inside ${name} ${to}: ${bundles.length} file${bundles.length === 1 ? '' : 's'} not checked (minified, binary or over 1 MB)`);
  }
  const changelog = changelogEntries(before, after, from, to);
  const quotes = changelog ? memoryQuotes(changelog.lines) : [];
  if (changelog && quotes.length > 0) {
    signals.push({
      id: 'changelog-memory',
      detail: `${changelog.file} of ${name} between ${from} and ${to}: ${quotes.slice(0, MAX_QUOTES).map(q => `"${q}"`).join('; ')}`,
    });
  }
  const binaries = [...after.sizes.keys()].filter(p => p.endsWith('.node') || p === 'binding.gyp').sort();
  if (binaries.length > 0) {
    const added = binaries.filter(p => !before.sizes.has(p));
    const id = added.length > 0 && added.length === binaries.length ? 'native-added' : 'native-code';
    signals.push({ id, detail: `the ${to} tarball contains ${binaries.slice(0, 3).join(', ')}${binaries.length > 3 ? `, +${binaries.length - 3} more` : ''}` });
  }
  if (after.refused.length > 0) warnings.push(`${name}@${to}: ignored ${after.refused.length} unsafe tarball entries (${after.refused.slice(0, 3).join(', ')})`);
  return { signals, warnings, inputs: inputs.length };
}

/**
 * SourceInputs named `<name>@<to>/<path>`, with the lines added since `from`. Changed bundles (told by content) are
 * not diffed: their paths go to `bundles`.
 */
export function changedSources(name: string, to: string, before: PackageTree, after: PackageTree, bundles: string[] = []): SourceInput[] {
  const inputs: SourceInput[] = [];
  for (const path of [...after.files.keys()].sort()) {
    if (!SOURCE.test(path) || GENERATED.test(path)) continue;
    const text = after.files.get(path) ?? '';
    const oldText = before.files.get(path);
    if (oldText === text) continue;
    if (isBundle(text)) {
      bundles.push(path);
      continue;
    }
    const change = fileChange(`${name}@${to}/${path}`, oldText, text);
    if (change) inputs.push({ path: change.path, text, ...(oldText !== undefined ? { oldText } : {}), change });
  }
  return inputs;
}

export function fileChange(path: string, oldText: string | undefined, text: string): FileChange | undefined {
  const patch = { hunks: diffLines(oldText ?? '', text, MAX_EDIT) };
  if (!patch.hunks) return undefined;
  const added: LineRange[] = [];
  const removed: LineRange[] = [];
  let additions = 0;
  let deletions = 0;
  for (const hunk of patch.hunks) {
    let newLine = hunk.newStart;
    let oldLine = hunk.oldStart;
    for (const line of hunk.lines) {
      if (line.startsWith('+')) { extend(added, newLine++); additions++; }
      else if (line.startsWith('-')) { extend(removed, oldLine++); deletions++; }
      else if (!line.startsWith('\\')) { newLine++; oldLine++; }
    }
  }
  const hunks = patch.hunks.map(h => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: h.lines }));
  return { path, status: oldText === undefined ? 'added' : 'modified', binary: false, additions, deletions, added, removed, hunks, commits: [] };
}

/** Past this size a file is looked at for the shape of a bundle. */
const BUNDLE_CHECK_BYTES = 32 * 1024;

/**
 * A bundled or minified file, told by content whatever its name (`dist/index.js`, `lib/browser.cjs`): written by
 * hand, code has a newline every few dozen characters; a bundler's output has lines of thousands.
 */
export function isBundle(text: string): boolean {
  if (text.length < BUNDLE_CHECK_BYTES) return false;
  let newlines = 0;
  let longest = 0;
  let from = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    newlines++;
    longest = Math.max(longest, i - from);
    from = i + 1;
  }
  longest = Math.max(longest, text.length - from);
  return text.length / (newlines + 1) > 300 || longest > 20_000;
}

function extend(ranges: LineRange[], line: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last.end === line - 1) last.end = line;
  else ranges.push({ start: line, end: line });
}
