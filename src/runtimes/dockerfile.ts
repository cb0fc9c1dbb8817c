// https://docs.docker.com/reference/dockerfile/#from (and #arg: an ARG before the first FROM may name its image),
// https://docs.docker.com/reference/dockerfile/#env for the memory settings the running stage is given.
import type { LockedPackage } from '../types.js';
import { MEMORY_ENV } from './signals.js';

/** A `FROM` line read as a runtime pin: image repository, tag and digest. */
export interface ImageReference { name: string; tag?: string; digest?: string }

/** Logical lines: continuations (`\` at the end) joined, comments and blank lines dropped. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    out.push(current + line);
    current = '';
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** `${VAR}`, `${VAR:-default}` and `$VAR` from the ARG defaults before the first FROM; unknown ones stay as written. */
function substitute(value: string, args: ReadonlyMap<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return args.get(name) ?? fallback ?? whole;
  });
}

/** `python:3.12-slim@sha256:...`, `docker.io/library/node:20`, `ghcr.io/org/app:1.2` (a port is not a tag). */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  // Docker Hub spells one image three ways: python, library/python, docker.io/library/python.
  const name = rest.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

// Double quotes and bare words take backslash escapes (`a\ b`); single quotes keep what they hold.
const unquote = (value: string): string =>
  (/^'(.*)'$/s.test(value) ? value.slice(1, -1) : (/^"(.*)"$/s.test(value) ? value.slice(1, -1) : value).replace(/\\(.)/g, '$1'));

/** `ENV A=1 B="two words"` and the legacy `ENV NAME a value with spaces`, as name/value pairs in order. */
export function envAssignments(operands: string): [string, string][] {
  // The legacy form: the first word has no `=`, and the rest of the line is the value.
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/s.exec(operands);
  if (legacy) return [[legacy[1] ?? '', unquote((legacy[2] ?? '').trim())]];
  const out: [string, string][] = [];
  for (const m of operands.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s"'\\]|\\.)*)/g)) out.push([m[1] ?? '', unquote(m[2] ?? '')]);
  return out;
}

/**
 * The base images of a Dockerfile, one per stage, and the memory settings (MALLOC_*, PYTHONMALLOC, NODE_OPTIONS...)
 * that its ENV lines give the last stage, the one that runs, as `env:<NAME>` pins: an ENV of a build stage reaches
 * the running image only when the last stage is built FROM that stage, so a stage starts with its parent's. The last stage is what runs; earlier ones only build, so they
 * count as development (a builder's Python still compiles the wheels the last stage copies, so they are kept).
 */
export function dockerfilePins(text: string): LockedPackage[] {
  const args = new Map<string, string>();
  const stages: { image: ImageReference; alias?: string }[] = [];
  const aliases = new Set<string>();
  const envOf = new Map<string, Map<string, string>>();
  let env = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const [instruction = '', ...words] = line.split(/\s+/);
    const keyword = instruction.toUpperCase();
    if (keyword === 'ENV' && stages.length > 0) {
      // Later assignments see earlier ones and the global ARG defaults (ENV A=1 B=$A).
      for (const [name, value] of envAssignments(line.slice(instruction.length).trim())) env.set(name, substitute(value, new Map([...args, ...env])));
      continue;
    }
    if (keyword === 'ARG' && stages.length === 0) {
      for (const word of words) {
        const eq = word.indexOf('=');
        if (eq > 0) args.set(word.slice(0, eq), word.slice(eq + 1).replace(/^["']|["']$/g, ''));
      }
    }
    if (keyword !== 'FROM') continue;
    const operands = words.filter(w => !w.startsWith('--'));
    const reference = substitute(operands[0] ?? '', args);
    const alias = operands[1]?.toUpperCase() === 'AS' ? operands[2]?.toLowerCase() : undefined;
    env = new Map(envOf.get(reference.toLowerCase()) ?? []);
    if (alias) envOf.set(alias, env);
    // An ARG without a default (`FROM ${BASE}`) is set at build time: the image is not in the file.
    if (reference === '' || reference.includes('$')) {
      stages.push({ image: { name: '' }, ...(alias ? { alias } : {}) });
      if (alias) aliases.add(alias);
      continue;
    }
    // A stage built on an earlier stage, or on nothing, brings no new image.
    if (aliases.has(reference.toLowerCase()) || reference === 'scratch') {
      stages.push({ image: { name: '' }, ...(alias ? { alias } : {}) });
    } else stages.push({ image: parseImageReference(reference), ...(alias ? { alias } : {}) });
    if (alias) aliases.add(alias);
  }
  const pins: LockedPackage[] = [];
  stages.forEach((stage, index) => {
    if (stage.image.name === '') return;
    const isLast = index === stages.length - 1;
    pins.push({
      name: `image:${stage.image.name}`,
      // An image named by digest alone still has a version to show; its digest tells builds apart.
      version: stage.image.tag ?? (stage.image.digest ? 'digest' : 'latest'),
      direct: true,
      dev: !isLast,
      installPath: `stage ${index + 1}${stage.alias ? ` (${stage.alias})` : ''}`,
      facts: stage.image.digest ? { integrity: stage.image.digest } : {},
    });
  });
  const last = stages.length - 1;
  for (const [name, value] of [...env].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!MEMORY_ENV.test(name)) continue;
    const stage = stages[last];
    pins.push({ name: `env:${name}`, version: value === '' ? '(empty)' : value, direct: true, dev: false,
      installPath: `stage ${last + 1}${stage?.alias ? ` (${stage.alias})` : ''} ENV`, facts: {} });
  }
  return pins;
}
