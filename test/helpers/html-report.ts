import type { Report } from '../../src/report/model.js';

// Hand-built Reports for the HTML reporter's tests: every repository value that reaches the page is
// hostile somewhere here, and window.__pwned is set if any of it ever runs.

export const HOSTILE = {
  subject: '<script>window.__pwned=1</script>',
  image: '<img src=x onerror=window.__pwned=1>',
  path: 'src/"><img src=x onerror=window.__pwned=1>.js',
  pkg: '</script><script>window.__pwned=1</script>',
  author: 'Mallory <mallory@example.com> & "friends"',
  ref: 'v1.0.0"><script>window.__pwned=1</script>',
} as const;

const sha = (n: number): string => n.toString(16).padStart(2, '0').repeat(20);

const SUBJECTS = [
  'Initial cache layer',
  HOSTILE.subject,
  'Bump sharp to 0.33.1',
  HOSTILE.image,
  'Add request registry',
  'Refactor error handling',
  'Update lockfile for ws',
  'Docs: explain tuning',
  'Remove listener cleanup',
  'Tweak CI',
];

export function sampleReport(): Report {
  const commits = SUBJECTS.map((subject, i) => ({
    sha: sha(i + 1),
    subject,
    author: i === 1 ? HOSTILE.author : 'Ada Lovelace',
    date: `2024-03-${String(i + 1).padStart(2, '0')}T12:00:00Z`,
    risk: [0.1, 0.35, 0.7, 0.05, 0.88, 0.4, 0.62, 0.02, 0.91, 0.0][i] ?? 0,
  }));
  return {
    schemaVersion: 1,
    tool: { name: 'reldiff', version: '0.0.0' },
    from: { ref: 'v1.0.0', commit: sha(100) },
    to: { ref: 'v1.1.0', commit: sha(101) },
    commits,
    dependencies: [
      { ecosystem: 'npm', lockfile: 'package-lock.json', name: 'sharp', from: '0.32.6', to: '0.33.1', fromVersions: ['0.32.6'], toVersions: ['0.33.1'], change: 'minor', direct: true, dev: false,
        signals: [{ id: 'native-code', detail: 'ships a prebuilt binary <b>libvips</b>' }], commits: [sha(3)] },
      { ecosystem: 'npm', lockfile: 'package-lock.json', name: HOSTILE.pkg, from: null, to: '1.0.0', fromVersions: [], toVersions: ['1.0.0'], change: 'added', direct: false, dev: false,
        signals: [{ id: 'install-script', detail: HOSTILE.image }], commits: [sha(7)] },
      { ecosystem: 'npm', lockfile: 'package-lock.json', name: 'ws', from: '8.16.0', to: '8.17.1', fromVersions: ['8.16.0'], toVersions: ['8.17.1'], change: 'patch', direct: true, dev: false,
        signals: [], commits: [sha(7)] },
      { ecosystem: 'pypi', lockfile: 'services/api/requirements.txt', name: 'redis', from: '4.6.0', to: '5.0.1', fromVersions: ['4.6.0'], toVersions: ['5.0.1'], change: 'major', direct: true, dev: false,
        signals: [], commits: [sha(3)] },
    ],
    findings: [
      { rule: 'module-level-exception-instance', severity: 'high', file: 'src/errors.py', line: 12,
        message: 'BAD is created once at import time and raised from a function', commits: [sha(6)],
        excerpt: { start: 10, lines: ['BAD = ValueError("</pre><script>window.__pwned=1</script>")', '', 'def handle(r):', '    raise BAD'] } },
      { rule: 'unbounded-cache', severity: 'critical', file: 'src/cache.ts', line: 3, message: `cache ${HOSTILE.subject} grows forever`, commits: [sha(5), sha(9)] },
      { rule: 'listener-without-removal', severity: 'medium', file: HOSTILE.path, line: 40, message: 'listener added per request', commits: [sha(9)],
        ignored: 'reviewed <b>ok</b>' },
    ],
    ranking: [
      { rank: 1, id: 'source:src/cache.ts', kind: 'source', score: 0.93, level: 'critical', title: 'src/cache.ts',
        reasons: ['unbounded-cache finding (critical)', 'module-level state introduced'], file: 'src/cache.ts', commits: [sha(5), sha(9)] },
      { rank: 2, id: 'dep:npm:sharp', kind: 'dependency', score: 0.71, level: 'high', title: 'sharp 0.32.6 → 0.33.1',
        reasons: ['native code', 'direct dependency'], dependency: { ecosystem: 'npm', name: 'sharp', lockfile: 'package-lock.json' }, commits: [sha(3)] },
      { rank: 3, id: 'source:src/errors.py', kind: 'source', score: 0.64, level: 'high', title: 'src/errors.py',
        reasons: ['module-level-exception-instance finding (high)'], file: 'src/errors.py', commits: [sha(6)] },
      { rank: 4, id: 'dep:npm:hostile', kind: 'dependency', score: 0.45, level: 'medium', title: `${HOSTILE.pkg} added`,
        reasons: [`install script: ${HOSTILE.image}`], dependency: { ecosystem: 'npm', name: HOSTILE.pkg, lockfile: 'package-lock.json' }, commits: [sha(7)],
        acknowledged: { reason: 'vendored <i>fork</i>', until: '2099-01-01' } },
      { rank: 5, id: 'dep:pypi:redis', kind: 'dependency', score: 0.38, level: 'medium', title: 'redis 4.6.0 → 5.0.1',
        reasons: ['major version jump'], dependency: { ecosystem: 'pypi', name: 'redis', lockfile: 'services/api/requirements.txt' }, commits: [sha(3)] },
      { rank: 6, id: `source:${HOSTILE.path}`, kind: 'source', score: 0.2, level: 'low', title: HOSTILE.path,
        reasons: ['listener-without-removal finding (medium), ignored'], file: HOSTILE.path, commits: [sha(9)] },
      { rank: 7, id: 'dep:npm:ws', kind: 'dependency', score: 0.12, level: 'low', title: 'ws 8.16.0 → 8.17.1',
        reasons: ['patch update'], dependency: { ecosystem: 'npm', name: 'ws', lockfile: 'package-lock.json' }, commits: [sha(7)] },
      { rank: 8, id: 'source:docs/tuning.md', kind: 'source', score: 0.01, level: 'low', title: 'docs/tuning.md',
        reasons: [], file: 'docs/tuning.md', commits: [sha(8)] },
    ],
    bisect: {
      testFirst: [sha(9), sha(5), sha(3)],
      commands: [`git bisect start ${sha(101)} ${sha(100)}`, 'git bisect run npm test -- "<leak>"'],
    },
    warnings: [`could not read ${HOSTILE.path}: binary`],
    bisectRun: {
      firstBad: sha(5),
      steps: 3,
      tested: [{ sha: sha(9), result: 'bad', step: 1 }, { sha: sha(5), result: 'bad', step: 2 }, { sha: sha(4), result: 'good', step: 3 }],
      posterior: commits.map(c => ({ sha: c.sha, probability: c.sha === sha(5) ? 0.97 : 0.03 / 9 })),
      history: [
        commits.map(() => 0.1),
        commits.map((_, i) => (i < 9 ? 1 / 9 : 0)),
        commits.map((_, i) => (i >= 4 && i < 9 ? 0.2 : 0)),
        commits.map((_, i) => (i === 4 ? 0.97 : i < 9 && i > 4 ? 0.0075 : 0)),
      ],
    },
    probe: {
      verdict: 'leak',
      intervalMs: 500,
      warmupMs: 2000,
      samples: Array.from({ length: 21 }, (_, i) => [i * 500, 80 + i * 1.5 + (i % 3) * 0.4] as [number, number]),
      slopeMbPerMin: 180,
      interceptMb: 80.2,
    },
  };
}

/** The smallest valid report: nothing changed. */
export function emptyReport(): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'reldiff', version: '0.0.0' },
    from: { ref: 'v1.0.0', commit: sha(100) },
    to: { ref: 'v1.0.0', commit: sha(100) },
    commits: [],
    dependencies: [],
    findings: [],
    ranking: [],
    bisect: { testFirst: [], commands: [] },
    warnings: [],
  };
}
