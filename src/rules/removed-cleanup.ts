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
const isComment = (text: string): boolean => /^\s*(#|\/\/|\*|\/\*)/.test(text);
const squash = (text: string): string => text.replace(/\s+/g, '');

function detect(file: SourceFile): Hit[] {
  if (file.removed.length === 0) return [];
  const current = squash(file.text);
  const hits = new Map<string, Hit>();
  for (const removed of file.removed) {
    if (isComment(removed.text) || removed.text.trim() === '') continue;
    // Moved, not deleted: the same line (or the same cleanup call) still exists somewhere in the file.
    if (current.includes(squash(removed.text))) continue;
    for (const kind of KINDS) {
      const match = kind.cleanup.exec(removed.text);
      if (!match || current.includes(squash(match[0]))) continue;
      if (!allocatesNear(file, removed, kind)) continue;
      const key = `${removed.nearLine}\0${kind.id}`;
      if (!hits.has(key)) {
        hits.set(key, { line: removed.nearLine, args: { kind: kind.id, name: removed.text.trim().slice(0, 80) } });
      }
      break;
    }
  }
  return [...hits.values()].sort((a, b) => a.line - b.line);
}

function allocatesNear(file: SourceFile, removed: RemovedLine, kind: CleanupKind): boolean {
  const from = Math.max(0, removed.nearLine - 1 - WINDOW);
  return file.lines.slice(from, removed.nearLine + WINDOW).some(line => !isComment(line) && kind.allocation.test(line));
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
    ],
  },
  detect,
};
export default rule;
