// Alpine package versions as apk-tools orders them (https://wiki.alpinelinux.org/wiki/APKBUILD_Reference#pkgver):
// numbers.numbers[letter][_suffix[n]...][~hash][-rN]; _alpha < _beta < _pre < _rc < none < _cvs < _svn < _git < _hg < _p.
import type { VersionScheme } from './scheme.js';
import { classifyByParts, compareUnreadable } from './parts.js';

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const NONE = SUFFIXES.indexOf('');

interface ApkVersion { numbers: number[]; letter: string; suffixes: [number, number][]; revision: number }

function parse(v: string): ApkVersion | undefined {
  const m = /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:~[0-9a-f]+)?(?:-r(\d+))?$/.exec(v.trim());
  if (!m) return undefined;
  const suffixes: [number, number][] = [...(m[3] ?? '').matchAll(/_([a-z]+)(\d*)/g)].map(s => [SUFFIXES.indexOf(s[1] ?? ''), Number(s[2] || 0)]);
  return { numbers: (m[1] ?? '').split('.').map(Number), letter: m[2] ?? '', suffixes, revision: Number(m[4] ?? 0) };
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

export function compareApk(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return compareUnreadable(pa !== undefined, pb !== undefined, a, b);
  for (let i = 0; i < Math.max(pa.numbers.length, pb.numbers.length); i++) {
    // 1.2 < 1.2.0 < 1.2.1: a missing component sorts first.
    const x = pa.numbers[i];
    const y = pb.numbers[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    if (x !== y) return sign(x - y);
  }
  if (pa.letter !== pb.letter) return pa.letter < pb.letter ? -1 : 1;
  for (let i = 0; i < Math.max(pa.suffixes.length, pb.suffixes.length); i++) {
    const [ka, na] = pa.suffixes[i] ?? [NONE, 0];
    const [kb, nb] = pb.suffixes[i] ?? [NONE, 0];
    if (ka !== kb) return sign(ka - kb);
    if (na !== nb) return sign(na - nb);
  }
  return sign(pa.revision - pb.revision) || (a < b ? -1 : a > b ? 1 : 0);
}

export const apkVersions: VersionScheme = {
  compare: compareApk,
  classify(from, to) {
    const b = parse(to);
    if (!parse(from) || !b) return 'other';
    return classifyByParts(compareApk(from, to), false, from, to, b.suffixes.some(([k]) => k < NONE));
  },
  normalizeName: name => name,
};
