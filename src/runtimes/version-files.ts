// The version files of version managers: nvm (.nvmrc), nodenv/fnm/volta-compatible (.node-version),
// pyenv (.python-version) and asdf/mise (.tool-versions, https://asdf-vm.com/manage/configuration.html).
import type { LockedPackage } from '../types.js';

/** asdf spells some tools differently from what they are. */
const TOOL_NAMES: Record<string, string> = { nodejs: 'node', node: 'node', python: 'python', golang: 'go', ruby: 'ruby' };

function pin(name: string, version: string): LockedPackage {
  // nvm accepts v20.11.1 and 20.11.1 for one version.
  return { name, version: version.replace(/^v(?=\d)/, ''), direct: true, dev: false, facts: {} };
}

const meaningful = (text: string): string[] => text.split(/\r?\n/).map(l => l.replace(/#.*$/, '').trim()).filter(l => l !== '');

/** `.nvmrc` / `.node-version`: one version (or alias such as lts/iron) on the first line. */
export function nodeVersionFilePins(text: string): LockedPackage[] {
  const [first] = meaningful(text);
  return first ? [pin('node', first.split(/\s+/)[0] ?? first)] : [];
}

/** `.python-version`: one version per line; pyenv puts every listed one on PATH, the first wins for `python`. */
export function pythonVersionFilePins(text: string): LockedPackage[] {
  return meaningful(text).map((line, index) => ({ ...pin('python', line), installPath: `line ${index + 1}` }));
}

/** `.tool-versions`: `<tool> <version> [fallback versions...]`; the first version is the one used. */
export function toolVersionsPins(text: string): LockedPackage[] {
  const pins: LockedPackage[] = [];
  for (const line of meaningful(text)) {
    const [tool, version] = line.split(/\s+/);
    if (!tool || !version) continue;
    pins.push(pin(TOOL_NAMES[tool] ?? tool, version));
  }
  return pins;
}
