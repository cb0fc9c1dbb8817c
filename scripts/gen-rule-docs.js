#!/usr/bin/env node
// Writes docs/rules.md from the built rules (run `npm run build` first). rules.test.ts checks it is up to date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc } from '../dist/rules/docs.js';
import { rules } from '../dist/rules/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(join(root, 'docs', 'rules.md'), renderRulesDoc(rules));
console.error(`wrote docs/rules.md (${rules.length} rules)`);
