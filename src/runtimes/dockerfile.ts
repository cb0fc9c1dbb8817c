// https://docs.docker.com/reference/dockerfile/#from (and #arg: an ARG before the first FROM may name its image).
import type { LockedPackage } from '../types.js';

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

/**
 * The base images of a Dockerfile, one per stage. The last stage is what runs; earlier ones only build, so they
 * count as development (a builder's Python still compiles the wheels the last stage copies, so they are kept).
 */
export function dockerfilePins(text: string): LockedPackage[] {
  const args = new Map<string, string>();
  const stages: { image: ImageReference; alias?: string }[] = [];
  const aliases = new Set<string>();
  for (const line of logicalLines(text)) {
    const [instruction = '', ...words] = line.split(/\s+/);
    const keyword = instruction.toUpperCase();
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
  return pins;
}
