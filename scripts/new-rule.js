#!/usr/bin/env node
// Scaffolds src/rules/<rule-id>.ts with one leaky and one fine example, then regenerates the index.
// Usage: node scripts/new-rule.js <rule-id> <python|javascript|typescript>...
import { existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [id, ...languages] = process.argv.slice(2);
if (!id || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id) || languages.length === 0
  || languages.some(l => !['python', 'javascript', 'typescript'].includes(l))) {
  console.error('usage: node scripts/new-rule.js <kebab-case-id> <python|javascript|typescript>...');
  process.exit(2);
}
const path = join(root, 'src', 'rules', `${id}.ts`);
if (existsSync(path)) {
  console.error(`src/rules/${id}.ts already exists`);
  process.exit(2);
}
const isPython = languages[0] === 'python';
const leaky = isPython ? 'CACHE = {}\\ndef handle(request):\\n    CACHE[request.id] = request\\n' : 'const cache = new Map();\\nexport function handle(req) {\\n  cache.set(req.id, req);\\n}\\n';
const fine = isPython ? 'def handle(request):\\n    return request.id\\n' : 'export function handle(req) {\\n  return req.id;\\n}\\n';
writeFileSync(path, `import type { Hit, Rule, SourceFile } from './types.js';
import { lineOf } from './ast.js';

function detect(file: SourceFile): Hit[] {
  // TODO: replace with the rule's query.
  return file.query('(ERROR) @error').map(capture => ({ line: lineOf(capture.node), args: { name: 'TODO' } }));
}

const rule: Rule = {
  id: '${id}',
  meta: {
    severity: 'medium',
    description: 'TODO: one line, what it flags',
    why: 'TODO: why it can leak',
    message: 'TODO: {{name}} …',
  },
  languages: [${languages.map(l => `'${l}'`).join(', ')}],
  examples: {
    leaky: [{ code: '${leaky}', lines: [3] }],
    fine: [{ code: '${fine}' }],
  },
  detect,
};
export default rule;
`);
execFileSync(process.execPath, [join(root, 'scripts', 'gen-rule-index.js')], { stdio: 'inherit' });
console.error(`created src/rules/${id}.ts`);
