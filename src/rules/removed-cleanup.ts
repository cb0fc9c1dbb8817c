import { escapeRegExp } from './ast.js';
import { isInRanges } from './diff-lines.js';
import type { Hit, RemovedLine, Rule, SourceFile } from './types.js';

/** A cleanup the diff can delete, and the allocation that must still be near for the deletion to matter. */
interface CleanupKind { id: string; cleanup: RegExp; allocation: RegExp }

const KINDS: readonly CleanupKind[] = [
  { id: 'listener removal', cleanup: /\b(removeListener|removeEventListener|removeAllListeners|off)\s*\([^)]*\)?/, allocation: /\.(on|addListener|addEventListener|prependListener)\s*\(/ },
  { id: 'once listener', cleanup: /\.once\s*\(|\bonce\s*:\s*true/, allocation: /\.(on|addListener|addEventListener)\s*\(/ },
  { id: 'abort signal', cleanup: /\{\s*signal\b|\bsignal\s*:/, allocation: /\.(on|addEventListener)\s*\(|\bfetch\s*\(/ },
  { id: 'clearInterval', cleanup: /\bclearInterval\s*\([^)]*\)?/, allocation: /\bsetInterval\s*\(/ },
  { id: 'clearTimeout', cleanup: /\bclearTimeout\s*\([^)]*\)?/, allocation: /\bsetTimeout\s*\(/ },
  { id: 'unsubscribe', cleanup: /\b(unsubscribe|unobserve|disconnect|dispose|removeHandler|reset)\s*\([^)]*\)?/, allocation: /\b(subscribe|observe|connect|addHandler|\.set)\s*\(|new\s+\w*Observer\b/ },
  { id: 'close', cleanup: /\.(close|destroy|end|terminate|shutdown|release)\s*\(\s*\)/, allocation: /\bopen\s*\(|connect|socket|create(Server|ReadStream|WriteStream|Connection|Pool)|Pool\s*\(|Executor\s*\(|new\s+(WebSocket|Worker)\b|acquire\s*\(/ },
  { id: 'with block', cleanup: /^\s*(async\s+)?with\s+.*\b(open|connect|socket|Pool|Executor|lock|Session)\b/, allocation: /=\s*[\w.]*(open|connect|socket|Pool|Executor|Session)\s*\(/ },
  { id: 'size bound', cleanup: /\b(maxsize|maxlen|maxSize|max)\s*[=:]\s*\d[\d_]*/, allocation: /lru_cache|deque\s*\(|LRU|Cache\b|memoize/ },
  { id: 'finally block', cleanup: /^\s*finally\s*:|\bfinally\s*\{/, allocation: /\bopen\s*\(|acquire\s*\(|connect|subscribe|\.on\s*\(|setInterval|addHandler|\.set\s*\(|\.append\s*\(|\.add\s*\(/ },
  { id: 'eviction', cleanup: /\.(delete|discard|popitem)\s*\(|\bdel\s+[\w.]+\[|\bdelete\s+[\w.]+\[/, allocation: /\.(set|add|append|push)\s*\(|\[[^\]]+\]\s*=[^=]/ },
  { id: 'weak reference', cleanup: /\b(WeakMap|WeakSet|WeakRef|WeakKeyDictionary|WeakValueDictionary|WeakSet|weakref\.\w+)\b/, allocation: /new\s+(Map|Set)\b|\bdict\s*\(|=\s*\{\s*\}|\bset\s*\(/ },
];

const WINDOW = 10;
/** Lines either side of a hit that its excerpt shows. */
const EXCERPT_CONTEXT = 2;
const isComment = (text: string): boolean => /^\s*(#|\/\/|\*|\/\*)/.test(text);
const squash = (text: string): string => text.replace(/\s+/g, '');
/** Scoped forms that release on exit: Python `with`, JS `using`, try/finally. Replacing a close() by one is a fix. */
const SCOPED = /^\s*(async\s+)?with\s|^\s*(await\s+)?using\s|\bfinally\b/;
/** Releases a scoped form can take over; a listener or timer is not released by a `with` next to it. */
const SCOPED_KINDS = new Set(['close', 'finally block', 'with block', 'unsubscribe']);

/** `clearInterval(this.interval)` → `interval`: the handle a cleanup call releases, without `this.`/`self.`/`#`/`_`. */
function handleOf(call: string): string {
  const arg = /\(\s*([^(),]*)/.exec(call)?.[1]?.trim() ?? '';
  return arg.replace(/^(this|self)\s*\.\s*/, '').replace(/^[#_]+/, '');
}

/** The callee of a cleanup match: `clearInterval`, `.close`, `removeListener`. */
const calleeOf = (call: string): string => /^[.\w$]*/.exec(call.trim())?.[0] ?? call;

function detect(file: SourceFile): Hit[] {
  // A deleted (or emptied) file: its cleanup left with everything it cleaned up.
  if (file.removed.length === 0 || file.text.trim() === '') return [];
  const current = squash(file.text);
  const hits = new Map<string, Hit>();
  for (const removed of file.removed) {
    if (isComment(removed.text) || removed.text.trim() === '') continue;
    // Moved, not deleted: the same line (or the same cleanup call) still exists somewhere in the file.
    if (current.includes(squash(removed.text))) continue;
    for (const kind of KINDS) {
      const match = kind.cleanup.exec(removed.text);
      if (!match || current.includes(squash(match[0]))) continue;
      if (rewritten(file, removed, match[0]) || SCOPED_KINDS.has(kind.id) && scopedNear(file, removed) || allocationLeftToo(file, removed, kind)) break;
      if (!allocatesNear(file, removed, kind)) continue;
      const key = `${removed.nearLine}\0${kind.id}`;
      if (!hits.has(key)) {
        hits.set(key, { line: removed.nearLine, args: { kind: kind.id, name: removed.text.trim().slice(0, 80) }, excerpt: excerpt(file, removed.nearLine) });
      }
      break;
    }
  }
  return [...hits.values()].sort((a, b) => a.line - b.line);
}

/** The same cleanup call on the same handle is still in the file (`clearInterval(this.t)` → `clearInterval(t)`). */
function rewritten(file: SourceFile, removed: RemovedLine, call: string): boolean {
  const callee = calleeOf(call);
  const handle = handleOf(call);
  if (!callee || callee === '.') return false;
  const pattern = new RegExp(`${escapeRegExp(callee)}\\s*\\(\\s*(?:(?:this|self)\\s*\\.\\s*)?[#_]*${escapeRegExp(handle)}\\s*[,)]`);
  return file.lines.some(line => !isComment(line) && pattern.test(line)) && near(file, removed, line => line.includes(callee));
}

/** An added line near the deletion opens a scoped form (`with open(...)`, `using`, `finally`) that releases on exit. */
function scopedNear(file: SourceFile, removed: RemovedLine): boolean {
  return near(file, removed, (line, number) => isInRanges(number, file.added) && SCOPED.test(line));
}

/** The diff removed the allocation next to its cleanup (`del x[0]` with `x.append(v)`): nothing is left to release. */
function allocationLeftToo(file: SourceFile, removed: RemovedLine, kind: CleanupKind): boolean {
  return file.removed.some(other => other !== removed && Math.abs(other.nearLine - removed.nearLine) <= WINDOW
    && !isComment(other.text) && kind.allocation.test(other.text));
}

function near(file: SourceFile, removed: RemovedLine, test: (line: string, number: number) => boolean): boolean {
  const from = Math.max(1, removed.nearLine - WINDOW);
  const to = Math.min(file.lines.length, removed.nearLine + WINDOW);
  for (let number = from; number <= to; number++) if (test(file.lines[number - 1] ?? '', number)) return true;
  return false;
}

function allocatesNear(file: SourceFile, removed: RemovedLine, kind: CleanupKind): boolean {
  return near(file, removed, line => !isComment(line) && !SCOPED.test(line) && kind.allocation.test(line));
}

/** What the report shows: the lines around the deletion, removed lines as `- `, added as `+ `, the rest as `  `. */
function excerpt(file: SourceFile, line: number): { start: number; lines: string[] } {
  const start = Math.max(1, line - EXCERPT_CONTEXT);
  // A file ending in a newline splits into one empty last line that is not a line of the file.
  const count = file.lines.length > 0 && file.lines[file.lines.length - 1] === '' ? file.lines.length - 1 : file.lines.length;
  const end = Math.min(count, line + EXCERPT_CONTEXT);
  const lines: string[] = [];
  for (let number = start; number <= end; number++) {
    for (const removed of file.removed) if (removed.nearLine === number) lines.push(`- ${removed.text}`);
    const text = file.lines[number - 1] ?? '';
    lines.push(`${isInRanges(number, file.added) ? '+' : ' '} ${text}`);
  }
  return { start, lines: lines.map(l => (l.length > 200 ? `${l.slice(0, 197)}...` : l)) };
}

const rule: Rule = {
  id: 'removed-cleanup',
  meta: {
    severity: 'medium',
    description: 'The diff deletes cleanup (listener removal, clearInterval, close(), a size bound, finally, eviction) '
      + 'next to code that still allocates',
    why: 'The allocation is still there but the code that released it is gone: the typical regression edit that turns '
      + 'a bounded resource into a leak, and easy to miss in review because the added lines look harmless.',
    message: 'cleanup removed in this diff ({{kind}}: `{{name}}`) while the allocation next to it remains',
  },
  languages: ['python', 'javascript', 'typescript'],
  examples: {
    leaky: [
      {
        code: "@@\n export function watch(conn) {\n   const timer = setInterval(() => conn.ping(), 1000);\n-  conn.once('close', () => clearInterval(timer));\n }\n",
        lines: [3], note: 'clearInterval deleted; setInterval remains',
      },
      {
        code: '@@\n from functools import lru_cache\n \n-@lru_cache(maxsize=256)\n+@lru_cache(maxsize=None)\n def render(user_id):\n     return load(user_id)\n',
        lines: [3], note: 'bound removed',
      },
      {
        code: "@@\n function mount(el, onKey) {\n   window.addEventListener('keydown', onKey);\n-  return () => window.removeEventListener('keydown', onKey);\n }\n",
        lines: [3],
      },
      {
        code: "@@\n export function request(req, done) {\n   const timer = setTimeout(() => done(new Error('timeout')), 5000);\n   req.on('response', (res) => {\n-    clearTimeout(timer);\n     done(null, res);\n   });\n }\n",
        lines: [4], note: 'clearTimeout dropped; setTimeout remains',
      },
      {
        code: "@@\n class Session {\n   attach(bus) {\n     bus.on('message', this.onMessage);\n   }\n   detach(bus) {\n-    bus.removeListener('message', this.onMessage);\n+    this.closed = true;\n   }\n }\n",
        lines: [6], note: 'removeListener dropped while on() stays',
      },
    ],
    fine: [
      {
        code: "@@\n export function watch(conn) {\n   const timer = setInterval(() => conn.ping(), 1000);\n-  conn.once('close', () => clearInterval(timer));\n+  conn.once('close', () => { clearInterval(timer); });\n }\n",
        note: 'cleanup rewritten, still there',
      },
      { code: '@@\n def handler(req):\n-    log.debug("closing")\n     return ok(req)\n', note: 'unrelated deletion' },
      {
        code: "@@\n export function stop(conn) {\n-  clearInterval(conn.timer);\n-  conn.timer = setInterval(tick, 1000);\n+  conn.stop();\n }\n",
        note: 'the allocation went away with its cleanup',
      },
      {
        code: "@@\n export function poll(conn) {\n-  this.interval = setInterval(() => conn.ping(), 1000);\n-  conn.once('close', () => clearInterval(this.interval));\n+  const interval = setInterval(() => conn.ping(), 1000);\n+  conn.once('close', () => clearInterval(interval));\n }\n",
        note: 'the handle moved from a field to a local: the same clearInterval, rewritten',
      },
      {
        code: '@@\n def read_config(path):\n-    f = open(path)\n-    data = f.read()\n-    f.close()\n+    with open(path) as f:\n+        data = f.read()\n     return parse(data)\n',
        note: 'open()/close() replaced by a scoped `with`',
      },
      {
        code: '@@\n def remember(slot, value):\n-    del RECENT[0]\n-    RECENT.append(value)\n+    RECENT[slot % SIZE] = value\n',
        note: '`del` + `append` replaced by an index assignment (a ring buffer): the allocation left with the cleanup',
      },
      {
        code: "@@\n-import fs from 'node:fs';\n-export function watch(path, onChange) {\n-  const watcher = fs.watch(path, onChange);\n-  return () => watcher.close();\n-}\n",
        note: 'the whole file deleted: its cleanup left with its allocation',
      },
    ],
  },
  detect,
};
export default rule;
