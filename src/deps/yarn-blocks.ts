import { isBerry } from '../lockfiles/yarn-detect.js';
import { parseYarnClassic } from '../lockfiles/yarn-classic.js';
import { changedBlocks, copiesOfPackages, type BlockSyntax, type Copies, type LinePlace, type Side } from './text-blocks.js';

// A yarn 1 lockfile is a list of blocks, each a header line (`"a@^1", a@~2:`) and its indented fields. The parser
// reads each block on its own (no field carries over a header, blank lines and comments count nowhere), so a run of
// whole blocks parsed alone gives exactly the copies it gives inside the file. A berry file, a byte-order mark or an
// indented line above every header leaves the revision to a full parse.

const isNeutral = (line: string): boolean => {
  const trimmed = line.trimStart();
  return trimmed === '' || trimmed === '\r' || trimmed.startsWith('#');
};
const isHeader = (line: string): boolean => line.length > 0 && line.charCodeAt(0) !== 32 && line.charCodeAt(0) !== 9 && !isNeutral(line);

const yarnSyntax: BlockSyntax = {
  opensBlock: isHeader,
  place(lines, n): LinePlace {
    let head = n;
    while (head >= 0 && !isHeader(lines[head] ?? '')) head--;
    if (head < 0) {
      // Above the first header only blank lines and comments count for nothing; an indented field there is refused
      // by the parser, and only a full parse can say what the file is.
      for (let k = 0; k <= n; k++) if (!isNeutral(lines[k] ?? '')) return undefined;
      return null;
    }
    let end = head + 1;
    while (end < lines.length && !isHeader(lines[end] ?? '')) end++;
    return [head, end];
  },
  read(before: Side, after: Side) {
    const removed = copiesOf(before);
    const added = copiesOf(after);
    return removed && added ? { removed, added } : undefined;
  },
};

function copiesOf(side: Side): Copies | undefined {
  const parsed = parseYarnClassic(side.lines.slice(side.start, side.end).join('\n'), 'yarn.lock');
  return parsed.ok ? copiesOfPackages(parsed.value.packages) : undefined;
}

/** What the changed blocks of a yarn 1 lockfile held before and hold after, or undefined when the text cannot decide. */
export function changedYarnBlocks(oldText: string, newText: string): { removed: Copies; added: Copies } | undefined {
  if (oldText.charCodeAt(0) === 0xfeff || newText.charCodeAt(0) === 0xfeff || isBerry(oldText) || isBerry(newText)) return undefined;
  return changedBlocks(oldText, newText, yarnSyntax);
}
